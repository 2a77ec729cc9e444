"""Colours, fonts and sizes of the canvas, in one place so the look can be tuned without touching logic.

A dark canvas with bright category headers: nodes stand out from the grid, and red (error) and amber
(warning) stay reserved for problems.
"""

from __future__ import annotations

import html
from functools import cache

from PySide6.QtGui import QColor, QFont

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

TOOLTIP_WIDTH = 420
MIN_ZOOM, MAX_ZOOM = 0.05, 4.0  # 0.05: an imported 800-layer model fits the window whole
PLAIN_BELOW = 0.15  # zoom under which nodes are flat rectangles and wires thin unsmoothed lines
LOW_DETAIL_BELOW = 0.45  # zoom under which nodes are drawn as coloured boxes with their id only

BACKGROUND = QColor("#1c1e24")
GRID_MINOR = QColor("#23262e")
GRID_MAJOR = QColor("#2b2f39")

NODE_BODY = QColor("#2a2d36")
NODE_BORDER = QColor("#3b3f4b")
NODE_SELECTED = QColor("#f8fafc")
NODE_BLOCKED_BODY = QColor("#24262d")
TEXT = QColor("#e5e7eb")
TEXT_DIM = QColor("#9ca3af")
TEXT_MUTED = QColor("#969eab")  # still 4.5:1 on a waiting node's dimmed card and header
TEXT_ON_HEADER = QColor("#ffffff")
TEXT_ON_HEADER_DIM = QColor(255, 255, 255, 240)  # a shade under the id, still 4.5:1 on every header
SHAPE_TEXT = QColor("#7dd3fc")

ERROR = QColor("#ef4444")
ERROR_TEXT = QColor("#f87171")  # error messages as text: lighter than the outline red, for 4.5:1 on the card
WARNING = QColor("#f59e0b")
KERAS_BADGE = QColor("#1e293b")  # a shape that Keras computed, not a catalog rule (red and amber mean problems)
STALE = QColor("#0ea5e9")  # a Keras shape being recomputed: neither a mistake (red) nor a warning (amber)

PORT_FILL = QColor("#9ca3af")
PORT_FREE_FILL = QColor("#1c1e24")
PORT_BORDER = QColor("#d1d5db")
PORT_VALID = QColor("#22c55e")
PORT_HOVER_VALID = QColor("#86efac")

WIRE = QColor("#8b93a5")
WIRE_HOVER = QColor("#e5e7eb")
WIRE_SELECTED = QColor("#60a5fa")
WIRE_BROKEN = QColor("#6b7280")
WIRE_DRAFT = QColor("#f8fafc")

PREVIEW_BACKGROUND = QColor(17, 19, 24, 235)
PREVIEW_BORDER = QColor("#4b5563")

CATEGORY_COLOURS = {
    "Core": QColor("#2563eb"),
    "Convolution": QColor("#7c3aed"),
    "Pooling": QColor("#0f766e"),  # a deeper teal: white text on #0d9488 was 3.7:1
    "Reshaping": QColor("#4f6378"),
    "Regularization": QColor("#be185d"),
    "Normalization": QColor("#0369a1"),
    "Merging": QColor("#15803d"),
}
UNKNOWN_CATEGORY = QColor("#52525b")
BLOCKED_HEADER = QColor("#30333b")


def category_colour(category: str | None) -> QColor:
    return CATEGORY_COLOURS.get(category or "", UNKNOWN_CATEGORY)


@cache
def font(role: str) -> QFont:
    """Fonts by role; cached because QFont construction shows up when thousands of nodes paint."""
    regular, demi, bold = QFont.Weight.Normal, QFont.Weight.DemiBold, QFont.Weight.Bold
    # A fitted graph is often shown at 60-80 %, so the text is a little larger than a dialog's.
    sizes = {"title": (10.5, demi), "layer": (9.0, regular), "body": (9.0, regular), "mono": (9.0, regular),
             "mark": (9.0, bold), "overview": (22.0, demi), "preview": (9.0, regular)}
    size, weight = sizes[role]
    result = QFont()
    if role == "mono":
        result.setFamilies(["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"])
        result.setStyleHint(QFont.StyleHint.Monospace)
    result.setPointSizeF(size)
    result.setWeight(weight)
    return result


def tooltip_html(text: str) -> str:
    """Tooltips as rich text, because Qt word-wraps only rich text and an error message is one long line; a
    long one is set in a wider column than Qt's narrow default, so it reads as a few lines, not a tower."""
    paragraphs = [html.escape(part, quote=False).replace("\n", "<br>") for part in text.split("\n\n")]
    body = "".join(f"<p>{part}</p>" for part in paragraphs)
    if len(text) > 70:
        return f'<table width="{TOOLTIP_WIDTH}"><tr><td>{body}</td></tr></table>'
    return body


# ---- themes -----------------------------------------------------------------------------------------------------
# The colours above are the dark theme. A light theme swaps the canvas, card and text colours; category headers,
# red and amber stay, so a node reads the same in both. Items read these names when they paint.

_DARK = {name: QColor(value) for name, value in globals().items() if isinstance(value, QColor)}
_LIGHT = {
    "BACKGROUND": "#f4f5f7", "GRID_MINOR": "#e8eaee", "GRID_MAJOR": "#d9dce3",
    "NODE_BODY": "#ffffff", "NODE_BORDER": "#c5cad3", "NODE_SELECTED": "#111827", "NODE_BLOCKED_BODY": "#eceef2",
    "TEXT": "#111827", "TEXT_DIM": "#4b5563", "TEXT_MUTED": "#555c66", "SHAPE_TEXT": "#0369a1",
    "PORT_FILL": "#6b7280", "PORT_FREE_FILL": "#ffffff", "PORT_BORDER": "#4b5563",
    "WIRE": "#6b7280", "WIRE_HOVER": "#111827", "WIRE_SELECTED": "#2563eb", "WIRE_BROKEN": "#b0b6c0",
    "WIRE_DRAFT": "#111827", "PREVIEW_BACKGROUND": "#fbfbfc", "PREVIEW_BORDER": "#c5cad3",
    "BLOCKED_HEADER": "#dde0e6", "ERROR_TEXT": "#dc2626", "STALE": "#0e7490",
}
THEMES = ("dark", "light")
current_theme = "dark"


def is_dark_palette(palette) -> bool:
    """Whether a QPalette is dark (light text on a dark window), as a dark desktop theme gives."""
    return palette.window().color().lightness() < palette.windowText().color().lightness()


def use_theme(name: str):
    """Switch the canvas colours to 'dark' or 'light'; the caller repaints the items."""
    global current_theme
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; expected one of {', '.join(THEMES)}")
    current_theme = name
    for key, value in _DARK.items():
        globals()[key] = QColor(value)
    if name == "light":
        for key, value in _LIGHT.items():
            globals()[key] = QColor(value)
