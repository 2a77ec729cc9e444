"""Room for a block being opened in place: its card grows into the frame around its nodes. What stands level
with the open block and right of its card moves right together, just enough to clear the frame; what would be
under the frame (level with it, not right of the card) moves below it. What stands above the card and would
meet the frame's title bar stays: the block's own nodes move down just enough instead. Whole collapsed blocks
move together (their cards stay at their nodes' corner); the rest of the canvas stays where it was.
"""

from __future__ import annotations

from builder.layout.block_layout import CARD_SIZE, FRAME_PAD, NODE_SIZE
from builder.model.blocks import blocks_of, chain_of, collapsed_owner, members

GAP = 40.0
TITLE_CLEARANCE = 12.0  # between what stands above an opened block and its frame's title bar


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
    top = y0 - FRAME_PAD[1]
    units: dict = {}  # what moves as one: a collapsed block (by its outermost card) or a node
    chosen = set(inside)
    for node in graph:
        if node in chosen or node not in positions:
            continue
        owner = collapsed_owner(graph, node)
        units.setdefault(owner or node, []).append(node)
    corners = {unit: _corner(positions, nodes) for unit, nodes in units.items()}
    sizes = {unit: node_size if unit == nodes[0] and len(nodes) == 1 and unit in positions else CARD_SIZE
             for unit, nodes in units.items()}
    # The frame's title bar stands above the card: what stands mostly above the card and would meet it stays,
    # and the block's own nodes move down just enough instead (the row above is not pushed about).
    drop = 0.0
    for unit, (ux, uy) in corners.items():
        w, h = sizes[unit]
        if uy + h / 2 < y0 and uy + h > top and ux < right and ux + w > x0 - FRAME_PAD[0]:
            drop = max(drop, uy + h + TITLE_CLEARANCE - top)
    moved = {}
    if drop:
        for node in inside:
            if node in positions:
                x, y = positions[node]
                moved[node] = (x, y + drop)
        y0, top, bottom = y0 + drop, top + drop, bottom + drop

    def beside(unit):  # level with the open block (what stands mostly above its card is the drop's to clear)
        uy, h = corners[unit][1], sizes[unit][1]
        return uy < bottom and uy + h > top and uy + h / 2 >= y0

    # Level with the block and right of its card: all move right together, just enough to clear it.
    right_side = [u for u in units if beside(u) and corners[u][0] >= x0 + CARD_SIZE[0] / 2]
    dx = max(0.0, right + GAP - min((corners[u][0] for u in right_side), default=right + GAP))
    for unit, nodes in units.items():
        ux, uy = corners[unit]
        if unit in right_side:
            shift = (dx, 0.0)
        elif beside(unit) and ux + sizes[unit][0] > x0 - GAP:  # under the open block: below it
            shift = (0.0, bottom + GAP - uy)
        else:
            continue
        if shift == (0.0, 0.0):
            continue
        for node in nodes:
            x, y = positions[node]
            moved[node] = (x + shift[0], y + shift[1])
    return moved
