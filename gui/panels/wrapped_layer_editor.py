"""The editor of a wrapper's layer (Bidirectional's LSTM, TimeDistributed's Dense): which layer it wraps, chosen
from a list, and that layer's own params, each in the editor of its kind, below it. The wrapper and what it
wraps are one node, so an edit of an inner param is one edit of the wrapper's `layer` param (one undo step),
checked by the document like any other value.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from builder.catalog.specs import CATALOG, SPECS
from builder.catalog.wrapped_layer import wrappable
from gui.panels.param_editors import ParamEditor, editor_for


class WrappedLayerEditor(ParamEditor):
    NONE_TEXT = "None"

    def __init__(self, param, parent=None):
        super().__init__(param, parent)
        self.names = list(param.choices) or [spec.name for spec in SPECS if wrappable(spec.name)]
        self.values = ([None] if param.nullable else []) + self.names
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.combo = QComboBox()
        self.combo.setMaxVisibleItems(16)
        for name in self.values:
            self.combo.addItem(self.NONE_TEXT if name is None else name)
        self.combo.setToolTip("The layer this wrapper holds; its params are below")
        column.addWidget(self.combo)
        self.frame = QFrame()
        self.frame.setObjectName("wrappedParams")
        self.frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.form = QFormLayout(self.frame)
        self.form.setContentsMargins(6, 4, 4, 4)
        self.form.setSpacing(3)
        column.addWidget(self.frame)
        self.layout_.addWidget(box, 1)
        self.value = None
        self.shown_layer = None
        self.editors: dict[str, ParamEditor] = {}
        self.combo.currentIndexChanged.connect(self._layer_chosen)

    def _layer_chosen(self, index):
        name = self.values[index]
        if name is None:
            self.edited.emit(None)
            return
        if self.value and self.value.get("layer") == name:
            return
        self.edited.emit({"layer": name, "params": CATALOG[name].start_params()})

    def _inner_edited(self, name, item):
        if not isinstance(self.value, dict):
            return
        params = dict(self.value.get("params") or {})
        params[name] = item
        self.edited.emit({**self.value, "params": params})

    def _rebuild(self, layer):
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        self.shown_layer = layer
        if layer not in CATALOG:
            self.frame.setVisible(False)
            return
        for inner in CATALOG[layer].params:
            editor = editor_for(inner)
            editor.setToolTip(f"{layer}'s {inner.name}: {inner.help}\n\nExpected: {inner.describe()}")
            editor.edited.connect(lambda item, name=inner.name: self._inner_edited(name, item))
            editor.unreadable.connect(lambda message, name=inner.name: self.unreadable.emit(f"{layer}'s {name}: "
                                                                                             f"{message}"))
            label = QLabel(inner.name)
            label.setToolTip(inner.help)
            self.form.addRow(label, editor)
            self.editors[inner.name] = editor
        self.frame.setVisible(bool(self.editors))

    def set_value(self, value):
        self.value = value if isinstance(value, dict) else None
        layer = self.value.get("layer") if self.value else None
        with QSignalBlocker(self.combo):
            self.combo.setCurrentIndex(self.values.index(layer) if layer in self.values else -1)
        if layer != self.shown_layer:
            self._rebuild(layer)
        params = (self.value or {}).get("params") or {}
        for name, editor in self.editors.items():
            inner = CATALOG[layer].param(name)
            editor.set_value(params.get(name, inner.start_value()))
            font = self.form.labelForField(editor).font()
            font.setBold(name in params)  # bold: set explicitly, as on the wrapper's own params
            self.form.labelForField(editor).setFont(font)
