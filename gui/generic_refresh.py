"""Keeps generic nodes' Keras shapes current: when an edit upstream leaves one stale (builder/inference/stored_shapes.py),
its new keras_shape comes from Keras in the worker process and is stored in the document.

- **Latest wins.** At most one request is on the worker. Its answers are remembered by (layer, config, input
  shapes); when they come back, the document is checked again and an answer is applied only to a node that is
  still stale with that same layer, config and inputs. Whatever changed meanwhile is asked for next.
- **Not an undo step.** A keras_shape is Keras's answer for the inputs it names, a cache, so it is stored with
  GraphDocument.set_keras_shape, outside the undo stack, and the undo history holds only the person's edits.
  Every answer seen (the document's own stored shapes too, from the moment it opens) is remembered, so undoing
  back to earlier inputs gives the earlier shape again at once, without Keras, and the document is exactly what
  it was before the edit (tests/gui/test_generic_nodes.py).
- Remembered answers are applied even while Keras is not loaded; new questions wait until it is (READY).
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QObject, QTimer, Signal

from builder.catalog.specs import CATALOG
from builder.inference.stored_shapes import request_key, stale_requests
from builder.model.document import GraphError
from gui.keras_service import READY

MAX_REMEMBERED = 5000  # answers kept; a person's session asks for far fewer


class GenericShapeRefresher(QObject):
    applied = Signal(object)  # ids of nodes whose keras_shape was just updated
    asked = Signal(object)  # ids of nodes sent to Keras

    def __init__(self, controller, keras_service, parent=None):
        super().__init__(parent)
        self.controller, self.keras = controller, keras_service
        self.remembered: dict[str, dict] = {}
        self.in_flight: list[dict] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)  # after the edit's own signals have run: never mutate inside another's emit
        self.timer.timeout.connect(self.check)
        controller.edited.connect(self._on_edit)
        keras_service.state_changed.connect(lambda state, _detail: self.timer.start() if state == READY else None)
        keras_service.shapes_recomputed.connect(self._on_answers)
        self._on_reset()

    # ---- remembering ------------------------------------------------------------------------------------------

    def _remember_stored(self, node: str):
        data = self.controller.doc.graph.nodes[node]
        stored = data.get("keras_shape")
        if isinstance(stored, dict) and "inputs" in stored:
            self._remember(data["layer"], data.get("config") or {}, stored)

    def _remember(self, layer: str, config: dict, keras_shape: dict):
        if len(self.remembered) >= MAX_REMEMBERED:
            self.remembered.clear()
        self.remembered[request_key(layer, config, keras_shape["inputs"])] = copy.deepcopy(keras_shape)

    # ---- following the document -------------------------------------------------------------------------------

    def _on_reset(self):
        graph = self.controller.doc.graph
        for node, layer in graph.nodes(data="layer"):
            if layer not in CATALOG:
                self._remember_stored(node)
        self.timer.start()

    def _on_edit(self, edit):
        if edit.reset:
            self._on_reset()
            return
        results, graph = self.controller.results, self.controller.doc.graph
        for node in edit.changed:
            result = results.get(node)
            if result is None or node not in graph or result.layer in CATALOG:
                continue
            if result.stale:
                self.timer.start()
            else:
                self._remember_stored(node)  # a pasted node, or one put back by undo, brings its own answer

    def check(self):
        """Apply remembered answers to stale nodes; send the rest to Keras if it is loaded and not busy."""
        doc = self.controller.doc
        requests = stale_requests(doc.graph, self.controller.results)
        applied, unknown = [], []
        for request in requests:
            known = self.remembered.get(request_key(request["layer"], request["config"], request["inputs"]))
            if known is None:
                unknown.append(request)
                continue
            try:
                doc.set_keras_shape(request["node"], copy.deepcopy(known))
            except GraphError:
                continue  # an answer the document refuses (a shape of rank > 16, say) leaves the node stale
            applied.append(request["node"])
        if applied:
            self.controller.refresh()  # a node after it may become stale in turn: its edit starts us again
            self.applied.emit(applied)
        if unknown and self.in_flight is None and self.keras.state == READY:
            self.in_flight = unknown
            self.keras.recompute_shapes(unknown)
            self.asked.emit([r["node"] for r in unknown])

    def _on_answers(self, answers: list):
        self.in_flight = None
        for answer in answers:
            self._remember(answer["layer"], answer["config"], answer["keras_shape"])
        self.check()
