"""Small-cell suppression: every group under three hidden, and none recoverable from the rest,
checked by exact linear algebra on random tables."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from deelname.suppression import suppress

tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda cols: st.lists(
        st.lists(st.integers(min_value=0, max_value=12), min_size=cols, max_size=cols),
        min_size=1,
        max_size=5,
    )
)


def _extended(table, result):
    R, C = len(table), len(table[0])
    values = [list(row) + [sum(row)] for row in table]
    values.append([sum(table[i][j] for i in range(R)) for j in range(C)] + [0])
    values[R][C] = sum(values[R][:C])
    shown = [list(row) + [t] for row, t in zip(result.cells, result.row_totals, strict=True)]
    shown.append(list(result.column_totals) + [result.total])
    return values, shown


def _determined(shown, R, C) -> set[tuple[int, int]]:
    """Hidden cells the published figures pin down: x_k is determined iff the unit vector e_k
    lies in the row space of the line constraints restricted to the hidden cells."""
    unknowns = [(i, j) for i in range(R + 1) for j in range(C + 1) if shown[i][j] is None]
    index = {cell: k for k, cell in enumerate(unknowns)}
    lines = []
    for i in range(R + 1):  # each row of the extended table: cells − total = 0
        lines.append({(i, j): (1 if j < C else -1) for j in range(C + 1)})
    for j in range(C + 1):
        lines.append({(i, j): (1 if i < R else -1) for i in range(R + 1)})
    matrix = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for cell, coefficient in line.items():
            if cell in index:
                row[index[cell]] += coefficient
        matrix.append(row)

    def rank(rows):
        rows = [r[:] for r in rows]
        r = 0
        for c in range(len(unknowns)):
            pivot = next((k for k in range(r, len(rows)) if rows[k][c] != 0), None)
            if pivot is None:
                continue
            rows[r], rows[pivot] = rows[pivot], rows[r]
            for k in range(len(rows)):
                if k != r and rows[k][c] != 0:
                    factor = rows[k][c] / rows[r][c]
                    rows[k] = [a - factor * b for a, b in zip(rows[k], rows[r], strict=True)]
            r += 1
        return r

    base = rank(matrix)
    found = set()
    for cell, k in index.items():
        unit = [Fraction(0)] * len(unknowns)
        unit[k] = Fraction(1)
        if rank([*matrix, unit]) == base:
            found.add(cell)
    return found


@settings(max_examples=300, deadline=None)
@given(tables)
def test_no_small_group_is_shown_or_recoverable(table):
    result = suppress(table)
    R, C = len(table), len(table[0])
    values, shown = _extended(table, result)
    for i in range(R + 1):
        for j in range(C + 1):
            if shown[i][j] is not None:
                assert shown[i][j] == values[i][j]  # what is shown is true
                assert not 0 < shown[i][j] < 3  # and no group under three
    assert _determined(shown, R, C) == set()


def test_a_table_without_small_groups_is_shown_whole():
    result = suppress([[5, 7], [3, 9]])
    assert result.cells == [[5, 7], [3, 9]] and result.total == 24


def test_a_lone_small_cell_takes_others_with_it():
    result = suppress([[1, 5, 7], [4, 6, 8], [9, 9, 9]])
    hidden = sum(v is None for row in result.cells for v in row)
    assert result.cells[0][0] is None and hidden >= 4
