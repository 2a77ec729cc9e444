"""The application's look: Fusion with its light palette (the status colours are chosen for it), plus the
small stylesheet in resources/style.qss."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

STYLE_SHEET = Path(__file__).resolve().parent.parent / "resources" / "style.qss"


def apply_style(app: QApplication):
    if app.property("keras_canvas_styled"):
        return  # restyling re-polishes every widget alive: costly, and the result would be the same
    app.setProperty("keras_canvas_styled", True)
    app.setStyle("Fusion")
    app.setPalette(app.style().standardPalette())  # light even on a dark desktop theme
    try:
        app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
    except OSError:
        pass  # an installation without resources still works, with plain Fusion
