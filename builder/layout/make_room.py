"""Making room for a node put between others (inserted on a wire, or after a node): the nodes downstream of it
shift right until it overlaps none of them, and if it still sits on a node that is not downstream (a parallel
branch), it moves down to the first free spot. Positions are top-left corners; sizes come from the caller (the
canvas knows each card's height), with a node's usual size for those it does not give. No Qt here.
"""

from __future__ import annotations

import networkx as nx

DEFAULT_SIZE = (200.0, 100.0)  # a node card's usual size (gui/canvas/geometry.py draws them 200 wide)
GAP = 40.0  # free space kept between the inserted node and its neighbours


def _rect(position, size) -> tuple[float, float, float, float]:
    return position[0], position[1], position[0] + size[0], position[1] + size[1]


def _overlaps(a, b, gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def make_room(graph: nx.MultiDiGraph, positions: dict, node: str, sizes: dict | None = None,
              gap: float = GAP) -> dict[str, tuple[float, float]]:
    """New positions (only those that change) so that `node` overlaps no other node: its descendants to the
    right of its left edge shift right together, by the least amount that clears it; then, if `node` still
    overlaps a node that is not downstream, `node` itself moves down until it is free."""
    sizes = sizes or {}

    def size(n):
        return sizes.get(n, DEFAULT_SIZE)

    placed = {n: tuple(xy) for n, xy in positions.items() if n in graph}
    if node not in placed:
        return {}
    here = _rect(placed[node], size(node))
    downstream = {n for n in nx.descendants(graph, node) if n in placed and placed[n][0] >= here[0]}
    moved: dict[str, tuple[float, float]] = {}
    blocking = [n for n in downstream if _overlaps(here, _rect(placed[n], size(n)), gap / 2)]
    if blocking:
        shift = here[2] + gap - min(placed[n][0] for n in blocking)
        for n in downstream:
            moved[n] = (placed[n][0] + shift, placed[n][1])
    now = {**placed, **moved}
    others = [_rect(now[n], size(n)) for n in now if n != node]
    x, y = placed[node]
    width, height = size(node)
    for _ in range(200):  # a bounded search: a canvas is never 200 nodes tall at one spot
        if not any(_overlaps((x, y, x + width, y + height), other, gap / 2) for other in others):
            break
        y += height / 2
    if (x, y) != placed[node]:
        moved[node] = (x, y)
    return moved
