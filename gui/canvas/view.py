"""The canvas view: the widget the main window embeds. Pan (middle drag, or space + left drag), zoom around
the cursor (wheel), fit, palette drops, the search-to-add popup and the editing keys.

Public API used by the main window:
    view = CanvasView(controller)
    view.fit_all(); view.center_on_node(node_id); view.auto_layout()
    view.add_node_at(layer, scene_pos) -> new id or None
    view.open_add_popup(scene_pos=None); view.delete_selection(); view.select_all()
    view.snap_to_grid = True
    view.status_message.connect(status_bar.showMessage)   # refusals and hints
Drops of LAYER_MIME_TYPE (the layer name in UTF-8) add that layer at the drop point.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QKeySequence, QPainter
from PySide6.QtWidgets import QGraphicsView

from builder.catalog.specs import SPECS, UnknownLayerError, spec_for
from builder.editing.commands import AddNode, Move
from builder.editing.compound import add_and_connect, layers_accepting
from builder.layout.block_layout import block_layout
from builder.model.document import GraphError
from gui.canvas import context_menus, geometry
from gui.canvas.add_popup import AddPopup
from gui.canvas.block_items import BlockCardItem, BlockFrameItem, CardPortItem
from gui.canvas.block_menu import block_menu
from gui.canvas.cost_overlay import CostLegend, CostOverlay
from gui.canvas.edge_item import EdgeItem
from gui.canvas.edits import CanvasEdits
from gui.canvas.find_bar import FindBar
from gui.canvas.fix_preview import FixPreview
from gui.canvas.frame_item import FrameItem
from gui.canvas.minimap import Minimap
from gui.canvas.node_item import PORT_Y, NodeItem
from gui.canvas.overview_cache import OverviewCache
from gui.canvas.palette_drop import drop_on_wire, free_spot
from gui.canvas.port_item import PortItem
from gui.canvas.scene import SYNC_BUILD_NODES, CanvasScene, snapped
from gui.dialogs import Dialogs
from gui.theme import theme_manager

LAYER_MIME_TYPE = "application/x-keras-canvas-layer"
FIT_MARGIN = 40.0
FIT_MAX_ZOOM = 1.25  # fitting one small node should not blow it up to 4x
WHEEL_ZOOM_BASE = 1.0015  # per eighth of a degree: one notch (120) is about 20%


class CanvasView(QGraphicsView):
    status_message = Signal(str)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._scene = CanvasScene(controller, self)
        self.setScene(self._scene)
        self.setAcceptDrops(True)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self._space_held = False
        self._pan_from: QPoint | None = None
        self._keep_fitted = False  # see fit_all
        self.add_popup: AddPopup | None = None
        self.context_menu = None  # the last right-click menu (context_menus.py)
        self.dialogs = Dialogs(self)  # the main window hands in its own, which tests replace
        self.edits = CanvasEdits(self)  # copy, cut, paste, duplicate, delete keeping wires, align
        self.find_bar = FindBar(self)
        self.minimap = Minimap(self)
        self.overview = OverviewCache(self)  # zoomed far out, frames come from a picture (overview_cache.py)
        # Issue 14: fixes (lightbulb menu and its ghost preview) and the cost overlay with its legend.
        self.fix_preview = FixPreview(self._scene)
        self.cost_overlay = CostOverlay(controller, self)
        self._scene.cost_overlay = self.cost_overlay
        self.cost_legend = CostLegend(self.cost_overlay, self)
        self.cost_overlay.changed.connect(self._on_cost_overlay)
        theme_manager().changed.connect(self._on_theme)
        self.rubberBandChanged.connect(self._on_rubber_band)
        controller.refused.connect(self.status_message)
        controller.edited.connect(self._follow_layout)
        self._scene.status_message.connect(self.status_message)
        self._scene.wire_dropped_on_empty.connect(self.open_wired_add_popup)
        self._fit_after_build = False
        self._scene.built.connect(self._built)
        self.centerOn(0, 0)

    @property
    def canvas_scene(self) -> CanvasScene:
        return self._scene

    @property
    def snap_to_grid(self) -> bool:
        return self._scene.snap_to_grid

    @snap_to_grid.setter
    def snap_to_grid(self, on: bool):
        self._scene.snap_to_grid = bool(on)

    # ---- theme ----------------------------------------------------------------------------------------------

    def _on_theme(self, _name: str):
        """The window switched themes (gui/theme/ made another canvas palette current): repaint with it."""
        for item in self._scene.items():
            item.update()  # also drops each node's cached picture
        self.viewport().update()
        self.minimap.update()
        if self.add_popup is not None:
            self.add_popup.restyle()

    def find_node(self):
        self.find_bar.open()

    def paintEvent(self, event):
        if not self.overview.paint(event):
            super().paintEvent(event)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        if self._keep_fitted:
            self.fit_all()
        self.overview.invalidate()
        self.find_bar._place()  # overlays keep to their corners
        self.minimap.place()
        self.cost_legend.place()

    def zoom(self) -> float:
        return self.transform().m11()

    # ---- framing ------------------------------------------------------------------------------------------

    def fit_all(self, whole: bool = False):
        """Show the whole graph, as large as fits, but never so small that its text cannot be read
        (geometry.FIT_MIN_ZOOM, issue 13): a larger graph shows its beginning (the inputs, top left) at that
        zoom, and the minimap shows where the rest lies. `whole`: fit everything, however small."""
        # Stays fitted while the canvas changes size (the window settling its docks after a file opens, or
        # being resized) until the person pans or zooms.
        self._keep_fitted = True
        # What is shown: a collapsed block's nodes are hidden under its card (gui/canvas/block_overlay.py).
        cards = self._scene.card_rects().values()  # plain numbers: 10,000 items' rectangles took 30 ms
        items = [*self._scene.blocks.cards.values(), *self._scene.blocks.frames.values()]
        if not items and not cards:
            self.resetTransform()
            self.centerOn(0, 0)
            return
        rect = QRectF()
        if cards:  # as the items' bounding rectangles, which reach 4 beyond the card (NodeItem.boundingRect)
            left, top = min(x for x, _y, _w, _h in cards) - 4, min(y for _x, y, _w, _h in cards) - 4
            right, bottom = max(x + w for x, _y, w, _h in cards) + 4, max(y + h for _x, y, _w, h in cards) + 4
            rect = QRectF(left, top, right - left, bottom - top)
        for item in items:
            rect = rect.united(item.sceneBoundingRect())
        rect.adjust(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        zoom = self.zoom()
        floor = geometry.MIN_ZOOM if whole else geometry.FIT_MIN_ZOOM
        clamped = min(max(zoom, floor), FIT_MAX_ZOOM)
        if clamped != zoom:
            self.scale(clamped / zoom, clamped / zoom)
        if clamped > zoom:  # too large to fit whole: its top-left corner at the view's
            view = self.viewport().rect()
            half_width, half_height = view.width() / 2 / clamped, view.height() / 2 / clamped
            self.centerOn(min(rect.left() + half_width, rect.center().x()),
                          min(rect.top() + half_height, rect.center().y()))
        else:
            self.centerOn(rect.center())

    def refit_if_kept(self):
        """Fit again if the view still follows the fit (nobody panned or zoomed since)."""
        if self._keep_fitted:
            self.fit_all()

    def center_on_node(self, node_id: str):
        item = self._scene.node_item(node_id)
        if item is not None:
            self.look_at(item.sceneBoundingRect().center())

    def look_at(self, scene_point: QPointF):
        """Centre the view on a scene point (a found node, a click in the minimap): the person's choice of
        view, which a resize then keeps."""
        self._keep_fitted = False
        self.centerOn(scene_point)

    def zoom_by(self, factor: float, view_pos: QPoint | None = None):
        """Zoom by `factor` keeping the scene point under `view_pos` (default: the centre) where it is."""
        zoom = self.zoom()
        target = min(max(zoom * factor, geometry.MIN_ZOOM), geometry.MAX_ZOOM)
        if target == zoom:
            return
        anchor = view_pos if view_pos is not None else self.viewport().rect().center()
        scene_point = self.mapToScene(anchor)
        self._keep_fitted = False
        self.scale(target / zoom, target / zoom)
        drift = self.mapFromScene(scene_point) - anchor
        self.pan_by(drift.x(), drift.y())

    def pan_by(self, dx: float, dy: float):
        """Scroll the view by (dx, dy) viewport pixels."""
        self._keep_fitted = False
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + round(dx))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + round(dy))

    # ---- editing ------------------------------------------------------------------------------------------

    def auto_layout(self):
        """Lay the graph out as one undo step and fit the view. A large graph's layout is computed in a thread
        (its nodes then move in slices, see the scene), so the window keeps responding."""
        doc = self.controller.doc
        if len(doc) <= SYNC_BUILD_NODES:
            self._apply_layout(block_layout(doc.graph))  # blocks kept together (auto_layout when there are none)
            return
        graph, done = doc.graph, []
        threading.Thread(target=lambda: done.append(block_layout(graph)), name="keras-canvas-layout",
                         daemon=True).start()
        self._wait_for_layout(graph, done)

    def _wait_for_layout(self, graph, done: list):
        if not done:
            QTimer.singleShot(20, self, lambda: self._wait_for_layout(graph, done))
        elif graph is self.controller.doc.graph and set(done[0]) == set(graph):  # still the graph laid out
            self._apply_layout(done[0])

    def _apply_layout(self, layout: dict):
        doc = self.controller.doc
        if any(doc.positions.get(node) != xy for node, xy in layout.items()):  # no empty undo steps
            self.controller.push(Move(layout, text="Auto-layout"))
        self.fit_when_placed()  # the layout (and its undo, _follow_layout) may put much of the graph out of view

    def fit_when_placed(self):
        """Fit now, or once the canvas has moved a large graph's items where the document says (in slices)."""
        if self._scene.building:
            self._fit_after_build = True
        else:
            self.fit_all()

    def _built(self):
        if self._fit_after_build:
            self._fit_after_build = False
            self.fit_all()

    def _follow_layout(self, edit):
        """After an edit that moved most of the graph (an auto-layout, or its undo or redo) and not by dragging
        the selection, fit the view: the graph the person was looking at has moved away."""
        moved = {c.node for c in edit.changes if c.kind == "node_moved"}
        if len(moved) >= max(3, len(self.controller.doc) // 2) and not moved <= set(self.controller.selected):
            self.fit_when_placed()

    def add_node_at(self, layer: str, scene_pos) -> str | None:
        """Add a `layer` node with its top-left corner at scene_pos (snapped when snapping is on) and select
        it. Returns its id, or None when refused (the reason goes to status_message)."""
        try:
            spec = spec_for(layer)
        except UnknownLayerError as exc:
            self.status_message.emit(str(exc))
            return None
        point = QPointF(scene_pos) if not isinstance(scene_pos, (tuple, list)) else QPointF(*scene_pos)
        x, y = point.x(), point.y()
        if self.snap_to_grid:
            x, y = snapped(x), snapped(y)
        node_id = self.controller.doc.new_id(spec.id_prefix)
        if not self.controller.push(AddNode(node_id, layer, spec.start_params(), (x, y))):
            return None
        self.controller.select([node_id])
        return node_id

    def open_add_popup(self, scene_pos=None, layers=None) -> AddPopup:
        """Open the search-to-add popup at scene_pos (default: the cursor, or the view's centre)."""
        if scene_pos is None:
            cursor = self.viewport().mapFromGlobal(QCursor.pos())
            inside = self.viewport().rect().contains(cursor)
            scene_pos = self.mapToScene(cursor if inside else self.viewport().rect().center())
        scene_pos = QPointF(scene_pos) if not isinstance(scene_pos, (tuple, list)) else QPointF(*scene_pos)
        if self.add_popup is not None:
            self.add_popup.close()
        popup = AddPopup(self, layers)
        popup.layer_chosen.connect(lambda layer, at=scene_pos: self.add_node_at(layer, at))
        popup.show_at(self.viewport().mapToGlobal(self.mapFromScene(scene_pos)))
        self.add_popup = popup
        return popup

    def open_wired_add_popup(self, anchor: str, port: int, from_output: bool, scene_pos) -> AddPopup:
        """A wire let go on empty canvas: offer the layers that accept its tensor (from an output) or all that
        can feed the input it came from, and add the chosen one wired to it, as one undo step."""
        scene_pos = QPointF(scene_pos)
        if from_output:
            result = self.controller.results.get(anchor)
            layers = layers_accepting(None if result is None else result.shape)
            corner = QPointF(scene_pos.x(), scene_pos.y() - PORT_Y)  # its input port where the wire ended
        else:
            layers = [spec.name for spec in SPECS]
            corner = QPointF(scene_pos.x() - geometry.NODE_WIDTH, scene_pos.y() - PORT_Y)
        popup = self.open_add_popup(scene_pos, layers=layers)
        popup.layer_chosen.disconnect()
        popup.layer_chosen.connect(lambda layer: self._add_wired(layer, corner, anchor, port, from_output))
        return popup

    def _add_wired(self, layer: str, corner: QPointF, anchor: str, port: int, from_output: bool):
        x, y = (snapped(corner.x()), snapped(corner.y())) if self.snap_to_grid else (corner.x(), corner.y())
        try:
            node_id, command = add_and_connect(self.controller.doc, layer, (x, y),
                                               source=anchor if from_output else None,
                                               target=None if from_output else (anchor, port))
        except (UnknownLayerError, GraphError) as exc:
            self.status_message.emit(str(exc))
            return None
        if self.controller.push(command):
            self.controller.select([node_id])
            return node_id
        return None

    def delete_selection(self):
        self.edits.delete_selection()

    def select_all(self):
        self.controller.select(self.controller.doc.node_ids())

    def _on_rubber_band(self, rect, _from_scene, _to_scene):
        self._scene.rubber_band_active = not rect.isNull()

    # ---- keys ---------------------------------------------------------------------------------------------

    def event(self, event):
        # Tab would move keyboard focus to the next widget before keyPressEvent sees it.
        if event.type() == event.Type.KeyPress and event.key() == Qt.Key.Key_Tab \
                and not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            self.open_add_popup()
            return True
        return super().event(event)

    def keyPressEvent(self, event):
        key = event.key()
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.edits.delete_keeping_wires()
            else:
                self.delete_selection()
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self.select_all()
        elif key == Qt.Key.Key_Escape:
            if not self._scene.cancel_gesture():
                self.controller.select([])
        elif key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif key == Qt.Key.Key_F and not event.modifiers():
            self.fit_all()
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event):
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            if self._pan_from is None:
                self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event):
        self._space_held = False  # the release may go to another widget
        super().focusOutEvent(event)

    # ---- mouse --------------------------------------------------------------------------------------------

    def mousePressEvent(self, event):
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (button == Qt.MouseButton.LeftButton and self._space_held):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event):
        if self._pan_from is not None:
            now = event.position().toPoint()
            delta = now - self._pan_from
            self._pan_from = now
            self.pan_by(-delta.x(), -delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event):
        if self._pan_from is not None and event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self._pan_from = None
            if self._space_held:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton and self.itemAt(event.position().toPoint()) is None:
            self.open_add_popup(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event):
        """Right-click: the menu of what is under the pointer (gui/canvas/context_menus.py); a frame's title
        keeps its own menu (frame_menu.py)."""
        scene_pos = self.mapToScene(event.pos())
        menu = None
        for item in self.items(event.pos()):
            if isinstance(item, CardPortItem):  # a port of a collapsed block's card: the block's menu
                menu = block_menu(self, item.parentItem().block)
                break
            if isinstance(item, (NodeItem, PortItem)):
                menu = context_menus.node_menu(self, item.node_id)
                break
            if isinstance(item, EdgeItem):
                menu = context_menus.wire_menu(self, item.key)
                break
            if isinstance(item, (BlockCardItem, BlockFrameItem)) and item.shape().contains(item.mapFromScene(scene_pos)):
                menu = block_menu(self, item.block)  # a block's card, or an open block's title bar
                break
            if isinstance(item, FrameItem) and item.mapToScene(item.title_rect()).boundingRect().contains(scene_pos):
                super().contextMenuEvent(event)
                return
        if menu is None:
            menu = context_menus.canvas_menu(self, scene_pos)
        self.show_menu(menu, event.globalPos())
        event.accept()

    def open_fix_menu(self, node_id: str, global_pos=None):
        """The lightbulb's menu: the node's verified fixes, each previewed as a ghost while hovered."""
        from gui.fix_actions import fix_menu

        menu = fix_menu(self, self.controller, node_id, self.fix_preview)
        if global_pos is None:
            item = self._scene.node_item(node_id)
            anchor = item.mapToScene(item.bulb_rect().bottomLeft()) if item is not None else self.sceneRect().center()
            global_pos = self.viewport().mapToGlobal(self.mapFromScene(anchor))
        self.show_menu(menu, global_pos)
        return menu

    def set_cost_mode(self, mode: str | None):
        self.cost_overlay.set_mode(mode)

    def _on_cost_overlay(self):
        for item in self._scene.node_items():
            item.update()
        self.overview.invalidate()
        self.viewport().update()

    def show_menu(self, menu, global_pos):
        """Pop a context menu up without blocking (tests look at it and trigger its entries); the last one is
        kept here until the next replaces it."""
        if self.context_menu is not None:
            self.context_menu.deleteLater()
        self.context_menu = menu
        menu.popup(global_pos)

    def wheelEvent(self, event):
        steps = event.angleDelta().y() or event.angleDelta().x()
        if steps:
            self.zoom_by(WHEEL_ZOOM_BASE ** steps, event.position().toPoint())
        event.accept()

    # ---- palette drops ------------------------------------------------------------------------------------

    def _dropped_layer(self, event) -> str | None:
        mime = event.mimeData()
        if mime is None or not mime.hasFormat(LAYER_MIME_TYPE):
            return None
        return bytes(mime.data(LAYER_MIME_TYPE)).decode("utf-8", errors="replace").strip() or None

    def dragEnterEvent(self, event):
        if self._dropped_layer(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event):
        if self._dropped_layer(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event):
        layer = self._dropped_layer(event)
        if layer is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        at = self.mapToScene(event.position().toPoint())
        if drop_on_wire(self, layer, at) or self.add_node_at(layer, free_spot(self, at)):
            self.setFocus()

