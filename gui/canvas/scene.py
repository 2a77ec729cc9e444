"""The scene: one item per node and wire, rebuilt from the controller's document (temporary stub)."""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsScene


class CanvasScene(QGraphicsScene):
    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
