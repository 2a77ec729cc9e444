"""Where to show nodes that have no saved position (a file written by a script, a node added from code).

They go where auto-layout would put them, shifted into the frame of the nodes that are already placed, and
nudged down until they overlap none of them.
"""

from __future__ import annotations

import math
from collections import defaultdict

from PySide6.QtCore import QRectF, QSizeF

from builder.layout.auto_layout import ROW_HEIGHT, auto_layout

CLEARANCE = 10.0  # empty space kept around a placed node


def fallback_positions(graph, missing: list[str], shown: dict[str, QRectF],
                       sizes: dict[str, QSizeF]) -> dict[str, tuple[float, float]]:
    """Top-left corners for the `missing` nodes. `shown` holds the scene rectangles of the nodes already on
    the canvas, `sizes` the card size of each missing node."""
    layout = auto_layout(graph)
    dx = dy = 0.0
    if shown:
        # Auto-layout's frame against where the placed nodes really are: the mean offset maps one to the other.
        dx = sum(rect.left() - layout[n][0] for n, rect in shown.items()) / len(shown)
        dy = sum(rect.top() - layout[n][1] for n, rect in shown.items()) / len(shown)
    occupied = _Occupancy(shown.values())
    placed = {}
    for node_id in missing:
        x, y = layout[node_id][0] + dx, layout[node_id][1] + dy
        width, height = sizes[node_id].width(), sizes[node_id].height()
        while occupied.hits(QRectF(x - CLEARANCE, y - CLEARANCE, width + 2 * CLEARANCE, height + 2 * CLEARANCE)):
            y += ROW_HEIGHT
        placed[node_id] = (x, y)
        occupied.add(QRectF(x, y, width, height))
    return placed


class _Occupancy:
    """Rectangles bucketed by area, so placing n nodes checks overlaps in about O(n)."""

    CELL = 300.0

    def __init__(self, rects=()):
        self._cells: dict[tuple[int, int], list[QRectF]] = defaultdict(list)
        for rect in rects:
            self.add(rect)

    def _cells_of(self, rect: QRectF):
        for cx in range(math.floor(rect.left() / self.CELL), math.floor(rect.right() / self.CELL) + 1):
            for cy in range(math.floor(rect.top() / self.CELL), math.floor(rect.bottom() / self.CELL) + 1):
                yield cx, cy

    def add(self, rect: QRectF):
        for cell in self._cells_of(rect):
            self._cells[cell].append(QRectF(rect))

    def hits(self, rect: QRectF) -> bool:
        return any(rect.intersects(other) for cell in self._cells_of(rect) for other in self._cells.get(cell, ()))
