"""Which themes a round chooses: sequential proportional approval voting (seq-PAV).

Plain approval lets a bloc take every place: 13 members who tick A–D outvote 7 who tick E–H
on all four. Seq-PAV chooses one theme at a time; a ballot that already has k of its themes
chosen counts 1/(k+1) for the next one, so a large group's weight falls as it is served and a
smaller group gets its share.

Ties (equal weighted score) go to the theme with more plain approvals, then to the earlier
proposal (lower id): `TIE_BREAK` says it on the results page. A theme nobody approved is never
chosen: fewer themes are chosen than places rather than a theme no one would come to.

A pure function over ballots: no database, exact fractions, the same result whatever the
order of the ballots.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

TIE_BREAK = _(
    "Themes are chosen one at a time. Each ballot counts fully for its first chosen theme, "
    "half for its second, a third for its third, and so on (sequential proportional approval "
    "voting), so that a large group cannot take every place. On equal scores the theme with "
    "more approvals goes first; on equal approvals the earlier proposal."
)


def seq_pav(ballots: Iterable[Collection[int]], seats: int) -> list[int]:
    """The chosen candidate ids, in the order chosen (at most `seats`).

    `ballots`: each a collection of approved candidate ids (one per voter).
    """
    # Equal ballots weigh together: fewer sums, same result.
    groups = Counter(frozenset(ballot) for ballot in ballots if ballot)
    approvals: Counter[int] = Counter()
    for ballot, voters in groups.items():
        for candidate in ballot:
            approvals[candidate] += voters
    chosen: list[int] = []
    served = dict.fromkeys(groups, 0)  # per ballot: how many of its themes are chosen
    while len(chosen) < seats:
        scores: dict[int, Fraction] = {}
        for ballot, voters in groups.items():
            weight = Fraction(voters, served[ballot] + 1)
            for candidate in ballot:
                if candidate not in chosen:
                    scores[candidate] = scores.get(candidate, Fraction(0)) + weight
        if not scores:
            break
        best = min(scores, key=lambda c: (-scores[c], -approvals[c], c))
        chosen.append(best)
        for ballot in groups:
            if best in ballot:
                served[ballot] += 1
    return chosen
