"""Building the scene from a new document (issue 18): at once when small; a large one in slices of the event
loop, what the view shows first (gui/canvas/build_order.py), so the window paints the document after a
hundred items rather than after all of them; edits wait meanwhile (the controller refuses them with `busy`).

A mixin of CanvasScene (gui/canvas/scene.py), which makes the items (_add_node_item, _add_edge, ...), runs
the slices (_build_slice) and ends a build (_finish_building).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF

from builder.model.blocks import blocks_of
from gui.canvas.build_order import in_view_first, planned_cards
from gui.canvas.node_item import node_height

# Up to this many nodes the items are made at once (a few dozen milliseconds); a larger document is built in
# slices (scene.BUILD_SLICE_MS each), the event loop running in between.
SYNC_BUILD_NODES = 250


def index_depth(doc) -> int:
    """The depth of the scene's index (a BSP tree) for a document's items, as Qt would choose it for their
    number (log2, at least 5): nodes, their ports (about two each) and wires (about one each; counting them
    in a networkx multigraph costs more than this guess is worth)."""
    items = len(doc) * 4
    return max(math.ceil(math.log2(items)), 5) if items > 0 else 5


def _rect_tuple(rect) -> tuple[float, float, float, float]:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


class SceneBuild:
    def rebuild(self):
        """Items for the whole document. A large one is built in slices of the event loop (a few dozen
        milliseconds each), so the window keeps responding and shows its progress (build_progress); edits wait
        meanwhile (the controller refuses them with `busy`)."""
        self._cancel_wire_drag()
        self._stop_building()
        if self._nodes or self._edges or self._frames:
            # Items others own (block cards and frames, a fix's ghost) leave first, through their owners; then the
            # scene holds only the document's items, and Qt drops them all at once (fast at 10,000 nodes).
            self.blocks.detach()
            for view in self.views():
                preview = getattr(view, "fix_preview", None)
                if preview is not None:
                    preview.clear()
            self.clear()
        self._edges.clear()
        self._edge_keys_of.clear()
        self._nodes.clear()
        self._frames.clear()
        self._placed.clear()
        doc = self.controller.doc
        self._in_view_due = True
        # Left to itself, Qt rebuilds its index of the items whenever their number crosses a power of two, each
        # time over all of them, in the next paint: a third of a second at 10,000 nodes, in the middle of the
        # build (issue 18). Set now, on an empty scene, for the number to come, it is built once, item by item.
        self.setBspTreeDepth(0 if len(doc) <= SYNC_BUILD_NODES else index_depth(doc))
        if len(doc) <= SYNC_BUILD_NODES:
            for node_id in doc.node_ids():
                self._add_node_item(node_id, follow=False)
            self._place_unpositioned()
            for node_id in doc.node_ids():
                self._add_wires_into(node_id)
            self._finish_building()
            return
        # What the view shows is made first when every node has its place in the document (the file's positions,
        # or the loader's layout) and no block hides some of them (their cards need every item).
        self._view_first = len(doc.positions) >= len(doc) and not blocks_of(doc.graph)
        self._planned = planned_cards(doc, node_height(1)) if self._view_first else None
        if self._planned:
            # Room for every card now, while the scene is empty: growing the scene during the build makes Qt
            # index every item again (a quarter of a second at 10,000 nodes).
            cards = self._planned.values()
            left, top = min(x for x, _y, _w, _h in cards), min(y for _x, y, _w, _h in cards)
            right, bottom = max(x + w for x, _y, w, _h in cards), max(y + h for _x, y, _w, h in cards)
            self._make_room_for(QRectF(left - 4, top - 4, right - left + 8, bottom - top + 200))
        self._start_slices([(self._add_node_item, n) for n in doc.node_ids()] + [(None, None)]
                           + [(self._add_wires_into, n) for n in doc.node_ids()],
                           f"The canvas is drawing {len(doc):,} nodes")

    def _put_view_first(self):
        """Move the steps that make what the views show (and the wires leaving it) to the front, followed by the
        moment the window may paint the document (shown_in_view); the steps left behind skip what exists."""
        shown = [view.mapToScene(view.viewport().rect()).boundingRect() for view in self.views() if view.isVisible()]
        if not shown or self._planned is None:
            return
        region = shown[0]
        for rect in shown[1:]:
            region = region.united(rect)
        nodes, wires = in_view_first(self.controller.doc, self._planned, _rect_tuple(region))
        first = [(self._add_node_item, n) for n in nodes] + [(self._add_edge, key) for key in wires]
        first.append((self._show_in_view, None))
        self._pending.extend(reversed(first))
        self._build_total += len(first)

    def _start_slices(self, steps: list, busy: str):
        """Work through (step, node id) pairs in slices of the event loop (see _build_slice); edits wait."""
        self._pending = steps[::-1]  # popped from the end
        self._build_total = len(steps)
        if self.controller.busy is None:
            self.controller.busy = busy
            self._set_busy = True
        self.build_progress.emit(0, self._build_total)
        self._build_timer.start()

    @property
    def building(self) -> bool:
        """Whether items of the document are still being made or moved (see rebuild and _on_edit)."""
        return bool(self._pending)

    def _show_in_view(self):
        """What the view shows exists: the frames too (few), then the signal that the document can be painted."""
        self._in_view_due = False
        self.sync_frames()
        self.shown_in_view.emit()

    def _stop_building(self):
        """Drop a build under way (another document replaces this one)."""
        self._build_timer.stop()
        self._pending = []
        self._planned, self._view_first = None, False
        if self._set_busy:
            self._set_busy = False
            self.controller.busy = None
