"""Sizes of the canvas, in scene units, and the zoom levels where its drawing changes: one place, so the
look can be tuned without touching logic. Colours are not here: they belong to the theme
(gui/theme/canvas_palette.py), read at paint time."""

from __future__ import annotations

GRID_SIZE = 20  # snap step, and the minor grid
GRID_MAJOR_EVERY = 5

NODE_WIDTH = 200.0
NODE_RADIUS = 8.0
HEADER_HEIGHT = 40.0
BODY_LINE_HEIGHT = 17.0
BODY_LINES = 3  # summary, shape, params
BODY_PADDING = 8.0
PORT_RADIUS = 6.0
PORT_SPACING = 20.0
PORT_HIT_RADIUS = 11.0  # wider than the drawn dot, so ports are easy to grab
TEXT_MARGIN = 12.0

MIN_ZOOM, MAX_ZOOM = 0.05, 4.0  # 0.05: an imported 800-layer model fits the window whole
PLAIN_BELOW = 0.15  # zoom under which nodes are flat rectangles and wires thin unsmoothed lines
# Zoom under which a card's 9-point text would be smaller than about 10 pixels (issue 13): cards then show a
# simplified label instead, their id and output shape set large enough to read (LABEL_PIXELS on screen).
LABEL_BELOW = 0.8
LABEL_PIXELS = 11.0
# Zoom under which even the label would not fit its card: coloured boxes with their id only, as large as fits.
LOW_DETAIL_BELOW = 0.3
# Fitting the view never goes below this zoom, where the labels still read (about 10 pixels): a graph too
# large to fit whole shows its beginning, and the minimap the rest.
FIT_MIN_ZOOM = 0.35
