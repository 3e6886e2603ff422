"""The proportional rule that chooses a round's themes (seq-PAV), as a pure function."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from themas.selection import seq_pav

A, B, C, D, E, F, G, H = range(1, 9)


def test_a_bloc_of_thirteen_does_not_take_all_four_places_from_seven():
    ballots = [{A, B, C, D}] * 13 + [{E, F, G, H}] * 7
    chosen = seq_pav(ballots, 4)
    # Plain approval would choose A–D (13 approvals each against 7).
    assert len(chosen) == 4
    assert set(chosen) & {E, F, G, H}
    # A (13); then E (7) beats B (13·½ = 6.5); then B (6.5) and C (13·⅓ ≈ 4.3) beat F (3.5):
    # three places for 13 voters, one for 7.
    assert chosen == [A, E, B, C]


def test_the_worked_example_of_abcvoting_docs():
    """abcvoting's introduction (docs/intro-example.rst): six voters over candidates 0–4,
    committee size 3; its PAV winners are {0, 1, 3} and {0, 1, 4}. By hand, seq-PAV: 0 and 1
    have 4 approvals (tie → earlier id 0); then 1 scores 4·½ = 2 against 1½ for 2, 3, 4;
    then 2 scores 3·⅓ = 1, while 3 and 4 score 1 + ⅓; their tie (2 approvals each) goes to
    the earlier, 3."""
    ballots = [{0, 1, 2}, {3}, {0, 1, 2, 3}, {0, 1, 2, 4}, {0, 1}, {4}]
    assert seq_pav(ballots, 3) == [0, 1, 3]


def test_ties_go_to_more_approvals_then_the_earlier_proposal():
    # After 1, theme 4 scores ½ + ½ = 1 with two approvals, theme 2 scores 1 with one:
    # equal scores, so more approvals first (not the lower id).
    assert seq_pav([{1, 4}, {1, 4}, {1}, {2}], 2) == [1, 4]
    # Equal scores and approvals: the earlier proposal (lower id).
    assert seq_pav([{5}, {3}], 1) == [3]


def test_no_theme_without_approvals_fills_a_place():
    assert seq_pav([{1}, {1}], 3) == [1]
    assert seq_pav([], 3) == []
    assert seq_pav([set(), set()], 2) == []


ballots_strategy = st.lists(
    st.sets(st.integers(min_value=1, max_value=8), max_size=5), min_size=0, max_size=30
)


@settings(max_examples=200, deadline=None)
@given(ballots=ballots_strategy, seats=st.integers(min_value=1, max_value=6), seed=st.integers())
def test_the_result_does_not_depend_on_the_order_of_the_ballots(ballots, seats, seed):
    shuffled = list(ballots)
    random.Random(seed).shuffle(shuffled)
    assert seq_pav(shuffled, seats) == seq_pav(ballots, seats)


@settings(max_examples=200, deadline=None)
@given(ballots=ballots_strategy, seats=st.integers(min_value=1, max_value=6))
def test_never_a_theme_without_approvals_while_an_approved_one_is_left_out(ballots, seats):
    chosen = seq_pav(ballots, seats)
    approved = set().union(*ballots) if ballots else set()
    assert set(chosen) <= approved  # nothing without an approval
    assert len(chosen) == min(seats, len(approved))  # and every place an approved one can take
    assert len(set(chosen)) == len(chosen)
