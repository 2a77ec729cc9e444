"""Status colours on widgets: `set_status` colours a label (or the status bar) through the stylesheet's
`status` property, so a theme switch restyles it without code; `status_colour` gives the colour itself, for
views that paint or set brushes (tables, lists)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from gui.theme.current import window_palette


def status_colour(kind: str) -> QColor:
    """'error', 'warning', 'ok', 'muted' or 'stale' in the theme now shown."""
    return QColor(window_palette().status[kind])


def set_status(widget: QWidget, kind: str | None, strong: bool = False):
    """Colour a label (or the status bar) by status through the stylesheet; re-polished only on a change."""
    if widget.property("status") == kind and bool(widget.property("strong")) == strong:
        return
    widget.setProperty("status", kind)
    widget.setProperty("strong", strong)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
