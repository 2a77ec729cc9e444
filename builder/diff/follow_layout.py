"""Where to show graph A's nodes so that they line up with graph B's: the other version "laid out to follow this
one", for the app's side by side and overlay views.

A matched node goes where its match is in B. A removed node keeps its place relative to its nearest matched
neighbours: its own position in A (or A's auto-layout, for a graph without positions) moved by the median shift
of the matched nodes around it, so a deleted block shows up where it was, between the nodes it sat between. A
removed node that would land on another node steps down until it is clear.
"""

from __future__ import annotations

from collections import deque
from statistics import median

from builder.layout.auto_layout import auto_layout
from builder.model.order import graph_of

NEIGHBOUR_HOPS = 3  # how far to look for matched nodes to take the shift from
NODE_SIZE = (220.0, 110.0)  # about a node card on the canvas, to keep a placed node off the others
MAX_STEPS = 60


def complete_positions(graph) -> dict[str, tuple[float, float]]:
    """A position for every node: the saved ones, and auto-layout's for a graph that lacks some."""
    graph = graph_of(graph)
    given = (graph.graph.get("ui") or {}).get("positions") or {}
    if all(node in given for node in graph):
        return {node: (float(given[node][0]), float(given[node][1])) for node in graph}
    laid = auto_layout(graph)
    return {node: tuple(map(float, given[node])) if node in given else laid[node] for node in graph}


def follow_layout(a, matched: dict[str, str], positions_b: dict, positions_a: dict | None = None,
                  size: tuple[float, float] = NODE_SIZE) -> dict[str, tuple[float, float]]:
    """A's id -> position in B's coordinates, for every node of A (see the module's docstring)."""
    a = graph_of(a)
    positions_a = positions_a if positions_a is not None else complete_positions(a)
    shift = {x: _minus(positions_b[y], positions_a[x]) for x, y in matched.items()
             if y in positions_b and x in positions_a}
    overall = _median_shift(list(shift.values()))
    placed = {x: tuple(positions_b[y]) for x, y in matched.items() if y in positions_b}
    taken = list(placed.values()) + [tuple(p) for y, p in positions_b.items() if y not in matched.values()]
    for node in a:
        if node in placed:
            continue
        near = _nearest_matched(a, node, shift)
        dx, dy = _median_shift([shift[n] for n in near]) if near else overall
        x, y = positions_a.get(node, (0.0, 0.0))
        spot = (x + dx, y + dy)
        for _ in range(MAX_STEPS):
            if not any(abs(spot[0] - p[0]) < size[0] and abs(spot[1] - p[1]) < size[1] for p in taken):
                break
            spot = (spot[0], spot[1] + size[1])
        placed[node] = spot
        taken.append(spot)
    return placed


def _minus(p, q):
    return (float(p[0]) - float(q[0]), float(p[1]) - float(q[1]))


def _median_shift(shifts: list) -> tuple[float, float]:
    if not shifts:
        return (0.0, 0.0)
    return (median(s[0] for s in shifts), median(s[1] for s in shifts))


def _nearest_matched(graph, start, shift: dict) -> list:
    """Matched nodes among the closest ones (either direction), up to NEIGHBOUR_HOPS away."""
    seen, frontier, found = {start}, deque([(start, 0)]), []
    while frontier:
        node, hops = frontier.popleft()
        if hops == NEIGHBOUR_HOPS:
            continue
        for other in (*graph.predecessors(node), *graph.successors(node)):
            if other in seen:
                continue
            seen.add(other)
            if other in shift:
                found.append(other)
            else:
                frontier.append((other, hops + 1))
        if found and frontier and frontier[0][1] > hops:
            break  # the nearest ring that holds matched nodes is enough
    return found
