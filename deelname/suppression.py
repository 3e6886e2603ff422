"""Small-cell suppression for the staff's figures: no group under three people is shown, and
none can be worked out from what is shown (the totals included).

A table is published with its row totals, column totals and grand total. Put the totals in an
extended table, one row and one column more; every line of it then adds up (cells minus their
total make zero). What a reader does not see are the suppressed cells, and a suppressed cell
can be worked out exactly when it lies on no cycle of suppressed cells (rows and columns as
the two sides of a bipartite graph, suppressed cells as its edges): a cycle lets its values
shift by +t, −t around it and every sum still holds. So after the primary suppression (1 or 2
people), each suppressed cell not yet on a cycle gets one by suppressing the cheapest path of
further cells (small counts first, totals last). Zero is not a group of people and is shown.

Pure: no Django, no database. Tested with hypothesis against exact linear algebra.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 3


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[int | None]]  # None: suppressed
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


def _cost(value: int, *, margin: bool, threshold: int) -> int:
    # Prefer small counts that are no group of their own, then zeros (they hide less), and a
    # total only when nothing else closes the cycle.
    cost = value if value >= threshold else 10_000 + value
    return cost + (1_000_000 if margin else 0)


def suppress(cells: Sequence[Sequence[int]], *, threshold: int = THRESHOLD) -> SuppressedTable:
    """The table with its totals, every count from 1 to threshold−1 suppressed and enough
    others (complementary suppression) that none of them follows from what is shown."""
    rows = len(cells)
    cols = len(cells[0]) if rows else 0
    if rows == 0 or cols == 0:
        return SuppressedTable([[] for _ in range(rows)], [0] * rows, [0] * cols, 0)
    R, C = rows, cols  # the totals' row and column in the extended table
    ext = [list(row) + [sum(row)] for row in cells]
    ext.append([sum(cells[i][j] for i in range(rows)) for j in range(cols)] + [0])
    ext[R][C] = sum(ext[R][:C])
    hidden = {(i, j) for i in range(R + 1) for j in range(C + 1) if 0 < ext[i][j] < threshold}

    def connected(a: int, b: int, without: tuple[int, int]) -> bool:
        # Row node a reaches column node b through hidden cells other than `without`?
        seen_rows, seen_cols = {a}, set()
        frontier = [("r", a)]
        while frontier:
            side, node = frontier.pop()
            for i, j in hidden:
                if (i, j) == without:
                    continue
                if side == "r" and i == node and j not in seen_cols:
                    seen_cols.add(j)
                    frontier.append(("c", j))
                elif side == "c" and j == node and i not in seen_rows:
                    seen_rows.add(i)
                    frontier.append(("r", i))
        return b in seen_cols

    def cheapest_path(a: int, b: int) -> list[tuple[int, int]]:
        # Dijkstra from row a to column b on the complete bipartite graph, without edge (a, b).
        start, goal = ("r", a), ("c", b)
        best = {start: 0}
        previous: dict[tuple[str, int], tuple[tuple[str, int], tuple[int, int]]] = {}
        queue = [(0, start)]
        while queue:
            cost, node = heapq.heappop(queue)
            if node == goal:
                break
            if cost > best.get(node, cost):
                continue
            side, k = node
            neighbours = range(C + 1) if side == "r" else range(R + 1)
            for m in neighbours:
                cell = (k, m) if side == "r" else (m, k)
                if cell == (a, b):
                    continue
                margin = cell[0] == R or cell[1] == C
                step = (
                    0
                    if cell in hidden
                    else _cost(ext[cell[0]][cell[1]], margin=margin, threshold=threshold)
                )
                nxt = ("c" if side == "r" else "r", m)
                if cost + step < best.get(nxt, 1 << 62):
                    best[nxt] = cost + step
                    previous[nxt] = (node, cell)
                    heapq.heappush(queue, (cost + step, nxt))
        path, node = [], goal
        while node != start:
            node, cell = previous[node]
            path.append(cell)
        return path

    changed = True
    while changed:
        changed = False
        for i, j in sorted(hidden):
            if not connected(i, j, without=(i, j)):
                hidden.update(cheapest_path(i, j))
                changed = True
                break

    def shown(i: int, j: int) -> int | None:
        return None if (i, j) in hidden else ext[i][j]

    return SuppressedTable(
        cells=[[shown(i, j) for j in range(C)] for i in range(R)],
        row_totals=[shown(i, C) for i in range(R)],
        column_totals=[shown(R, j) for j in range(C)],
        total=shown(R, C),
    )
