"""The layer palette: the catalog's layers grouped by category, with a search box.

Dragging an entry carries the layer name as `application/x-keras-canvas-layer`, which the canvas accepts as a
drop; double-click or Enter asks for the layer at the centre of the view (`add_requested`).
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from builder.catalog.ops import OP_SPECS
from builder.catalog.specs import CATALOG, LayerSpec, spec_for

LAYER_MIME = "application/x-keras-canvas-layer"
LAYER_ROLE = Qt.ItemDataRole.UserRole + 1


class LayerTree(QTreeWidget):
    """A tree whose layer items drag as the canvas's layer mime type."""

    activated_layer = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(8)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.itemActivated.connect(self._on_activated)  # double-click, and Enter on most styles

    def mimeTypes(self):
        return [LAYER_MIME]

    def mimeData(self, items):
        layers = [item.data(0, LAYER_ROLE) for item in items if item.data(0, LAYER_ROLE)]
        if not layers:
            return None
        data = QMimeData()
        data.setData(LAYER_MIME, layers[0].encode("utf-8"))
        data.setText(layers[0])
        return data

    def keyPressEvent(self, event: QKeyEvent):
        # Enter adds the layer on every platform (itemActivated is only bound to it on some styles).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self._on_activated(self.currentItem(), 0)
            return
        super().keyPressEvent(event)

    def _on_activated(self, item, _column=0):
        layer = item.data(0, LAYER_ROLE)
        if layer:
            self.activated_layer.emit(layer)


class Palette(QWidget):
    add_requested = Signal(str)  # a layer name, to be placed at the centre of the view

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search layers…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self._add_first_match)
        self.tree = LayerTree()
        self.tree.activated_layer.connect(self.add_requested.emit)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        self.setToolTip("Drag a layer onto the canvas, or double-click it to add it in the middle of the view")
        self.items: dict[str, QTreeWidgetItem] = {}
        self._fill()

    def _fill(self):
        categories: dict[str, QTreeWidgetItem] = {}
        # Grouped in the order of Keras's documentation (catalog's CATEGORY_ORDER), then keras.ops operations.
        for spec in (*CATALOG.values(), *OP_SPECS):
            group = categories.get(spec.category)
            if group is None:
                group = QTreeWidgetItem(self.tree, [spec.category])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not draggable or selectable
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                categories[spec.category] = group
            item = QTreeWidgetItem(group, [spec.name])
            item.setData(0, LAYER_ROLE, spec.name)
            item.setToolTip(0, _tooltip(spec))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
            self.items[spec.name] = item
        self.tree.expandAll()

    def filter(self, text: str):
        """Show the layers whose name, category, description or search words (LayerSpec.keywords: "leaky",
        "upsample", ...) contain every word typed."""
        words = text.lower().split()
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            shown = 0
            for child_index in range(group.childCount()):
                item = group.child(child_index)
                spec = spec_for(item.data(0, LAYER_ROLE))
                haystack = f"{spec.name} {spec.category} {spec.help} {' '.join(spec.keywords)}".lower()
                match = all(word in haystack for word in words)
                item.setHidden(not match)
                shown += match
            group.setHidden(shown == 0)
        first = self.first_match()
        if first is not None and words:
            self.tree.setCurrentItem(self.items[first])

    def visible_layers(self) -> list[str]:
        return [name for name, item in self.items.items() if not item.isHidden() and not item.parent().isHidden()]

    def first_match(self) -> str | None:
        visible = self.visible_layers()
        return visible[0] if visible else None

    def _add_first_match(self):
        current = self.tree.currentItem()
        layer = current.data(0, LAYER_ROLE) if current is not None and not current.isHidden() else None
        layer = layer or self.first_match()
        if layer and self.search.text().strip():
            self.add_requested.emit(layer)


def _tooltip(spec: LayerSpec) -> str:
    ports = "no input" if spec.is_input else ("any number of inputs" if spec.is_merge else
                                             f"{spec.inputs} input" + ("s" if spec.inputs != 1 else ""))
    return f"<b>{spec.name}</b> ({spec.category}, {ports})<br>{spec.help}"
