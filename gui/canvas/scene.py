"""The scene mirrors the controller's document: one NodeItem per node, one EdgeItem per wire.

It is built from the document, then follows controller.edited (one per edit) and selection_changed. User
gestures end as builder commands pushed through the controller; listeners here only mirror, they never push.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QGraphicsScene

from builder.catalog.specs import is_merge_layer
from builder.editing.commands import Move
from builder.layout.wire_routes import detour_lane, is_backward
from gui.canvas import geometry
from gui.canvas.block_overlay import BlockOverlay
from gui.canvas.edge_item import EdgeItem
from gui.canvas.frame_item import FrameItem
from gui.canvas.grid import paint_background
from gui.canvas.node_item import NodeItem
from gui.canvas.placement import fallback_positions
from gui.canvas.port_item import PortItem
from gui.canvas.scene_build import SYNC_BUILD_NODES, SceneBuild
from gui.canvas.wire_insert import WireInsertHover, could_be_inserted
from gui.canvas.wiring import WireDrag

SCENE_EXTENT = 50_000.0  # room to pan in every direction
SCENE_MARGIN = 5_000.0  # kept beyond the farthest node
# A large document is built in slices of BUILD_SLICE_MS, the event loop running in between (scene_build.py).
BUILD_SLICE_MS = 25


def _rect_tuple(rect: QRectF) -> tuple[float, float, float, float]:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


def snapped(value: float) -> float:
    return round(value / geometry.GRID_SIZE) * geometry.GRID_SIZE


class CanvasScene(SceneBuild, QGraphicsScene):
    status_message = Signal(str)
    build_progress = Signal(int, int)  # (steps done, steps) while a large document's items are made or moved
    built = Signal()  # every item of the document exists where the document puts it (at once when small)
    # A new document's items in the view exist (a large one's are made first; the rest follow in slices, and
    # `built` comes when they exist): the window can paint the document. Emitted once per rebuild.
    shown_in_view = Signal()
    # A wire let go on empty canvas: (anchor node, anchor port, dragged from an output, scene point).
    wire_dropped_on_empty = Signal(str, int, bool, QPointF)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.snap_to_grid = False
        self.wire_drag: WireDrag | None = None
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[tuple, EdgeItem] = {}
        self._edge_keys_of: dict[str, set] = defaultdict(set)  # node id -> keys of its wires, both ways
        self._frames: dict[str, FrameItem] = {}
        self._rects: dict | None = None  # node id -> rectangle, for wire detours (_node_rects)
        self._rects_by_top: list | None = None  # the same, ordered by top edge (see _node_rects)
        # Where a node without a saved position is shown. Remembered after it gets a position or is removed,
        # so undoing an auto-layout or a delete shows it where it was, without placing hundreds anew.
        self._placed: dict[str, tuple[float, float]] = {}
        self._drag_start: dict[str, QPointF] | None = None
        self.insert_hover: WireInsertHover | None = None  # one unwired node dragged: it may land on a wire
        self._syncing_selection = False
        self.rubber_band_active = False  # set by the view while a rubber band is dragged
        self.setSceneRect(QRectF(-SCENE_EXTENT, -SCENE_EXTENT, 2 * SCENE_EXTENT, 2 * SCENE_EXTENT))
        self.blocks = BlockOverlay(self)  # collapsed blocks as cards, open ones framed (gui/canvas/block_overlay.py)
        # A large document is built in slices (see rebuild): what is left, how much there was, and whether the
        # build set the controller's `busy` (and so clears it).
        self._pending: list = []
        self._routes_later = False  # a sliced move: wires are routed by a later step
        self._moved_in_slices = False  # nodes moved by a sliced move: room is made for them when it ends
        self._build_total = 0
        self._set_busy = False
        # A large new document: where its cards will stand, until their items exist (gui/canvas/build_order.py),
        # whether the items in view are still to be put first, and whether shown_in_view is still to come.
        self._planned: dict | None = None
        self._view_first = False
        self._in_view_due = False
        self._build_timer = QTimer(self)
        self._build_timer.setSingleShot(True)
        self._build_timer.setInterval(0)
        self._build_timer.timeout.connect(self._build_slice)
        controller.edited.connect(self._on_edit)
        controller.selection_changed.connect(self._on_controller_selection)
        self.selectionChanged.connect(self._on_scene_selection)
        self.rebuild()

    # ---- lookups ------------------------------------------------------------------------------------------

    def node_item(self, node_id: str) -> NodeItem | None:
        return self._nodes.get(node_id)

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def edge_item(self, source: str, target: str, port: int) -> EdgeItem | None:
        return self._edges.get((source, target, port))

    def edge_items(self) -> list[EdgeItem]:
        return list(self._edges.values())

    def card_rects(self, shown_only: bool = True, planned: bool = True) -> dict[str, tuple[float, float, float, float]]:
        """node id -> (x, y, width, height) of every node's card (`shown_only`: not those hidden in a collapsed
        block), from plain numbers: the minimap, the fit and the wire detours read all of them at once, and
        asking 10,000 items for their scene rectangles took a tenth of a second (issue 18). While a large
        document is built, `planned` adds the cards still to come (gui/canvas/build_order.py)."""
        hidden = self.blocks.hidden if shown_only else ()
        width = geometry.NODE_WIDTH
        made = {node_id: (item.x(), item.y(), width, item.height) for node_id, item in self._nodes.items()
                if node_id not in hidden}
        if self._planned is None or not planned:
            return made
        # A large document being built: the cards whose items are still to come, where they will stand.
        return {**self._planned, **made}

    def is_merge(self, node_id: str) -> bool:
        return is_merge_layer(self.controller.doc.layer(node_id))

    def selected_node_ids(self) -> list[str]:
        chosen = {item.node_id for item in self.selectedItems() if isinstance(item, NodeItem)}
        chosen |= self.blocks.selected_members()  # a selected block card or open block's title: its nodes
        return [n for n in self.controller.doc.node_ids() if n in chosen]

    def selected_wires(self) -> list[tuple[str, str, int]]:
        return [item.key for item in self.selectedItems() if isinstance(item, EdgeItem)]

    def frame_item(self, frame_id: str) -> FrameItem | None:
        return self._frames.get(frame_id)

    def frame_items(self) -> list[FrameItem]:
        return list(self._frames.values())

    def selected_frame_ids(self) -> list[str]:
        return [item.frame_id for item in self.selectedItems() if isinstance(item, FrameItem)]

    def sync_frames(self):
        """Make the frame items match the document's ui["frames"] (few: rebuilt field by field)."""
        wanted = [f["id"] for f in self.controller.doc.ui.get("frames") or []]
        for frame_id in [f for f in self._frames if f not in wanted]:
            self.removeItem(self._frames.pop(frame_id))
        for frame_id in wanted:
            if frame_id in self._frames:
                self._frames[frame_id].sync()
            else:
                self._frames[frame_id] = item = FrameItem(self.controller, frame_id)
                self.addItem(item)

    # ---- building from the document -----------------------------------------------------------------------

    def _move_item(self, node_id: str):
        """A node moved to where the document puts it, its wires left for a later step (see _on_edit)."""
        position = self.controller.doc.positions.get(node_id) or self._placed.get(node_id)
        self._routes_later = True
        try:
            if position is None:
                self._place_unpositioned()
            else:
                self._nodes[node_id].setPos(*position)
        finally:
            self._routes_later = False

    def _build_slice(self):
        """Make items for BUILD_SLICE_MS; what the view shows first when it can (see _put_view_first), then
        nodes (the ones without a position are then placed), then the wires into each node."""
        if self._view_first:  # in the first slice: by now the view has been fitted on the new document
            self._view_first = False
            self._put_view_first()
        doc, deadline = self.controller.doc, time.perf_counter() + BUILD_SLICE_MS / 1000
        pending, added = self._pending, []  # the nodes made in this slice start following moves together
        while pending and time.perf_counter() < deadline:
            step, node_id = pending.pop()
            if step is None:
                self._after_adding(added)
                added = []
                self._place_unpositioned()
            elif step == self._show_in_view:
                self._after_adding(added)
                added = []
                self._show_in_view()
                break  # this slice ends here: the window paints what is in view
            elif step == self._add_edge:
                source, target, _port = node_id
                if source in self._nodes and target in self._nodes and node_id not in self._edges:
                    self._add_edge(node_id)
            elif node_id in doc:
                if step == self._add_node_item:
                    if node_id not in self._nodes:
                        added.append(self._add_node_item(node_id, follow=False))
                elif node_id in self._nodes:
                    step(node_id)  # wires into a node, or a move
        self._after_adding(added)
        # Qt indexes new items when it is next asked where items are, or 2 s after the last was added: while a
        # build adds items every turn, that is the next paint, which then indexed thousands at once (a quarter
        # of a second at 10,000 nodes). Asked here, each slice indexes its own.
        self.items(QRectF(-SCENE_EXTENT, -SCENE_EXTENT, 1.0, 1.0))
        self.build_progress.emit(self._build_total - len(pending), self._build_total)
        if pending:
            self._build_timer.start()
        else:
            self._finish_building()

    def _finish_building(self):
        self._planned = None
        self._after_adding([item for item in self._nodes.values() if not item.follows_moves])
        if self._moved_in_slices:
            self._moved_in_slices = False
            cards = self.card_rects(shown_only=False).values()
            if cards:
                left, top = min(x for x, _y, _w, _h in cards), min(y for _x, y, _w, _h in cards)
                right, bottom = max(x + w for x, _y, w, _h in cards), max(y + h for _x, y, _w, h in cards)
                self._make_room_for(QRectF(left - 4, top - 4, right - left + 8, bottom - top + 8))
        self.sync_frames()
        self.blocks.refresh()
        self._on_controller_selection(self.controller.selected)
        if self._set_busy:
            self._set_busy = False
            self.controller.busy = None
        if self._in_view_due:
            self._show_in_view()
        self.built.emit()

    def _add_wires_into(self, target: str):
        """The wires into a node just built (its ports already match them), routed."""
        for source, port in self.controller.doc.inputs_of(target):
            if (source, target, port) not in self._edges:
                self._add_edge((source, target, port))

    def _add_edge(self, key: tuple[str, str, int]):
        """One wire whose two nodes have their items, routed before it joins the scene: routed after, its
        change from an empty path at the origin to its place repainted the whole view each time, even for
        wires far outside it (a large document's build repainted the view after every slice)."""
        edge = EdgeItem(self.controller, *key)
        self._edges[key] = edge
        self._edge_keys_of[key[0]].add(key)
        self._edge_keys_of[key[1]].add(key)
        self._route(edge)
        self.addItem(edge)

    def _after_adding(self, items):
        """Node items placed without telling the scene of each move: from now on they do, and the scene
        has room for all of them."""
        if not items:
            return
        left = top = math.inf
        right = bottom = -math.inf
        for item in items:  # the items' bounding rectangles (4 beyond the card), from plain numbers
            item.follow_moves()
            x, y = item.x(), item.y()
            left, top = min(left, x - 4), min(top, y - 4)
            right, bottom = max(right, x + geometry.NODE_WIDTH + 4), max(bottom, y + item.height + 4)
        self._rects = None
        self._make_room_for(QRectF(left, top, right - left, bottom - top))

    def _add_node_item(self, node_id: str, follow: bool = True) -> NodeItem:
        """A node's item at its position; `follow`: moves are reported from the start (see _after_adding)."""
        item = NodeItem(self.controller, node_id)
        self._nodes[node_id] = item
        position = self.controller.doc.positions.get(node_id) or self._placed.get(node_id)
        if position is not None:
            item.setPos(*position)
        self.addItem(item)
        if follow:
            self._after_adding([item])
        return item

    def _place_unpositioned(self):
        """Show nodes that have no saved position near where auto-layout would put them. No command is
        pushed: the document only learns a position when the person moves the node."""
        doc = self.controller.doc
        positions, placed = doc.positions, self._placed
        missing = [n for n in doc.node_ids() if n not in positions and n not in placed]
        if not missing:
            return
        shown = {n: self._nodes[n].mapRectToScene(self._nodes[n].card_rect()) for n in doc.node_ids()
                 if n not in missing}
        sizes = {n: self._nodes[n].card_rect().size() for n in missing}
        for node_id, (x, y) in fallback_positions(doc.graph, missing, shown, sizes).items():
            self._placed[node_id] = (x, y)
            self._nodes[node_id].setPos(x, y)

    def _sync_wires_into(self, target: str):
        """Make the wires into `target` match the document (merge layers renumber their ports on removal)."""
        doc = self.controller.doc
        wanted = {(source, target, port) for source, port in doc.inputs_of(target)} if target in doc else set()
        for key in [k for k in self._edge_keys_of[target] if k[1] == target and k not in wanted]:
            self._remove_edge(key)
        for key in [k for k in wanted if k not in self._edges]:
            edge = EdgeItem(self.controller, *key)
            self._edges[key] = edge
            self._edge_keys_of[key[0]].add(key)
            self._edge_keys_of[key[1]].add(key)
            self.addItem(edge)
        node = self._nodes.get(target)
        if node is not None:
            node.sync()  # a merge layer grows or shrinks, which moves its ports and its output
            self._route_wires_of(target)

    def _route(self, edge: EdgeItem):
        source, target = self._nodes.get(edge.source), self._nodes.get(edge.target)
        if source is None or target is None:
            return
        port = target.input_port(edge.port) or target.input_port(0)
        end = port.scenePos() if port is not None else target.scenePos()
        start = source.output_port.scenePos()
        ends = ((start.x(), start.y()), (end.x(), end.y()))
        # A wire back to the left (into the next band of a wrapped layout) runs along the free lane between
        # the bands instead of straight across one (builder/layout/wire_routes.py).
        lane = detour_lane(*ends, self._node_rects()) if is_backward(*ends) else None
        edge.set_ends(start, end, lane)

    def _node_rects(self):
        """Every node's rectangle, the obstacles of a detour; kept (and updated one by one as nodes move) until
        a node is added or removed, as opening a wrapped model routes many backward wires at once, and an
        auto-layout moves thousands of nodes whose wires run backwards for a moment."""
        # While a large document is built, the cards still to come are obstacles too (the wires in view are
        # routed before them, gui/canvas/scene_build.py, and are not routed again).
        count = len(self._planned) if self._planned is not None else len(self._nodes)
        if self._rects is None or len(self._rects) != count:
            # A card's bounding rectangle reaches 4 beyond it (NodeItem.boundingRect); items are never scaled.
            self._rects = {node_id: (x - 4, y - 4, x + w + 4, y + h + 4)
                           for node_id, (x, y, w, h) in self.card_rects(shown_only=False).items()}
            self._rects_by_top = None
        if self._rects_by_top is None:
            # Ordered by top edge, as detour_lane sorts them: sorting what is already in order is one pass, and a
            # layout of 10,000 nodes routes hundreds of backward wires while no node moves (issue 18).
            self._rects_by_top = sorted(self._rects.values(), key=lambda r: (r[1], r[3]))
        return self._rects_by_top

    def _route_wires_of(self, node_id: str):
        for key in self._edge_keys_of.get(node_id, ()):
            self._route(self._edges[key])

    def _remove_edge(self, key):
        self.removeItem(self._edges.pop(key))
        for end in (key[0], key[1]):
            self._edge_keys_of[end].discard(key)

    def _remove_wires_of(self, node_id: str):
        for key in list(self._edge_keys_of.pop(node_id, ())):
            self._remove_edge(key)

    # ---- following the controller -------------------------------------------------------------------------

    def _on_edit(self, edit):
        """One edit, after it ended: its document events bring the items in line (each guarded, as later
        events of the same edit may have renamed or removed what an earlier one named), then the nodes whose
        results changed repaint."""
        if edit.reset:
            self.rebuild()
            return
        self._cancel_wire_drag()
        moved = [c.node for c in edit.changes if c.kind == "node_moved"]
        if len(moved) > SYNC_BUILD_NODES and not edit.wiring_changed and not self._pending:
            # An auto-layout (or its undo) of a large graph: the items follow in slices, like a build, edits
            # waiting meanwhile; the rest of the edit's events are only moves and results.
            # Their wires are routed after all have moved: midway many run backwards for a moment, and a
            # backward wire's detour looks at every node.
            moved = list(dict.fromkeys(moved))
            self._start_slices([(self._move_item, node) for node in moved]
                               + [(self._route_wires_of, node) for node in moved],
                               f"The canvas is moving {len(moved):,} nodes")
            self._on_results_changed(edit.changed)
            return
        for change in edit.changes:
            self._apply_change(change)
        if edit.wiring_changed:
            self._match_node_items()
        self._on_results_changed(edit.changed)
        self.blocks.refresh()

    def _match_node_items(self):
        """After the events of an edit that adds, removes or renames nodes: one item per node, no more."""
        doc_ids = self.controller.doc.graph
        for node_id in [n for n in self._nodes if n not in doc_ids]:
            self._remove_wires_of(node_id)
            self.removeItem(self._nodes.pop(node_id))
        missing = [n for n in doc_ids if n not in self._nodes] if not self._pending else []
        for node_id in missing:
            self._add_node_item(node_id)
        if missing:
            self._place_unpositioned()
            for node_id in missing:
                self._sync_wires_into(node_id)

    def _apply_change(self, change):
        doc, kind, node_id = self.controller.doc, change.kind, change.node
        if kind == "node_added":
            if node_id in doc and node_id not in self._nodes:
                self._add_node_item(node_id)
                self._place_unpositioned()
        elif kind == "node_removed":
            self._remove_wires_of(node_id)  # normally gone already: the document removes wires first
            item = self._nodes.pop(node_id, None)
            if item is not None:
                self.removeItem(item)
        elif kind in ("edge_added", "edge_removed"):
            self._sync_wires_into(node_id)
            if change.source in self._nodes:
                self._nodes[change.source].sync()
        elif kind == "param_changed":
            if node_id in self._nodes:
                self._nodes[node_id].sync()
        elif kind == "ui_changed" and change.name == "frames":
            self.sync_frames()
        elif kind == "node_renamed":
            if change.old_id in self._nodes and node_id not in self._nodes:
                self._rename(change.old_id, node_id)
        elif kind == "node_moved" and node_id in self._nodes:
            position = doc.positions.get(node_id) or self._placed.get(node_id)
            if position is None:
                self._place_unpositioned()
            else:
                self._nodes[node_id].setPos(*position)

    def _rename(self, old_id: str, new_id: str):
        item = self._nodes.pop(old_id)
        item.node_id = new_id
        self._nodes[new_id] = item
        if old_id in self._placed:
            self._placed[new_id] = self._placed.pop(old_id)
        self._remove_wires_of(old_id)
        doc = self.controller.doc
        if new_id not in doc:
            return  # renamed again (or removed) later in the same edit: a later event brings it in line
        for target in {new_id, *(t for t, _p in doc.outputs_of(new_id))}:
            self._sync_wires_into(target)
        item.sync()

    def _on_results_changed(self, node_ids):
        for node_id in node_ids:
            item = self._nodes.get(node_id)
            if item is not None:
                item.sync()
        for node_id in node_ids:
            for key in self._edge_keys_of.get(node_id, ()):
                if key[0] == node_id:
                    self._edges[key].sync()

    def _on_controller_selection(self, node_ids):
        if self._syncing_selection:
            return  # our own selection coming back: the scene already shows it (and any wires picked too)
        self._syncing_selection = True
        try:
            wanted = set(node_ids)
            for item in self.selectedItems():
                if isinstance(item, FrameItem) and not node_ids:
                    continue  # a frame stays selected on its own (the controller's selection is nodes)
                if not (isinstance(item, NodeItem) and item.node_id in wanted):
                    item.setSelected(False)
            for node_id in node_ids:
                item = self._nodes.get(node_id)
                if item is not None:
                    item.setSelected(True)
        finally:
            self._syncing_selection = False

    def _on_scene_selection(self):
        if self._syncing_selection:
            return
        self._syncing_selection = True
        try:
            self.controller.select(self.selected_node_ids())
        finally:
            self._syncing_selection = False

    # ---- moving nodes -------------------------------------------------------------------------------------

    def adjust_dragged_position(self, position: QPointF) -> QPointF:
        """Snap a node to the grid while the person drags it (not when the document places it)."""
        if self.snap_to_grid and self._drag_start is not None:
            return QPointF(snapped(position.x()), snapped(position.y()))
        return position

    def node_moved_visually(self, node_id: str):
        self._rects_by_top = None
        if self._rects is not None and node_id in self._rects and node_id in self._nodes:
            self._rects[node_id] = _rect_tuple(self._nodes[node_id].sceneBoundingRect())
        else:
            self._rects = None
        if self._routes_later:
            # A sliced move: room is made once it is over (_finish_building), for all of them at once.
            self._moved_in_slices = True
            return
        self._route_wires_of(node_id)
        self.blocks.follow_move()
        self._make_room_for(self._nodes[node_id].sceneBoundingRect() if node_id in self._nodes else QRectF())

    def _make_room_for(self, rect: QRectF):
        """Grow the scene so the view can always scroll to every node, however far a large graph reaches."""
        room = self.sceneRect()
        if not rect.isNull() and not room.adjusted(SCENE_MARGIN, SCENE_MARGIN, -SCENE_MARGIN, -SCENE_MARGIN) \
                .contains(rect):
            self.setSceneRect(room.united(rect.adjusted(-2 * SCENE_MARGIN, -2 * SCENE_MARGIN,
                                                        2 * SCENE_MARGIN, 2 * SCENE_MARGIN)))

    def _finish_node_drag(self):
        start, self._drag_start = self._drag_start, None
        hover, self.insert_hover = self.insert_hover, None
        if not start:
            return
        moved = {}
        for node_id, before in start.items():
            item = self._nodes.get(node_id)
            if item is not None and item.pos() != before:
                moved[node_id] = (item.pos().x(), item.pos().y())
        command = hover.command(moved) if hover is not None and moved else Move(moved) if moved else None
        if command is not None:
            self.controller.push(command)

    # ---- mouse --------------------------------------------------------------------------------------------

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            port = next((i for i in self.items(event.scenePos()) if isinstance(i, PortItem)), None)
            if port is not None:
                self._cancel_wire_drag()
                self.wire_drag = WireDrag(self, port)
                self.wire_drag.move(event.scenePos())
                event.accept()
                return
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and isinstance(self.mouseGrabberItem(), NodeItem):
            self._drag_start = {item.node_id: item.pos() for item in self.selectedItems()
                                if isinstance(item, NodeItem)}
            dragged = list(self._drag_start)
            if len(dragged) == 1 and could_be_inserted(self.controller.doc, dragged[0]):
                self.insert_hover = WireInsertHover(self, dragged[0])

    def mouseMoveEvent(self, event):
        if self.wire_drag is not None:
            self.wire_drag.move(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self.insert_hover is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.insert_hover.move(event.scenePos())

    def mouseReleaseEvent(self, event):
        if self.wire_drag is not None and event.button() == Qt.MouseButton.LeftButton:
            drag, self.wire_drag = self.wire_drag, None
            drag.finish(event.scenePos())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._finish_node_drag()

    def _cancel_wire_drag(self):
        if self.wire_drag is not None:
            drag, self.wire_drag = self.wire_drag, None
            drag.cancel()

    def cancel_gesture(self) -> bool:
        """Esc: drop a wire being dragged. Returns whether there was one."""
        had = self.wire_drag is not None
        self._cancel_wire_drag()
        return had

    # ---- background ---------------------------------------------------------------------------------------

    def drawBackground(self, painter, rect: QRectF):
        paint_background(painter, rect)
