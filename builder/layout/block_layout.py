"""Auto-layout that respects blocks: at each level of nesting the items (nodes, and blocks) are laid out left to
right as auto_layout lays out nodes, wrapped into bands sooner (a row of 26 cards is too long to read), and
each block's own nodes are laid out the same way inside it. Items are placed as in a table: a column is as wide
as its widest item and a row as high as its highest, so an open block takes the room its nodes need and a
collapsed one the room of one card. An imported model that opens collapsed reads as a few rows of cards.
"""

from __future__ import annotations

import networkx as nx

from builder.layout.auto_layout import COLUMN_WIDTH, ROW_HEIGHT, auto_layout
from builder.model.blocks import blocks_of, level_items, members

WRAP_BLOCKS_AFTER = 8  # columns of one level before it wraps into bands
NODE_SIZE = (200.0, 110.0)  # a node's card with its ports (gui/canvas/geometry.py), and the room it needs
CARD_SIZE = (240.0, 120.0)  # a collapsed block's card (gui/canvas/block_items.py)
FRAME_PAD = (18.0, 18.0 + 28.0)  # an open block's frame: margin, and margin + title bar above the nodes
GAP = (COLUMN_WIDTH - NODE_SIZE[0], ROW_HEIGHT - NODE_SIZE[1])


def block_layout(graph) -> dict[str, tuple[float, float]]:
    """node id -> (x, y) for every node."""
    if not blocks_of(graph):
        return auto_layout(graph)
    order = {n: i for i, n in enumerate(graph)}
    positions: dict = {}
    _level(graph, None, order, positions)
    return positions


def _level(graph, parent, order, positions) -> tuple[float, float]:
    """Lay out the items under `parent` from (0, 0) into `positions`; returns the width and height they take."""
    meta = blocks_of(graph)
    items = level_items(graph, parent, order)
    where, sizes, inner = {}, {}, {}
    for kind, item in items:
        if kind == "node":
            where[item] = (kind, item)
            sizes[kind, item] = NODE_SIZE
            continue
        for node in members(graph, item):
            where[node] = (kind, item)
        # Laid out inside as if open, so opening it shows a tidy block; a collapsed one takes a card's room,
        # and its nodes start at the card's corner (where the canvas puts the card).
        local: dict = {}
        width, height = _level(graph, item, order, local)
        if meta[item].get("collapsed"):
            sizes[kind, item] = CARD_SIZE
            inner[item] = (local, (0.0, 0.0))
        else:
            inner[item] = (local, (FRAME_PAD[0], FRAME_PAD[1]))
            sizes[kind, item] = (width + 2 * FRAME_PAD[0], height + FRAME_PAD[0] + FRAME_PAD[1])
    contracted = nx.MultiDiGraph()
    contracted.add_nodes_from(items)
    for u, v in graph.edges():
        a, b = where.get(u), where.get(v)
        if a is not None and b is not None and a != b:
            contracted.add_edge(a, b)
    grid = auto_layout(contracted, WRAP_BLOCKS_AFTER)
    columns = sorted({round(x / COLUMN_WIDTH) for x, _y in grid.values()})
    rows = sorted({round(y / ROW_HEIGHT * 2) for _x, y in grid.values()})  # rows may be half-steps apart
    col_width = {c: 0.0 for c in columns}
    row_height = {r: 0.0 for r in rows}
    for item, (x, y) in grid.items():
        w, h = sizes[item]
        c, r = round(x / COLUMN_WIDTH), round(y / ROW_HEIGHT * 2)
        col_width[c] = max(col_width[c], w)
        row_height[r] = max(row_height[r], h)
    col_x, x = {}, 0.0
    for c in columns:
        col_x[c], x = x, x + col_width[c] + GAP[0]
    row_y, y = {}, 0.0
    for r in rows:
        row_y[r], y = y, y + row_height[r] + GAP[1] / 2
    for (kind, item), (gx, gy) in grid.items():
        at = (col_x[round(gx / COLUMN_WIDTH)], row_y[round(gy / ROW_HEIGHT * 2)])
        if kind == "node":
            positions[item] = at
            continue
        local, pad = inner[item]
        for node, (lx, ly) in local.items():
            positions[node] = (at[0] + pad[0] + lx, at[1] + pad[1] + ly)
    return max(x - GAP[0], 0.0), max(y - GAP[1] / 2, 0.0)
