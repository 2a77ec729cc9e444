"""What a large document's build makes first (issue 18): the items the view shows.

Opening a 10,000-node file used to make every node, port and wire before the window showed anything but an
empty canvas; the view shows a hundred of them (the readable fit shows the beginning of a large graph). So the
scene makes those first, the window paints them, and the rest follow in slices. Before the items exist, the
document's positions say where each card will stand (`planned_cards`), which is enough for the fit and for
choosing what is in view; a card's height depends on its ports, so until its item exists it is taken as a
one-input card's (the fit is redone once every item exists, see CanvasView).

Pure functions of the document: no Qt.
"""

from __future__ import annotations

from gui.canvas import geometry

# A margin around the visible area, as a share of its size: items just outside it are made first too, so the
# wires leaving the view and a small pan or zoom show no gap.
MARGIN_SHARE = 0.25


def planned_cards(doc, height: float) -> dict[str, tuple[float, float, float, float]]:
    """node id -> (x, y, width, height) of each positioned node's card, from the document alone."""
    width = geometry.NODE_WIDTH
    return {node_id: (x, y, width, height) for node_id, (x, y) in doc.positions.items() if node_id in doc.graph}


def in_view_first(doc, cards: dict, region: tuple[float, float, float, float]
                  ) -> tuple[list[str], list[tuple[str, str, int]]]:
    """(nodes, wires) to make before the rest, in that order: the nodes whose cards meet `region` (left, top,
    right, bottom, widened by MARGIN_SHARE) and the nodes at the other end of their wires, then every wire
    that touches a node in the region (its other end then exists too, so it can be routed at once)."""
    left, top, right, bottom = region
    dx, dy = (right - left) * MARGIN_SHARE, (bottom - top) * MARGIN_SHARE
    left, top, right, bottom = left - dx, top - dy, right + dx, bottom + dy
    inside = [n for n, (x, y, w, h) in cards.items() if x <= right and x + w >= left and y <= bottom and y + h >= top]
    graph = doc.graph
    nodes = dict.fromkeys(inside)
    wires = {}
    for node_id in inside:
        for source, _target, port in graph.in_edges(node_id, data="port"):
            nodes.setdefault(source)
            wires[(source, node_id, port)] = None
        for _source, target, port in graph.out_edges(node_id, data="port"):
            nodes.setdefault(target)
            wires[(node_id, target, port)] = None
    return list(nodes), list(wires)
