"""The side by side view: the other version on the left, this document on the right (above and below for a wide
graph), matched nodes at the same places, the two views panned and zoomed together; totals at the top; the list of changes with next/previous (F8,
Shift+F8) on the right, and below it what changed on the chosen node (params, wiring, shape, count, errors).

Read only: the comparison is a picture of two versions. Editing happens on the canvas, where the overlay
(overlay.py) follows each edit.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from builder.diff.matching import inputs_in_order
from builder.quoting import shorten
from gui.canvas.text import font
from gui.compare.items import BADGES, CARD_HEIGHT, DiffNodeItem, DiffWireItem
from gui.compare.session import CompareSession
from gui.theme import canvas_palette, readable_text_on, window_palette

ZOOM_STEP = 1.15
MIN_ZOOM, MAX_ZOOM = 0.05, 3.0
WIDE = 1.6  # a graph this many times wider than high is shown above and below, not side by side


def badge_icon(kind: str) -> QIcon:
    """The card's badge (gui/compare/items.py) as a list icon, in the window theme's colour for the kind."""
    size = 14
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    colour = QColor(window_palette().status[f"diff_{kind}"])
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(0, 0, size, size)
    painter.setPen(readable_text_on(colour))
    painter.setFont(font("mark"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, BADGES.get(kind, ""))
    painter.end()
    return QIcon(pixmap)


class DiffScene(QGraphicsScene):
    """One side's cards and wires, at the session's positions."""

    def __init__(self, session_of, side: str, parent=None):
        super().__init__(parent)
        self.session_of, self.side = session_of, side
        self.cards: dict[str, DiffNodeItem] = {}
        self.rebuild()

    def rebuild(self):
        self.clear()
        self.cards = {}
        session = self.session_of()
        graph = session.other if self.side == "a" else session.this
        positions = session.positions_a if self.side == "a" else session.positions_b
        for node in graph:
            card = DiffNodeItem(self.session_of, self.side, node)
            card.setPos(QPointF(*positions[node]))
            card.refresh()
            self.addItem(card)
            self.cards[node] = card
        for node in graph:
            for port, source in enumerate(inputs_in_order(graph, node)):
                self.addItem(DiffWireItem(self.cards[source], self.cards[node], port))

    def drawBackground(self, painter, rect):
        painter.fillRect(rect, canvas_palette().background)


class DiffView(QGraphicsView):
    """Pans with a drag, zooms around the cursor with the wheel; `moved` tells the window to follow on the other side."""

    moved = Signal()
    zoomed = Signal()

    def __init__(self, scene, parent=None):
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.horizontalScrollBar().valueChanged.connect(self.moved)
        self.verticalScrollBar().valueChanged.connect(self.moved)

    def wheelEvent(self, event):
        factor = ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP
        zoom = self.transform().m11() * factor
        if MIN_ZOOM <= zoom <= MAX_ZOOM:
            self.scale(factor, factor)
            self.zoomed.emit()
            self.moved.emit()

    def centre(self) -> QPointF:
        return self.mapToScene(self.viewport().rect().center())


class CompareWindow(QWidget):
    overlay_toggled = Signal(bool)

    def __init__(self, session: CompareSession, this_name: str, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.this_name = this_name
        self.current = -1
        self._following = False
        self._keep_fitted = True  # refit on resize until the person zooms or steps to a change
        self.setObjectName("compare_window")
        self.resize(1300, 780)
        self.totals = QLabel()
        self.totals.setObjectName("compare_totals")
        font = self.totals.font()
        font.setBold(True)
        self.totals.setFont(font)
        self.previous_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.overlay_button = QPushButton("Overlay on Canvas")
        self.overlay_button.setCheckable(True)
        self.overlay_button.setToolTip("Mark the changes on the editor's canvas instead (removed nodes shown as "
                                       "dashed ghosts); they follow your edits")
        self.previous_button.setToolTip("Previous change (Shift+F8)")
        self.next_button.setToolTip("Next change (F8)")
        top = QHBoxLayout()
        top.addWidget(self.totals, 1)
        for button in (self.previous_button, self.next_button, self.overlay_button):
            top.addWidget(button)
        self.scenes = {side: DiffScene(lambda: self.session, side, self) for side in ("a", "b")}
        self.views = {side: DiffView(scene, self) for side, scene in self.scenes.items()}
        self.captions = {side: QLabel() for side in ("a", "b")}
        self.sides = sides = QSplitter(Qt.Orientation.Horizontal)
        for side in ("a", "b"):
            column = QWidget()
            layout = QVBoxLayout(column)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(self.captions[side])
            layout.addWidget(self.views[side], 1)
            sides.addWidget(column)
        self.change_list = QListWidget()
        # The app's item rule (resources/style.qss) left a selected row in an inactive window white on white.
        self.change_list.setStyleSheet("QListWidget::item:selected { background: palette(highlight); "
                                       "color: palette(highlighted-text); }")
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        panel = QSplitter(Qt.Orientation.Vertical)
        panel.addWidget(self.change_list)
        panel.addWidget(self.details)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(sides)
        body.addWidget(panel)
        body.setStretchFactor(0, 4)
        body.setStretchFactor(1, 1)
        body.setSizes([1000, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(body, 1)
        self.previous_button.clicked.connect(self.previous_change)
        self.next_button.clicked.connect(self.next_change)
        self.overlay_button.toggled.connect(self.overlay_toggled)
        self.change_list.currentRowChanged.connect(self.go_to)
        QShortcut(QKeySequence("F8"), self, self.next_change)
        QShortcut(QKeySequence("Shift+F8"), self, self.previous_change)
        for view in self.views.values():
            view.zoomed.connect(self._stop_fitting)
        self.views["a"].moved.connect(lambda: self._follow("a", "b"))
        self.views["b"].moved.connect(lambda: self._follow("b", "a"))
        self.show_session(session)

    # ---- content ------------------------------------------------------------------------------------------

    def show_session(self, session: CompareSession):
        self.session = session
        for scene in self.scenes.values():
            scene.rebuild()
        self.setWindowTitle(f"Compare — {session.other_name} → {self.this_name}")
        self.captions["a"].setText(f"Before: {shorten(session.other_name, 60)}  ({len(session.other):,} nodes)")
        self.captions["b"].setText(f"After: {shorten(self.this_name, 60)}  ({len(session.this):,} nodes)")
        self.totals.setText(session.totals())
        self.change_list.blockSignals(True)
        self.change_list.clear()
        for change in session.changes:
            # The kind is in the text and in a coloured badge: a coloured text would vanish in a selected row.
            item = QListWidgetItem(badge_icon(change.kind), f"{change.kind}: {shorten(change.node, 60)}")
            item.setToolTip("\n".join(session.details(change.side, change.node)))
            self.change_list.addItem(item)
        self.change_list.blockSignals(False)
        self.current = -1
        self.details.setPlainText("Same model: nothing to step through." if session.diff.same else
                                  f"{len(session.changes)} changes: F8 goes to the next one, Shift+F8 back.")
        self.fit()

    def fit(self):
        self._keep_fitted = True
        rect = self.scenes["b"].itemsBoundingRect().united(self.scenes["a"].itemsBoundingRect())
        rect.adjust(-60, -60, 60, 60)
        # A wide graph side by side would be a thin strip in each half: stack the two versions instead.
        wide = rect.width() > WIDE * rect.height()
        orientation = Qt.Orientation.Vertical if wide else Qt.Orientation.Horizontal
        if self.sides.orientation() != orientation:
            self.sides.setOrientation(orientation)
            self.sides.setSizes([1, 1])
        for view in self.views.values():
            view.setSceneRect(rect)
        self.views["b"].fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._follow("b", "a")

    # ---- stepping through -----------------------------------------------------------------------------------

    def next_change(self):
        self._step(+1)

    def previous_change(self):
        self._step(-1)

    def _step(self, delta: int):
        count = len(self.session.changes)
        if count:
            self.change_list.setCurrentRow((self.current + delta) % count if self.current >= 0 else
                                           (0 if delta > 0 else count - 1))

    def go_to(self, index: int):
        """Show one change: select it on its side (and its match on the other), centre both views on it."""
        if not 0 <= index < len(self.session.changes):
            return
        self.current = index
        change = self.session.changes[index]
        for scene in self.scenes.values():
            scene.clearSelection()
        card = self.scenes[change.side].cards[change.node]
        card.setSelected(True)
        other = self.session.counterpart(change.side, change.node)
        if other is not None:
            self.scenes["b" if change.side == "a" else "a"].cards[other].setSelected(True)
        point = card.pos() + QPointF(card.boundingRect().width() / 2, CARD_HEIGHT / 2)
        self._keep_fitted = False
        self.views[change.side].centerOn(point)
        self._follow(change.side, "b" if change.side == "a" else "a")
        self.details.setPlainText("\n".join(self.session.details(change.side, change.node)))

    def _stop_fitting(self):
        self._keep_fitted = False

    def showEvent(self, event):
        super().showEvent(event)
        QTimer.singleShot(0, self, self.fit)  # once the views have their size

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._keep_fitted:
            QTimer.singleShot(0, self, self.fit)

    def _follow(self, leader: str, follower: str):
        """The other view shows the same part of the scene at the same zoom (matched nodes share places)."""
        if self._following:
            return
        self._following = True
        try:
            view, other = self.views[leader], self.views[follower]
            other.setTransform(view.transform())
            other.centerOn(view.centre())
        finally:
            self._following = False
