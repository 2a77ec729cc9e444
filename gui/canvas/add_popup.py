"""The search-to-add popup (Tab, or double-click on empty canvas): type to filter the catalog, Enter or click
adds the layer where the popup was opened, Esc closes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from builder.catalog.ops import OP_SPECS
from builder.catalog.specs import SPECS
from gui.theme import canvas_palette

_LAYER_ROLE = Qt.ItemDataRole.UserRole
MAX_VISIBLE_ROWS = 10


def _category_icon(colour: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(1, 1, 10, 10, 3, 3)
    painter.end()
    return QIcon(pixmap)


def matches(spec, text: str) -> int | None:
    """Rank of a layer for the typed text (lower is better), or None when it does not match."""
    text = text.strip().lower()
    if not text:
        return 0
    name = spec.name.lower()
    if name.startswith(text):
        return 0
    if text in name:
        return 1
    if text in spec.category.lower() or text in spec.id_prefix:
        return 2
    if text in spec.help.lower():
        return 3
    return None


class AddPopup(QFrame):
    layer_chosen = Signal(str)

    def __init__(self, parent=None, layers=None):
        super().__init__(parent, Qt.WindowType.Popup)
        # Only these layers (a dropped wire offers those that accept its tensor); None: the whole catalog.
        self.layers = None if layers is None else set(layers)
        self.setObjectName("canvasAddPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.restyle()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search layers…")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.setFixedWidth(240)
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self.choose_current)
        self.search.installEventFilter(self)
        self.list.itemClicked.connect(self._choose_item)
        self.filter("")

    def restyle(self):
        """In the canvas's colours (it opens over the canvas), for the theme now shown."""
        colours = canvas_palette()
        card, field, text, border = (colours.node_body.name(), colours.background.name(), colours.text.name(),
                                     colours.preview_border.name())
        self.setStyleSheet(
            f"#canvasAddPopup {{ background: {card}; border: 1px solid {border}; border-radius: 6px; }}"
            f"QLineEdit {{ background: {field}; color: {text}; border: 1px solid {border}; border-radius: 4px;"
            " padding: 4px 6px; }"
            f"QListWidget {{ background: {card}; color: {text}; border: none; outline: none; }}"
            "QListWidget::item { padding: 3px 4px; }"
            "QListWidget::item:selected { background: #2563eb; color: white; border-radius: 3px; }")

    def filter(self, text: str):
        offered = [spec for spec in (*SPECS, *OP_SPECS) if self.layers is None or spec.name in self.layers]
        ranked = sorted(((rank, i, spec) for i, spec in enumerate(offered)
                         if (rank := matches(spec, text)) is not None), key=lambda r: r[:2])
        self.list.clear()
        for _rank, _i, spec in ranked:
            # The colour chip is the category, as on the nodes' headers; the tooltip names it.
            item = QListWidgetItem(_category_icon(canvas_palette().category_colour(spec.category)), spec.name)
            item.setData(_LAYER_ROLE, spec.name)
            item.setToolTip(f"{spec.category}: {spec.help}")
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._fit_height()

    def _fit_height(self):
        rows = max(self.list.count(), 1)
        row_height = self.list.sizeHintForRow(0) if self.list.count() else 22
        list_height = min(rows, MAX_VISIBLE_ROWS) * row_height + 2 * self.list.frameWidth() + 4
        self.list.setFixedHeight(list_height)
        self.adjustSize()

    def show_at(self, global_pos):
        """Show with its corner at global_pos, moved inside the screen when it would hang off an edge."""
        screen = QGuiApplication.screenAt(global_pos) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        full = self.sizeHint().expandedTo(self.size())
        tallest = self.search.sizeHint().height() + MAX_VISIBLE_ROWS * 24 + 24
        x = min(max(global_pos.x(), area.left()), area.right() - full.width())
        y = min(max(global_pos.y(), area.top()), area.bottom() - max(full.height(), tallest))
        self.move(x, y)
        self.show()
        self.search.setFocus()

    def visible_layers(self) -> list[str]:
        return [self.list.item(i).data(_LAYER_ROLE) for i in range(self.list.count())]

    def choose_current(self):
        item = self.list.currentItem()
        if item is not None:
            self._choose_item(item)

    def _choose_item(self, item: QListWidgetItem):
        layer = item.data(_LAYER_ROLE)
        self.close()
        self.layer_chosen.emit(layer)

    def eventFilter(self, watched, event):
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.list.currentRow() + step, 0), self.list.count() - 1)
                self.list.setCurrentRow(row)
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event):
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)
