"""How the canvas sets text: its fonts by role (cached) and its tooltips as wrapped rich text."""

from __future__ import annotations

import html
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF

TOOLTIP_WIDTH = 420


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


def draw_zoomed_out_name(painter, body, text: str, lod: float, colour):
    """A name shown zoomed out, about 9 pt on screen whatever the zoom, centred in `body`; a long one shrinks to
    fit rather than being cut, down to a floor (a node's id, a collapsed block's name)."""
    overview = QFont(font("overview"))
    overview.setPointSizeF(min(9.0 / max(lod, 0.01), 30.0))
    width = QFontMetricsF(overview).horizontalAdvance(text)
    if width > body.width():
        overview.setPointSizeF(max(overview.pointSizeF() * body.width() / width, 14.0))
    painter.setFont(overview)
    painter.setPen(colour)
    painter.drawText(body, Qt.AlignmentFlag.AlignCenter,
                     QFontMetricsF(overview).elidedText(text, Qt.TextElideMode.ElideRight, body.width()))
