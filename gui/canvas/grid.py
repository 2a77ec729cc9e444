"""The canvas's background: its colour and a grid whose spacing follows the zoom (the scene draws it)."""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QRectF
from PySide6.QtGui import QPainter, QPen

from gui.canvas import geometry
from gui.theme import canvas_palette


def paint_background(painter, rect: QRectF):
    colours = canvas_palette()
    painter.fillRect(rect, colours.background)
    scale = painter.worldTransform().m11() or 1.0
    step = geometry.GRID_SIZE
    major = step * geometry.GRID_MAJOR_EVERY
    if step * scale >= 7:
        _draw_grid(painter, rect, step, colours.grid_minor, skip_every=geometry.GRID_MAJOR_EVERY)
    while major * scale < 10:  # zoomed far out: a coarser grid instead of a grey haze
        major *= geometry.GRID_MAJOR_EVERY
    _draw_grid(painter, rect, major, colours.grid_major)


def _draw_grid(painter, rect: QRectF, step: float, colour, skip_every: int = 0):
    pen = QPen(colour, 1.0)
    pen.setCosmetic(True)
    painter.setPen(pen)
    # Level one-pixel lines need no smoothing, and unsmoothed they take the raster engine's fast path: the
    # smoothed grid was a sixth of a frame of a large graph at the fitted zoom (issue 18).
    smooth = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    left, top = math.floor(rect.left() / step), math.floor(rect.top() / step)
    right, bottom = math.ceil(rect.right() / step), math.ceil(rect.bottom() / step)
    lines = [QLineF(i * step, rect.top(), i * step, rect.bottom()) for i in range(left, right + 1)
             if not skip_every or i % skip_every]
    lines += [QLineF(rect.left(), j * step, rect.right(), j * step) for j in range(top, bottom + 1)
              if not skip_every or j % skip_every]
    painter.drawLines(lines)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, smooth)
