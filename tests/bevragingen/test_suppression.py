"""Small-cell suppression, as a property: for random response sets and breakdowns, no shown
figure is below 5 and no hidden figure follows from the shown ones and the totals.

The check is independent of the module's graph reasoning: it writes out every equation the
figures truly satisfy and asks exact linear algebra (fractions) whether a hidden figure is
determined by the shown ones.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bevragingen.suppression import MIN_CELL, Table, suppress_counts, suppress_table

NONE = -1  # "no answer"


def _determined(n_vars: int, equations: list[dict[int, int]], known: dict[int, int]) -> set[int]:
    """The unknown variables whose value the equations fix, given the known ones."""
    unknown = [v for v in range(n_vars) if v not in known]
    index = {v: k for k, v in enumerate(unknown)}
    rows = []
    for eq in equations:
        row = [Fraction(0)] * len(unknown)
        for var, coef in eq.items():
            if var in index:
                row[index[var]] += coef
        if any(row):
            rows.append(row)
    # Reduced row echelon form: an unknown is determined iff its pivot row has nothing else.
    pivots: list[tuple[int, int]] = []
    r = 0
    for col in range(len(unknown)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append((r, col))
        r += 1
    return {
        unknown[col]
        for row, col in pivots
        if all(x == 0 for k, x in enumerate(rows[row]) if k != col)
    }


def _counts(values, categories):
    return [sum(1 for v in values if v == c) for c in categories]


respondents = st.lists(
    st.tuples(
        st.one_of(st.just(NONE), st.integers(0, 3)),
        st.one_of(st.just(NONE), st.integers(0, 4)),
        st.frozensets(st.integers(0, 4), max_size=4),
    ),
    max_size=140,
)


def _layout(data, n_groups, n_cats, *, several: bool):
    groups = [*range(n_groups), NONE]
    cats = list(range(n_cats)) if several else [*range(n_cats), NONE]
    people = [(g if g < n_groups else NONE, a if a < n_cats else NONE, s) for g, a, s in data]
    total = len(people)
    group_counts = _counts([g for g, _a, _s in people], groups)
    if several:
        cat_counts = [sum(1 for _g, _a, s in people if c in s) for c in cats]
        cells = [
            [sum(1 for pg, _a, s in people if pg == g and c in s) for c in cats] for g in groups
        ]
    else:
        cat_counts = _counts([a for _g, a, _s in people], cats)
        cells = [
            [sum(1 for pg, a, _s in people if pg == g and a == c) for c in cats] for g in groups
        ]
    return groups, cats, total, group_counts, cat_counts, cells


@settings(max_examples=400, deadline=None)
@given(
    data=respondents,
    n_groups=st.integers(1, 4),
    n_cats=st.integers(1, 5),
    several=st.booleans(),
)
def test_no_small_figure_shown_and_no_hidden_figure_recoverable(data, n_groups, n_cats, several):
    groups, cats, total, group_counts, cat_counts, cells = _layout(
        data, n_groups, n_cats, several=several
    )
    group_shown = suppress_counts(group_counts, total, add_up=True)
    cat_shown = suppress_counts(cat_counts, total, add_up=not several)
    cell_shown = suppress_table(
        Table(
            cells=cells,
            row_totals=group_counts,
            col_totals=cat_counts,
            total=total,
            row_shown=group_shown,
            col_shown=cat_shown,
            rows_add_up=not several,
        )
    )
    if cell_shown is None:
        cell_shown = [[False] * len(cats) for _ in groups]

    # Variables: cells, group sizes, category counts, the number of responses.
    n_g, n_c = len(groups), len(cats)

    def cell(i, j):
        return i * n_c + j

    def grp(i):
        return n_g * n_c + i

    def cat(j):
        return n_g * n_c + n_g + j

    everyone = n_g * n_c + n_g + n_c
    values = {cell(i, j): cells[i][j] for i in range(n_g) for j in range(n_c)}
    values |= {grp(i): group_counts[i] for i in range(n_g)}
    values |= {cat(j): cat_counts[j] for j in range(n_c)}
    values[everyone] = total
    shown = {cell(i, j) for i in range(n_g) for j in range(n_c) if cell_shown[i][j]}
    shown |= {grp(i) for i in range(n_g) if group_shown[i]}
    shown |= {cat(j) for j in range(n_c) if cat_shown[j]}
    if total >= MIN_CELL:
        shown.add(everyone)

    for var in shown:
        assert values[var] >= MIN_CELL, (var, values[var])

    equations = [{grp(i): 1 for i in range(n_g)} | {everyone: -1}]
    equations += [{cell(i, j): 1 for i in range(n_g)} | {cat(j): -1} for j in range(n_c)]
    if not several:
        equations.append({cat(j): 1 for j in range(n_c)} | {everyone: -1})
        equations += [{cell(i, j): 1 for j in range(n_c)} | {grp(i): -1} for i in range(n_g)]
    for eq in equations:  # the equations are true of the data
        assert sum(values[v] * k for v, k in eq.items()) == 0

    known = {v: values[v] for v in shown}
    assert _determined(everyone + 1, equations, known) == set()


def test_a_lone_small_cell_takes_a_second_one_with_it():
    shown = suppress_counts([40, 3, 20, 30], 93, add_up=True)
    assert shown == [True, False, False, True]


def test_fewer_than_five_responses_show_nothing():
    assert suppress_counts([2, 2], 4, add_up=True) == [False, False]
