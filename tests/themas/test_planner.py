"""The half-year date planner: exact, spaced, weighted as promised, fast, and better than greedy.

Pure functions, no database. `random_instance` is also what `bench/planner.py` measures.
"""

from __future__ import annotations

import itertools
import random
import time
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from themas.planner import (
    ANSWER_POINTS,
    CORE,
    IF_NEED_BE,
    NO,
    SECOND_TIER,
    TIER_WEIGHTS,
    YES,
    Member,
    NoFeasiblePlan,
    plan_meetings,
    plan_meetings_greedily,
    respects_spacing,
    score_dates,
)

# An autumn half-year starting on a Monday.
START = date(2026, 8, 31)


def random_instance(
    rng: random.Random, *, candidates: int = 30, members: int = 14, weeks: int = 35
) -> tuple[list[date], list[Member]]:
    """A date poll like a network's: `candidates` of the Tuesday–Thursday evenings in `weeks`.

    Each member has a tier and, per weekday, a chance of being free (some people never can
    on Tuesdays), so evenings differ the way real ones do rather than uniformly.
    """
    evenings = [
        START + timedelta(weeks=week, days=day) for week in range(weeks) for day in (1, 2, 3)
    ]
    days = sorted(rng.sample(evenings, candidates))
    people = []
    for key in range(members):
        tier = CORE if rng.random() < 0.5 else SECOND_TIER
        free = {weekday: rng.uniform(0.1, 0.9) for weekday in (1, 2, 3)}
        answers = {}
        for day in days:
            roll = rng.random()
            chance = free[day.weekday()]
            if roll < 0.75 * chance:
                answers[day] = YES
            elif roll < chance:
                answers[day] = IF_NEED_BE
            elif rng.random() < 0.9:  # the rest say no, or leave the evening unanswered
                answers[day] = NO
        people.append(Member(key=f"lid-{key}", tier=tier, answers=answers))
    return days, people


def feasible_instances(
    seed: int, count: int, **kwargs: int
) -> list[tuple[list[date], list[Member]]]:
    """`count` random instances (seeded) for six meetings, skipping the rare unplannable one."""
    rng = random.Random(seed)
    instances = []
    while len(instances) < count:
        days, people = random_instance(rng, **kwargs)
        try:
            plan_meetings(days, people, 6)
        except NoFeasiblePlan:
            continue
        instances.append((days, people))
    return instances


def brute_force(
    days: list[date], people: list[Member], meetings: int, min_gap: int, max_gap: int
) -> tuple[int, tuple[date, ...]] | None:
    """Every `meetings`-subset; the best score and, among the best, the earliest dates."""
    scores = {scored.day: scored.score for scored in score_dates(days, people)}
    best: tuple[int, tuple[date, ...]] | None = None
    # combinations() of a sorted list runs in lexicographic order: the first best is earliest.
    for subset in itertools.combinations(sorted(days), meetings):
        if not respects_spacing(subset, min_gap_days=min_gap, max_gap_days=max_gap):
            continue
        total = sum(scores[day] for day in subset)
        if best is None or total > best[0]:
            best = (total, subset)
    return best


Outcome = tuple[int, tuple[date, ...]] | None


def outcome(
    days: list[date], people: list[Member], meetings: int, min_gap: int, max_gap: int
) -> Outcome:
    try:
        plan = plan_meetings(days, people, meetings, min_gap_days=min_gap, max_gap_days=max_gap)
    except NoFeasiblePlan:
        return None
    return plan.score, plan.dates


def small_random_instance(rng: random.Random) -> tuple[list[date], list[Member], int, int, int]:
    """Few candidates, short gaps: small enough for brute force, often tight or infeasible."""
    days = sorted(START + timedelta(days=d) for d in rng.sample(range(90), rng.randint(1, 12)))
    people = [
        Member(
            key=key,
            tier=rng.choice([CORE, SECOND_TIER]),
            answers={day: rng.choice([YES, IF_NEED_BE, NO]) for day in days if rng.random() < 0.8},
        )
        for key in range(rng.randint(0, 5))
    ]
    min_gap = rng.randint(1, 20)
    return days, people, rng.randint(1, 5), min_gap, min_gap + rng.randint(0, 15)


def test_planner_matches_brute_force_on_small_random_instances() -> None:
    rng = random.Random(14)
    infeasible = 0
    for _ in range(400):
        days, people, meetings, min_gap, max_gap = small_random_instance(rng)
        expected = brute_force(days, people, meetings, min_gap, max_gap)
        assert outcome(days, people, meetings, min_gap, max_gap) == expected
        infeasible += expected is None
    # Both kinds of instance were exercised, not only the easy ones.
    assert 0 < infeasible < 400


