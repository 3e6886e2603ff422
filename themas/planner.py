"""The half-year date planner: one date per meeting, chosen jointly for the whole programme.

A coordinator offers candidate evenings; each member answers yes / if need be / no. The
planner picks `meetings` dates that maximise the total score, where consecutive meetings lie
between `min_gap_days` and `max_gap_days` apart (5 to 7 weeks by default).

The score of one evening is the sum over members of `TIER_WEIGHTS[tier] * ANSWER_POINTS[answer]`.
Points are integers on purpose: sums are then exact, so two plans that tie really tie and the
stated tie-break (earlier dates) decides, not floating-point rounding that depends on the order
in which members were added.

Why exact and not meeting by meeting: the spacing rule only links consecutive meetings, so the
best plan is a longest path in a layered graph (layer = meeting number, node = candidate date,
edge = an allowed gap). A dynamic program over (meeting, date) finds it in O(meetings · n²) for
n candidates, microseconds for a half-year poll. Choosing the best date for meeting 1 and then
the best one 5 to 7 weeks later (`plan_meetings_greedily`, kept for comparison) can lock the
programme into poor later evenings.

Pure Python, no Django: the caller (the date poll's service) turns memberships and poll answers
into `Member`s and translates `NoFeasiblePlan` into a message for the coordinator.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

# Answer values, as the poll stores them.
YES = "yes"
IF_NEED_BE = "if_need_be"
NO = "no"

# Tiers, spelled as `leden.models.Schil` stores them ("1e schil" / "2e schil"), so a
# membership's `schil` can be passed as is.
CORE = "kern"
SECOND_TIER = "betrokken"

# A core member counts twice a second-tier member: the network is carried by its core, but
# three second-tier members who can come still outweigh one core member who can.
TIER_WEIGHTS: Mapping[str, int] = MappingProxyType({CORE: 2, SECOND_TIER: 1})

# "If need be" is worth 0.4 of a "yes" (2 of 5 points): better than nothing, yet three such
# answers do not outweigh two people who can come gladly. "No" and no answer count nothing.
ANSWER_POINTS: Mapping[str, int] = MappingProxyType({YES: 5, IF_NEED_BE: 2, NO: 0})

# Five to seven weeks between consecutive meetings (the networks meet "every six weeks").
MIN_GAP_DAYS = 35
MAX_GAP_DAYS = 49


class NoFeasiblePlan(ValueError):
    """No choice of the requested number of candidate dates respects the spacing rule."""


@dataclass(frozen=True)
class Member:
    """One member of the network and their answers to the date poll.

    `answers` maps candidate dates to `YES`, `IF_NEED_BE` or `NO`; a date left out counts as
    not answered (no points). `key` identifies the member to the caller (a membership id, say).
    """

    key: Hashable
    tier: str
    answers: Mapping[date, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DateScore:
    """One candidate evening: its score and who answered what, for the coordinator to adjust."""

    day: date
    score: int
    yes: tuple[Hashable, ...]
    if_need_be: tuple[Hashable, ...]
    no: tuple[Hashable, ...]
    unanswered: tuple[Hashable, ...]


@dataclass(frozen=True)
class Plan:
    """The proposed programme: `dates` in order, their total `score`, and every candidate's score.

    `candidates` lists all candidate evenings in date order (chosen or not), so a coordinator
    can see what swapping one date would cost.
    """

    dates: tuple[date, ...]
    score: int
    candidates: tuple[DateScore, ...]

    @property
    def chosen(self) -> tuple[DateScore, ...]:
        """The `DateScore` of each chosen date, in order."""
        by_day = {scored.day: scored for scored in self.candidates}
        return tuple(by_day[day] for day in self.dates)


def score_dates(
    candidates: Iterable[date],
    members: Iterable[Member],
    *,
    tier_weights: Mapping[str, int] = TIER_WEIGHTS,
    answer_points: Mapping[str, int] = ANSWER_POINTS,
) -> tuple[DateScore, ...]:
    """Score every candidate evening, in date order, and list who answered what.

    Raises `ValueError` for duplicate candidates, an unknown tier or an unknown answer.
    Answers for dates that are not candidates are ignored (an evening the coordinator removed).
    """
    days = sorted(candidates)
    if len(set(days)) != len(days):
        raise ValueError("Candidate dates must be distinct.")
    members = list(members)
    for member in members:
        if member.tier not in tier_weights:
            raise ValueError(f"Unknown tier {member.tier!r} for member {member.key!r}.")
        for given in member.answers.values():
            if given not in answer_points:
                raise ValueError(f"Unknown answer {given!r} from member {member.key!r}.")
    scored = []
    for day in days:
        score = 0
        groups: dict[str | None, list[Hashable]] = {YES: [], IF_NEED_BE: [], NO: [], None: []}
        for member in members:
            answer = member.answers.get(day)
            if answer is not None:
                score += tier_weights[member.tier] * answer_points[answer]
            # Custom answer vocabularies still score; only the three known ones are listed.
            groups.setdefault(answer, []).append(member.key)
        scored.append(
            DateScore(
                day=day,
                score=score,
                yes=tuple(groups[YES]),
                if_need_be=tuple(groups[IF_NEED_BE]),
                no=tuple(groups[NO]),
                unanswered=tuple(groups[None]),
            )
        )
    return tuple(scored)


def respects_spacing(
    dates: Sequence[date],
    *,
    min_gap_days: int = MIN_GAP_DAYS,
    max_gap_days: int = MAX_GAP_DAYS,
) -> bool:
    """Whether `dates`, in the given order, are each `min_gap_days`..`max_gap_days` after the last.

    For checking a programme the coordinator adjusted by hand.
    """
    return all(
        min_gap_days <= (later - earlier).days <= max_gap_days
        for earlier, later in zip(dates, dates[1:], strict=False)
    )


def _check_arguments(meetings: int, min_gap_days: int, max_gap_days: int) -> None:
    if meetings < 1:
        raise ValueError("At least one meeting must be planned.")
    if min_gap_days < 1 or max_gap_days < min_gap_days:
        raise ValueError("The gap between meetings needs 1 <= min_gap_days <= max_gap_days.")


def _successors(days: Sequence[date], min_gap_days: int, max_gap_days: int) -> list[list[int]]:
    """For each candidate, the later candidates (by index, ascending) a next meeting may take."""
    return [
        [j for j in range(i + 1, len(days)) if min_gap_days <= (days[j] - day).days <= max_gap_days]
        for i, day in enumerate(days)
    ]


def _no_plan(meetings: int, count: int, min_gap_days: int, max_gap_days: int) -> NoFeasiblePlan:
    return NoFeasiblePlan(
        f"No {meetings} of the {count} candidate dates lie {min_gap_days} to {max_gap_days} "
        "days apart in turn; add candidate dates or plan fewer meetings."
    )


def plan_meetings(
    candidates: Iterable[date],
    members: Iterable[Member],
    meetings: int,
    *,
    min_gap_days: int = MIN_GAP_DAYS,
    max_gap_days: int = MAX_GAP_DAYS,
    tier_weights: Mapping[str, int] = TIER_WEIGHTS,
    answer_points: Mapping[str, int] = ANSWER_POINTS,
) -> Plan:
    """Choose `meetings` candidate dates with the highest total score that respect the spacing.

    Exact: among all spaced choices none scores higher. Among equally good plans the one with
    the earliest first date wins, then the earliest second date, and so on (lexicographically
    earliest), so the same poll always gives the same proposal, whatever the input order.

    Raises `NoFeasiblePlan` (a `ValueError`) when no spaced choice exists, and `ValueError` for
    invalid arguments (see `score_dates`).
    """
    _check_arguments(meetings, min_gap_days, max_gap_days)
    scored = score_dates(
        candidates, members, tier_weights=tier_weights, answer_points=answer_points
    )
    days = [s.day for s in scored]
    points = [s.score for s in scored]
    successors = _successors(days, min_gap_days, max_gap_days)

    # best[m][i]: the highest score of meetings m..meetings-1 when meeting m falls on
    # candidate i, or None when the remaining meetings cannot all be placed after it.
    # Filling it from the last meeting backwards lets the reconstruction walk forwards and
    # take, at every step, the earliest date that still reaches the optimum: that is what
    # makes the tie-break "earliest plan" rather than "latest".
    n = len(days)
    best: list[list[int | None]] = [[None] * n for _ in range(meetings)]
    best[meetings - 1] = list(points)
    for m in range(meetings - 2, -1, -1):
        following = best[m + 1]
        for i in range(n):
            tails = [tail for j in successors[i] if (tail := following[j]) is not None]
            if tails:
                best[m][i] = points[i] + max(tails)

    feasible_starts = [value for value in best[0] if value is not None]
    if not feasible_starts:
        raise _no_plan(meetings, n, min_gap_days, max_gap_days)
    total = max(feasible_starts)

    chosen = [best[0].index(total)]  # index() finds the earliest candidate with that value
    remaining = total
    for m in range(1, meetings):
        remaining -= points[chosen[-1]]
        chosen.append(next(j for j in successors[chosen[-1]] if best[m][j] == remaining))
    return Plan(dates=tuple(days[i] for i in chosen), score=total, candidates=scored)


def plan_meetings_greedily(
    candidates: Iterable[date],
    members: Iterable[Member],
    meetings: int,
    *,
    min_gap_days: int = MIN_GAP_DAYS,
    max_gap_days: int = MAX_GAP_DAYS,
    tier_weights: Mapping[str, int] = TIER_WEIGHTS,
    answer_points: Mapping[str, int] = ANSWER_POINTS,
) -> Plan:
    """The baseline "meeting by meeting": for comparison only, not for proposing a programme.

    Takes the best-scoring date for meeting 1, then the best-scoring date 5 to 7 weeks later,
    and so on; ties go to the earlier date. To be a fair opponent it only looks ahead far
    enough never to paint itself into a corner: it takes only dates from which the remaining
    meetings can still be placed, so it finds a plan whenever one exists. What it does not do
    is weigh a date's score against the dates it leaves for later, which is the difference.

    Raises like `plan_meetings`.
    """
    _check_arguments(meetings, min_gap_days, max_gap_days)
    scored = score_dates(
        candidates, members, tier_weights=tier_weights, answer_points=answer_points
    )
    days = [s.day for s in scored]
    points = [s.score for s in scored]
    successors = _successors(days, min_gap_days, max_gap_days)

    # can_place[m][i]: meetings m..meetings-1 fit when meeting m falls on candidate i.
    n = len(days)
    can_place = [[False] * n for _ in range(meetings)]
    can_place[meetings - 1] = [True] * n
    for m in range(meetings - 2, -1, -1):
        can_place[m] = [any(can_place[m + 1][j] for j in successors[i]) for i in range(n)]

    options: Collection[int] = range(n)
    chosen: list[int] = []
    for m in range(meetings):
        feasible = [i for i in options if can_place[m][i]]
        if not feasible:
            raise _no_plan(meetings, n, min_gap_days, max_gap_days)
        # max() keeps the first of equal scores, and `feasible` runs in date order.
        chosen.append(max(feasible, key=lambda i: points[i]))
        options = successors[chosen[-1]]
    return Plan(
        dates=tuple(days[i] for i in chosen),
        score=sum(points[i] for i in chosen),
        candidates=scored,
    )
