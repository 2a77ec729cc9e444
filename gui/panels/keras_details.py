"""The inspector's Keras section, for imported nodes: where a generic node's shape comes from (Keras, for which
inputs; being recomputed; refused), and the Keras arguments a node carries in its `config`, read-only (they
are kept exactly as imported; the typed params above are the ones to edit)."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from builder.catalog.ops import op_name
from builder.catalog.rules import fmt
from builder.catalog.specs import UnknownLayerError, spec_for
from gui.theme import set_status


def keras_origin_text(layer: str, keras_shape, result) -> tuple[str, str]:
    """(text, status kind for gui.theme.set_status) saying where a generic node's shape comes from."""
    if result is not None and result.stale:
        text = ("Shape computed by Keras, for inputs that have changed since: recomputing with Keras (no undo "
                "step; it is a cache of Keras's answer).")
        return text, "warning"
    inputs = (keras_shape or {}).get("inputs")
    if isinstance(keras_shape, dict) and "error" in keras_shape:
        return f"Keras refuses {keras_name(layer)} on input {_shapes(inputs)}.", "error"
    if not isinstance(keras_shape, dict) or "shape" not in keras_shape:
        return f"{keras_name(layer)} has no shape computed by Keras yet.", "error"
    where = f" for input {_shapes(inputs)}" if inputs else " at import (the file does not say for which input)"
    outside = "has no shape rule here" if op_name(layer) is not None else "is outside the catalog"
    return f"Shape computed by Keras{where}: {keras_name(layer)} {outside}.", "muted"


def keras_name(layer: str) -> str:
    """keras.layers.Dense for a layer, keras.ops.clip for an op node ("ops.clip")."""
    function = op_name(layer)
    return f"keras.ops.{function}" if function is not None else f"keras.layers.{layer}"


def _shapes(inputs) -> str:
    return " and ".join(fmt(tuple(s)) for s in inputs or ())


class KerasDetails(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.title = QLabel("Keras")
        self.title.setProperty("role", "section")
        layout.addWidget(self.title)
        self.class_label = QLabel()
        self.class_label.setProperty("role", "mono")
        self.class_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.class_label)
        self.origin_label = QLabel()
        self.origin_label.setWordWrap(True)
        self.origin_label.setProperty("role", "hint")
        layout.addWidget(self.origin_label)
        self.config_title = QLabel("config (read-only: kept as imported)")
        self.config_title.setProperty("role", "hint")
        layout.addWidget(self.config_title)
        self.config_view = QPlainTextEdit()
        self.config_view.setReadOnly(True)
        self.config_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.config_view.setMaximumHeight(160)
        layout.addWidget(self.config_view)

    def show_node(self, doc, results: dict, node_id: str | None):
        """Show the section for an imported node (generic, or carrying config); hide it otherwise."""
        data = doc.graph.nodes[node_id] if node_id is not None and node_id in doc else None
        config = (data or {}).get("config")
        try:
            generic = data is not None and spec_for(data["layer"]).generic
        except UnknownLayerError:
            generic = False
        self.setVisible(bool(generic or config))
        if not (generic or config):
            return
        layer = data["layer"]
        self.class_label.setText(keras_name(layer))
        self.origin_label.setVisible(generic)
        if generic:
            text, kind = keras_origin_text(layer, data.get("keras_shape"), results.get(node_id))
            self.origin_label.setText(text)
            set_status(self.origin_label, kind)
        self.config_title.setVisible(bool(config))
        self.config_view.setVisible(bool(config))
        text = json.dumps(config, indent=2, ensure_ascii=False) if config else ""
        if self.config_view.toPlainText() != text:
            self.config_view.setPlainText(text)