def test_plans_are_spaced_ordered_and_add_up() -> None:
    for days, people in feasible_instances(seed=1, count=50):
        plan = plan_meetings(days, people, 6)
        assert len(plan.dates) == 6
        assert list(plan.dates) == sorted(plan.dates)
        assert set(plan.dates) <= set(days)
        assert respects_spacing(plan.dates, min_gap_days=35, max_gap_days=49)
        assert all(35 <= (b - a).days <= 49 for a, b in itertools.pairwise(plan.dates))
        assert plan.score == sum(scored.score for scored in plan.chosen)
        assert [scored.day for scored in plan.candidates] == sorted(days)


def test_spacing_bounds_are_parameters() -> None:
    days = [START + timedelta(weeks=w) for w in range(10)]
    people = [Member(key=1, tier=CORE, answers=dict.fromkeys(days, YES))]
    plan = plan_meetings(days, people, 3, min_gap_days=14, max_gap_days=14)
    assert plan.dates == (days[0], days[2], days[4])
    with pytest.raises(NoFeasiblePlan):
        plan_meetings(days, people, 3, min_gap_days=70, max_gap_days=70)


def test_no_spaced_choice_raises_a_clear_error() -> None:
    days = [START, START + timedelta(days=7), START + timedelta(days=60)]
    people = [Member(key=1, tier=CORE, answers={START: YES})]
    for planner in (plan_meetings, plan_meetings_greedily):
        with pytest.raises(NoFeasiblePlan, match="No 2 of the 3 candidate dates lie 35 to 49 days"):
            planner(days, people, 2)
        with pytest.raises(NoFeasiblePlan):
            planner(days, people, 4)  # more meetings than candidates
        with pytest.raises(NoFeasiblePlan):
            planner([], people, 1)
    # One meeting needs no spacing at all.
    assert plan_meetings(days, people, 1).dates == (START,)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"meetings": 0}, "At least one meeting"),
        ({"min_gap_days": 50}, "min_gap_days <= max_gap_days"),
        ({"candidates": [START, START]}, "distinct"),
        ({"members": [Member(key=1, tier="bestuur")]}, "Unknown tier 'bestuur'"),
        ({"members": [Member(key=1, tier=CORE, answers={START: "misschien"})]}, "Unknown answer"),
    ],
)
def test_invalid_input_is_refused(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"candidates": [START], "members": [], "meetings": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        plan_meetings(**arguments)  # type: ignore[arg-type]


def test_weights_are_as_documented() -> None:
    assert TIER_WEIGHTS[CORE] > TIER_WEIGHTS[SECOND_TIER] > 0
    assert ANSWER_POINTS[YES] > ANSWER_POINTS[IF_NEED_BE] > ANSWER_POINTS[NO] == 0
    assert ANSWER_POINTS[IF_NEED_BE] / ANSWER_POINTS[YES] == pytest.approx(0.4)


# In the hand-made polls below the earlier evening would win every tie, so only the weights
# can make the later one win.
EARLY, LATE = START, START + timedelta(days=2)


def test_a_core_member_outweighs_a_second_tier_member() -> None:
    core_late = [
        Member(key="betrokken", tier=SECOND_TIER, answers={EARLY: YES}),
        Member(key="kern", tier=CORE, answers={LATE: YES}),
    ]
    assert plan_meetings([EARLY, LATE], core_late, 1).dates == (LATE,)
    # Swap the two members' tiers and the choice flips with them.
    core_early = [
        Member(key="betrokken", tier=CORE, answers={EARLY: YES}),
        Member(key="kern", tier=SECOND_TIER, answers={LATE: YES}),
    ]
    assert plan_meetings([EARLY, LATE], core_early, 1).dates == (EARLY,)


def test_three_second_tier_members_outweigh_one_core_member() -> None:
    people = [Member(key="kern", tier=CORE, answers={EARLY: YES})] + [
        Member(key=f"betrokken-{n}", tier=SECOND_TIER, answers={LATE: YES}) for n in range(3)
    ]
    assert plan_meetings([EARLY, LATE], people, 1).dates == (LATE,)
    assert plan_meetings([EARLY, LATE], people[:3], 1).dates == (EARLY,)  # two do not


def test_if_need_be_counts_less_than_yes_but_more_than_no() -> None:
    def poll(early: str, late: str) -> tuple[date, ...]:
        people = [
            Member(key="a", tier=CORE, answers={EARLY: early}),
            Member(key="b", tier=CORE, answers={LATE: late}),
        ]
        return plan_meetings([EARLY, LATE], people, 1).dates

    assert poll(IF_NEED_BE, YES) == (LATE,)
    assert poll(YES, IF_NEED_BE) == (EARLY,)
    assert poll(NO, IF_NEED_BE) == (LATE,)


def test_three_if_need_be_answers_outweigh_one_yes_but_not_two() -> None:
    def poll(if_need_be_early: int, yes_late: int) -> tuple[date, ...]:
        people = [
            Member(key=f"misschien-{n}", tier=CORE, answers={EARLY: IF_NEED_BE})
            for n in range(if_need_be_early)
        ] + [Member(key=f"ja-{n}", tier=CORE, answers={LATE: YES}) for n in range(yes_late)]
        return plan_meetings([EARLY, LATE], people, 1).dates

    assert poll(3, 1) == (EARLY,)
    assert poll(3, 2) == (LATE,)


def test_scores_list_who_answered_what() -> None:
    people = [
        Member(key="a", tier=CORE, answers={EARLY: YES, LATE: NO}),
        Member(key="b", tier=SECOND_TIER, answers={EARLY: IF_NEED_BE}),
        Member(key="c", tier=SECOND_TIER, answers={}),
    ]
    early, late = score_dates([LATE, EARLY], people)
    assert (early.day, early.score) == (EARLY, 2 * 5 + 1 * 2)
    assert (early.yes, early.if_need_be, early.no, early.unanswered) == (("a",), ("b",), (), ("c",))
    assert (late.day, late.score) == (LATE, 0)
    assert (late.yes, late.if_need_be, late.no, late.unanswered) == ((), (), ("a",), ("b", "c"))


def test_the_whole_half_year_beats_choosing_meeting_by_meeting() -> None:
    # The best first evening (day 10) leaves only a poor second one; day 0 opens day 40.
    points = {0: 5, 10: 6, 40: 10, 50: 0}
    days = [START + timedelta(days=d) for d in points]
    people = [
        Member(key=n, tier=SECOND_TIER, answers={START + timedelta(days=d): YES})
        for d, p in points.items()
        for n in range(p)
    ]
    greedy = plan_meetings_greedily(days, people, 2)
    joint = plan_meetings(days, people, 2)
    assert (greedy.dates, greedy.score) == ((days[1], days[3]), 6 * 5)
    assert (joint.dates, joint.score) == ((days[0], days[2]), 15 * 5)


def test_thirty_evenings_fourteen_members_six_meetings_plan_within_a_second() -> None:
    timings = []
    for days, people in feasible_instances(seed=30, count=20):
        started = time.perf_counter()
        plan_meetings(days, people, 6)
        timings.append(time.perf_counter() - started)
    print(f"\nplanner, 30 evenings x 14 members x 6 meetings: max {max(timings) * 1000:.2f} ms")
    assert max(timings) < 1.0


def test_never_worse_than_greedy_and_strictly_better_on_some() -> None:
    strictly_better = 0
    for days, people in feasible_instances(seed=200, count=200):
        joint = plan_meetings(days, people, 6)
        greedy = plan_meetings_greedily(days, people, 6)
        assert respects_spacing(greedy.dates) and len(greedy.dates) == 6
        assert joint.score >= greedy.score
        strictly_better += joint.score > greedy.score
    print(f"\nplanner strictly better than greedy on {strictly_better} of 200 instances")
    assert strictly_better > 0


@st.composite
def permuted_polls(draw: st.DrawFn) -> tuple[Outcome, Outcome]:
    offsets = draw(st.lists(st.integers(0, 120), min_size=1, max_size=12, unique=True))
    days = [START + timedelta(days=offset) for offset in offsets]
    people = [
        Member(
            key=key,
            tier=draw(st.sampled_from([CORE, SECOND_TIER])),
            answers=draw(
                st.dictionaries(st.sampled_from(days), st.sampled_from([YES, IF_NEED_BE, NO]))
            ),
        )
        for key in range(draw(st.integers(0, 6)))
    ]
    meetings = draw(st.integers(1, 4))
    min_gap = draw(st.integers(1, 30))
    max_gap = min_gap + draw(st.integers(0, 20))
    shuffled_days = draw(st.permutations(days))
    shuffled_people = draw(st.permutations(people))
    return (
        outcome(days, people, meetings, min_gap, max_gap),
        outcome(shuffled_days, shuffled_people, meetings, min_gap, max_gap),
    )


@settings(max_examples=300, deadline=None)
@given(permuted_polls())
def test_input_order_changes_neither_score_nor_dates(outcomes: tuple[Outcome, Outcome]) -> None:
    original, shuffled = outcomes
    # Same optimal score, and thanks to the stated tie-break even the same dates.
    assert original == shuffled
