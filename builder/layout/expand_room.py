"""Room for a block being opened in place: its card grows into the frame around its nodes, so what stands to
its right in the same band moves right by the growth in width, and everything below the card's band moves down
by the growth in height. Whole collapsed blocks move together (their cards stay at their nodes' corner).
"""

from __future__ import annotations

from builder.layout.block_layout import CARD_SIZE, FRAME_PAD, NODE_SIZE
from builder.model.blocks import blocks_of, chain_of, collapsed_owner, members

GAP = 40.0


def _corner(positions, nodes):
    placed = [positions[n] for n in nodes if n in positions]
    if not placed:
        return None
    return min(x for x, _y in placed), min(y for _x, y in placed)


def room_to_open(graph, positions: dict, block: str, node_size=NODE_SIZE) -> dict[str, tuple[float, float]]:
    """node -> new position for every node that must move so `block`, opened, overlaps nothing."""
    inside = members(graph, block)
    corner = _corner(positions, inside)
    if corner is None:
        return {}
    x0, y0 = corner
    # Once open, a nested block that stays collapsed shows one card at its nodes' corner.
    shown: dict = {}
    for node in inside:
        if node not in positions:
            continue
        below = chain_of(graph, node)
        below = below[:below.index(block)]
        closed = [b for b in below if blocks_of(graph)[b].get("collapsed")]
        shown.setdefault(closed[-1] if closed else node, []).append(node)
    right = bottom = 0.0
    for unit, nodes in shown.items():
        ux, uy = _corner(positions, nodes)
        size = node_size if unit in positions and len(nodes) == 1 and unit == nodes[0] else CARD_SIZE
        right, bottom = max(right, ux + size[0]), max(bottom, uy + size[1])
    right += FRAME_PAD[0]
    bottom += FRAME_PAD[0]
    dx = right - (x0 + CARD_SIZE[0]) + GAP
    dy = bottom - (y0 + CARD_SIZE[1]) + GAP
    top_after = y0 - FRAME_PAD[1]
    if top_after < y0:  # the title bar grows upwards: a little more room below makes it even
        dy += y0 - top_after
    units: dict = {}  # what moves as one: a collapsed block (by its outermost card) or a node
    chosen = set(inside)
    for node in graph:
        if node in chosen or node not in positions:
            continue
        owner = collapsed_owner(graph, node)
        units.setdefault(owner or node, []).append(node)
    moved = {}
    for nodes in units.values():
        ux, uy = _corner(positions, nodes)
        if uy >= y0 + CARD_SIZE[1]:  # a later band
            shift = (0.0, max(dy, 0.0))
        elif uy + node_size[1] > y0 and ux >= x0 + CARD_SIZE[0] / 2:  # right of the card, in its band
            shift = (max(dx, 0.0), 0.0)
        else:
            continue
        if shift == (0.0, 0.0):
            continue
        for node in nodes:
            x, y = positions[node]
            moved[node] = (x + shift[0], y + shift[1])
    return moved
