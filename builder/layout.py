"""Automatic left-to-right layout by topological layers, keeping parallel branches apart.

Each node's column is its longest distance from a source; within a column nodes are ordered by the mean row
of their inputs (barycenter), so a branch stays level with where it came from and branches do not cross.
"""

from __future__ import annotations

from collections import defaultdict

from builder.graph import GraphDocument
from builder.shapes import topological_order

COLUMN_WIDTH = 280.0
ROW_HEIGHT = 150.0


def auto_layout(graph) -> dict[str, tuple[float, float]]:
    """node id -> (x, y) for every node of a graph (a GraphDocument or a MultiDiGraph); nodes in or behind a
    cycle go in a last column."""
    graph = graph.graph if isinstance(graph, GraphDocument) else graph
    order, stuck = topological_order(graph, set(graph))
    column = {}
    for node in order:
        column[node] = max((column[p] + 1 for p in graph.predecessors(node) if p in column), default=0)
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
            rows = [row[p] for p in graph.predecessors(node) if p in row]
            return sum(rows) / len(rows) if rows else first_seen[node]

        members.sort(key=weight)
        offset = (len(members) - 1) / 2
        for i, node in enumerate(members):
            row[node] = i - offset
    return {n: (column[n] * COLUMN_WIDTH, row[n] * ROW_HEIGHT) for n in graph}
