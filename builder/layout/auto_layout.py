"""Automatic left-to-right layout by topological layers, keeping parallel branches apart.

Each node's column is its longest distance from a source; within a column nodes are ordered by the mean row
of their inputs (barycenter), so a branch stays level with where it came from and branches do not cross.

A deep model (an imported DenseNet has some 400 columns) would make one strip hundreds of times wider than
high, which no window shows at a glance. Past WRAP_AFTER columns the columns are wrapped into bands stacked
top to bottom, like lines of text, each about as wide as the stack is high; a band ends where the fewest
tensors cross (between two blocks rather than inside one).
"""

from __future__ import annotations

from collections import defaultdict

from builder.model.document import GraphDocument
from builder.model.order import topological_order

COLUMN_WIDTH = 280.0
ROW_HEIGHT = 150.0
WRAP_AFTER = 40  # columns; graphs no deeper than this keep one strip
ASPECT = 1.6  # width / height aimed at for a wrapped layout (a window's canvas area)
BAND_GAP = 1.5  # rows of space between two bands


def auto_layout(graph, wrap_after: int = WRAP_AFTER) -> dict[str, tuple[float, float]]:
    """node id -> (x, y) for every node of a graph (a GraphDocument or a MultiDiGraph); nodes in or behind a
    cycle go in a last column. More than `wrap_after` columns are wrapped into bands."""
    graph = graph.graph if isinstance(graph, GraphDocument) else graph
    order, stuck = topological_order(graph, set(graph))
    pred_of = graph._pred  # networkx's adjacency dicts, as graph.predecessors reads them, without a view per node
    column = {}
    for node in order:
        column[node] = max((column[p] + 1 for p in pred_of[node] if p in column), default=0)
    last = max(column.values(), default=-1) + 1
    for node in graph:
        if node in stuck:
            column[node] = last
    columns = defaultdict(list)
    for node in graph:  # document order breaks ties
        columns[column[node]].append(node)
    row = {}
    for index in sorted(columns):
        members = columns[index]
        first_seen = {node: i for i, node in enumerate(members)}

        def weight(node, first_seen=first_seen):
            rows = [row[p] for p in pred_of[node] if p in row]
            return sum(rows) / len(rows) if rows else first_seen[node]

        members.sort(key=weight)
        offset = (len(members) - 1) / 2
        for i, node in enumerate(members):
            row[node] = i - offset
    if len(columns) <= wrap_after:
        return {n: (column[n] * COLUMN_WIDTH, row[n] * ROW_HEIGHT) for n in graph}
    return _wrapped(graph, column, row, columns)


def _wrapped(graph, column, row, columns) -> dict[str, tuple[float, float]]:
    """Positions with the columns wrapped into bands (see the module's docstring)."""
    count = max(columns) + 1
    rows_of = [[row[n] for n in columns.get(c, ())] for c in range(count)]
    tallest = max(max(r) - min(r) for r in rows_of if r) + 1 + BAND_GAP
    # Each band ~ `per_band` columns wide and `tallest` rows high; count/per_band bands stacked should give
    # width/height ~ ASPECT: per_band * W / ((count / per_band) * tallest * H) = ASPECT.
    per_band = max(8, round((ASPECT * count * tallest * ROW_HEIGHT / COLUMN_WIDTH) ** 0.5))
    # crossing[b]: tensors made before column b and read at b or after (a tensor read by both branches of a
    # block counts once: it is one wire leaving the band).
    crossing = [0] * (count + 1)
    succ_of = graph._succ
    for u in graph:
        farthest = max((column[v] for v in succ_of[u]), default=column[u])
        if farthest > column[u]:
            crossing[column[u] + 1] += 1
            crossing[farthest + 1] -= 1
    for b in range(1, count + 1):
        crossing[b] += crossing[b - 1]
    starts, start = [0], 0
    while count - start > per_band * 1.25:
        window = range(start + max(1, round(per_band * 0.75)), start + round(per_band * 1.25) + 1)
        start = min(window, key=lambda b: (crossing[b], abs(b - start - per_band)))
        starts.append(start)
    positions, top = {}, 0.0
    for first, end in zip(starts, [*starts[1:], count]):
        band_rows = [r for c in range(first, end) for r in rows_of[c]]
        lowest = min(band_rows, default=0.0)
        for c in range(first, end):
            for node in columns.get(c, ()):
                positions[node] = ((c - first) * COLUMN_WIDTH, (top + row[node] - lowest) * ROW_HEIGHT)
        top += max(band_rows, default=0.0) - lowest + 1 + BAND_GAP
    return {n: positions[n] for n in graph}
