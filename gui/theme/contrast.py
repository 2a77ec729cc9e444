"""WCAG 2.x contrast between two colours, and the readable text colour (white or black) on any background.
The palettes are chosen with these (tests/gui/test_themes.py computes every text pair), and a frame's title
picks its colour with `readable_text_on`, since a person may give a frame any colour."""

from __future__ import annotations

from PySide6.QtGui import QColor


def relative_luminance(colour) -> float:
    colour = QColor(colour)

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast_ratio(foreground, background) -> float:
    """From 1 (the same) to 21 (black on white); body text wants at least 4.5."""
    high, low = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_text_on(background) -> QColor:
    """White or black, whichever reads better on this background (one of them always reaches 4.58:1)."""
    white, black = QColor("#ffffff"), QColor("#000000")
    return white if contrast_ratio(white, background) >= contrast_ratio(black, background) else black
