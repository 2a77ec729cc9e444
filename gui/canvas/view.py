"""The canvas view: pan, zoom, fit, palette drops, keyboard commands (public API for the main window)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QGraphicsView

from builder.catalog import spec_for
from builder.commands import AddNode, Delete, Move
from builder.layout import auto_layout
from gui.canvas.scene import CanvasScene

LAYER_MIME_TYPE = "application/x-keras-canvas-layer"


class CanvasView(QGraphicsView):
    status_message = Signal(str)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._snap_to_grid = False
        self.setScene(CanvasScene(controller, self))
        self.setAcceptDrops(True)
        controller.refused.connect(self.status_message)

    @property
    def snap_to_grid(self) -> bool:
        return self._snap_to_grid

    @snap_to_grid.setter
    def snap_to_grid(self, on: bool):
        self._snap_to_grid = bool(on)

    def fit_all(self):
        rect = self.scene().itemsBoundingRect()
        if not rect.isEmpty():
            self.fitInView(rect)

    def center_on_node(self, node_id: str):
        pass

    def auto_layout(self):
        if len(self.controller.doc):
            self.controller.push(Move(auto_layout(self.controller.doc.graph), text="Auto-layout"))

    def add_node_at(self, layer: str, scene_pos) -> str | None:
        doc = self.controller.doc
        spec = spec_for(layer)
        node_id = doc.new_id(spec.id_prefix)
        pos = QPointF(scene_pos)
        if not self.controller.push(AddNode(node_id, layer, spec.start_params(), (pos.x(), pos.y()))):
            return None
        self.controller.select([node_id])
        return node_id

    def open_add_popup(self, scene_pos=None):
        pass

    def delete_selection(self):
        nodes = list(self.controller.selected)
        if nodes:
            self.controller.push(Delete(nodes))

    def select_all(self):
        self.controller.select(self.controller.doc.node_ids())
