"""Small-cell suppression for survey results: pure functions, no Django.

No figure below `MIN_CELL` respondents is shown, and no hidden figure can be computed from
the shown ones by adding and subtracting (complementary suppression).

Two shapes of table:

- `suppress_counts`: one question's counts per category against the number of responses.
  When the categories exclude each other (one choice, a scale, with "no answer" as a
  category of its own) they add up to the total: one equation.
- `suppress_table`: a breakdown, rows the groups of one question (with "no answer"),
  columns the categories of another. Its margins are the two questions' own counts, shown
  (or hidden) by `suppress_counts` on the same page, so here they are given and only cells
  may be hidden. Columns always add up to their margin (each respondent is in one group);
  rows add up too when the column categories exclude each other.

A table with all its margins is a bipartite graph (rows and a total-row node on one side,
columns and a total-column node on the other; every figure an edge): a hidden figure can be
computed from the shown ones exactly when it is a bridge of the graph of hidden edges, i.e.
lies on no cycle of hidden figures. So we hide the small cells, then, while some hidden edge
is a bridge, hide the cheapest path of shown cells that closes a cycle through it.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

MIN_CELL = 5


def is_small(value: int) -> bool:
    return value < MIN_CELL


def suppress_counts(counts: Sequence[int], total: int, *, add_up: bool) -> list[bool]:
    """Which counts may be shown (True) beside `total`, which is shown when it is at least
    MIN_CELL (else nothing is). `add_up`: the counts add up to the total."""
    if is_small(total):
        return [False] * len(counts)
    shown = [not is_small(value) for value in counts]
    if add_up and shown.count(False) == 1:
        # One hidden count is the total minus the others: hide the next smallest too.
        candidates = [i for i, ok in enumerate(shown) if ok]
        if not candidates:
            return shown
        shown[min(candidates, key=lambda i: (counts[i], i))] = False
    return shown


@dataclass(frozen=True)
class Table:
    """A breakdown: `cells[row][col]`, with the margins already decided on the page."""

    cells: Sequence[Sequence[int]]
    row_totals: Sequence[int]
    col_totals: Sequence[int]
    total: int
    row_shown: Sequence[bool]  # the group sizes as shown with their own question
    col_shown: Sequence[bool]  # the category counts as shown with their own question
    rows_add_up: bool


def suppress_table(table: Table) -> list[list[bool]] | None:
    """Which cells may be shown; None when the table cannot be shown safely at all."""
    n_rows, n_cols = len(table.row_totals), len(table.col_totals)
    if is_small(table.total) or n_rows == 0 or n_cols == 0:
        return None
    shown = [[not is_small(v) for v in row] for row in table.cells]
    if table.rows_add_up:
        return _protect_graph(table, shown)
    return _protect_columns(table, shown)


def _protect_columns(table: Table, shown: list[list[bool]]) -> list[list[bool]] | None:
    """Only the columns add up: each column is one equation, apart from the others."""
    for col in range(len(table.col_totals)):
        hidden = [r for r in range(len(shown)) if not shown[r][col]]
        if len(hidden) + (not table.col_shown[col]) == 1:
            candidates = [r for r in range(len(shown)) if shown[r][col]]
            if not candidates:
                return None
            row = min(candidates, key=lambda r: (table.cells[r][col], r))
            shown[row][col] = False
    return shown


# Nodes: ("r", i) rows, ("c", j) columns, ("R",) the total row, ("C",) the total column.
# Edges: cell (r i, c j), row total (r i, C), column total (R, c j), total (R, C).
Edge = tuple[str, int, int]  # ("cell", i, j) | ("row", i, -1) | ("col", -1, j) | ("all", -1, -1)


def _ends(edge: Edge) -> tuple[tuple, tuple]:
    kind, i, j = edge
    if kind == "cell":
        return ("r", i), ("c", j)
    if kind == "row":
        return ("r", i), ("C",)
    if kind == "col":
        return ("R",), ("c", j)
    return ("R",), ("C",)


def _connected_without(edges: list[Edge], skip: Edge, start: tuple, goal: tuple) -> bool:
    graph: dict[tuple, list[tuple]] = defaultdict(list)
    for edge in edges:
        if edge != skip:
            a, b = _ends(edge)
            graph[a].append(b)
            graph[b].append(a)
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _bridges(hidden: list[Edge]) -> list[Edge]:
    return [e for e in hidden if not _connected_without(hidden, e, *_ends(e))]


def _protect_graph(table: Table, shown: list[list[bool]]) -> list[list[bool]] | None:
    n_rows, n_cols = len(table.row_totals), len(table.col_totals)
    margins: list[Edge] = [("row", i, -1) for i in range(n_rows) if not table.row_shown[i]]
    margins += [("col", -1, j) for j in range(n_cols) if not table.col_shown[j]]
    while True:
        hidden = margins + [
            ("cell", i, j) for i in range(n_rows) for j in range(n_cols) if not shown[i][j]
        ]
        bridges = _bridges(hidden)
        if not bridges:
            return shown
        path = _cheapest_cycle(table, shown, hidden, bridges[0])
        if path is None:
            return None  # only shown margins could close it: the table is withheld
        for i, j in path:
            shown[i][j] = False


def _cheapest_cycle(
    table: Table, shown: list[list[bool]], hidden: list[Edge], bridge: Edge
) -> list[tuple[int, int]] | None:
    """The shown cells to hide so that `bridge` lies on a cycle of hidden figures: the
    shortest path between its ends over hidden edges (free) and shown cells (cost: one, then
    the smaller figure)."""
    graph: dict[tuple, list[tuple[tuple, float, tuple[int, int] | None]]] = defaultdict(list)
    for edge in hidden:
        if edge != bridge:
            a, b = _ends(edge)
            graph[a].append((b, 0.0, None))
            graph[b].append((a, 0.0, None))
    for i, row in enumerate(shown):
        for j, ok in enumerate(row):
            if ok:
                cost = 1.0 + table.cells[i][j] / 1e9
                graph[("r", i)].append((("c", j), cost, (i, j)))
                graph[("c", j)].append((("r", i), cost, (i, j)))
    start, goal = _ends(bridge)
    best: dict[tuple, float] = {start: 0.0}
    came: dict[tuple, tuple[tuple, tuple[int, int] | None]] = {}
    queue: list[tuple[float, int, tuple]] = [(0.0, 0, start)]
    counter = 0
    while queue:
        dist, _n, node = heapq.heappop(queue)
        if node == goal:
            path = []
            while node != start:
                node, cell = came[node]
                if cell is not None:
                    path.append(cell)
            return path
        if dist > best.get(node, float("inf")):
            continue
        for nxt, cost, cell in graph[node]:
            if dist + cost < best.get(nxt, float("inf")):
                best[nxt] = dist + cost
                came[nxt] = (node, cell)
                counter += 1
                heapq.heappush(queue, (dist + cost, counter, nxt))
    return None
