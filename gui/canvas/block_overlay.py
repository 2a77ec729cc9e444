"""Keeps the canvas's block items in line with the document (gui/canvas/block_items.py): after every edit the
scene calls refresh(), which hides the nodes and wires a collapsed block holds, shows one card per collapsed
block that nothing collapsed encloses, a frame around each expanded block that is shown, and wires to and from
the cards. A document without blocks costs one dictionary look-up per edit.

A card stands at the top-left of its nodes' rectangle, so collapsing and expanding move nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from builder.inference.block_summary import summarize
from builder.layout.wire_routes import detour_lane, is_backward
from builder.model.block_ports import card_inputs
from builder.model.blocks import (
    ancestors,
    blocks_of,
    border_inputs,
    border_outputs,
    collapsed_owner,
    members_by_block,
    visible_items,
)
from gui.canvas.block_items import FRAME_MARGIN, TITLE_HEIGHT, BlockCardItem, BlockFrameItem, ProxyWire


class BlockOverlay:
    def __init__(self, scene):
        self.scene = scene
        self.cards: dict[str, BlockCardItem] = {}
        self.frames: dict[str, BlockFrameItem] = {}
        self.wires: list[ProxyWire] = []
        self.hidden: set[str] = set()  # node ids hidden inside a collapsed block
        self._holding: dict = {}  # block -> its nodes, as of the last refresh
        self._summaries: dict = {}  # block -> its BlockSummary, as of the last refresh

    @property
    def controller(self):
        return self.scene.controller

    def card(self, block: str) -> BlockCardItem | None:
        return self.cards.get(block)

    def frame(self, block: str) -> BlockFrameItem | None:
        return self.frames.get(block)

    def selected_members(self) -> set[str]:
        """The nodes of every selected card and open block (their edits act on them: delete, copy, inspect)."""
        chosen = [item.block for item in [*self.cards.values(), *self.frames.values()] if item.isSelected()]
        if not chosen:
            return set()
        holding = members_by_block(self.controller.doc.graph)
        return {n for block in chosen for n in holding.get(block, ())}

    def detach(self):
        """Take every block item out of the scene and forget it: the scene is about to drop all its items at once
        (a new document), and an item Qt deleted must not be used again."""
        for item in [*self.cards.values(), *self.frames.values(), *self.wires]:
            if item.scene() is not None:
                self.scene.removeItem(item)
        self.cards, self.frames, self.wires = {}, {}, []
        self.hidden = set()
        self._holding, self._summaries = {}, {}

    def refresh(self):
        graph = self.controller.doc.graph
        meta = blocks_of(graph)
        if not meta and not (self.cards or self.frames or self.hidden or self.wires):
            return
        summaries = summarize(graph, self.controller.results) if meta else {}
        self._summaries = summaries
        self._holding = members_by_block(graph) if meta else {}
        shown = visible_items(graph) if meta else []
        collapsed = [b for kind, b in shown if kind == "block" and b in summaries]
        hidden = {n for n in graph if collapsed_owner(graph, n) is not None} if meta else set()
        for node_id, item in ((n, self.scene.node_item(n)) for n in hidden | self.hidden):
            if item is not None:
                item.setVisible(node_id not in hidden)
                if node_id in hidden and item.isSelected():
                    item.setSelected(False)
        self.hidden = hidden
        for edge in self.scene.edge_items():
            edge.setVisible(edge.source not in hidden and edge.target not in hidden)
        self._sync_cards(collapsed, summaries)
        open_blocks = [b for b in meta if b in summaries and not meta[b].get("collapsed")
                       and not any(meta[a].get("collapsed") for a in ancestors(graph, b))]
        self._sync_frames(open_blocks, summaries)
        self._sync_wires(graph, hidden)

    # ---- cards ----------------------------------------------------------------------------------------------

    def _sync_cards(self, wanted, summaries):
        for block in [b for b in self.cards if b not in wanted]:
            self.scene.removeItem(self.cards.pop(block))
        for block in wanted:
            item = self.cards.get(block)
            if item is None:
                item = self.cards[block] = BlockCardItem(self.controller, block)
                self.scene.addItem(item)
            item.set_summary(summaries[block], card_inputs(self.controller.doc.graph, block, self._holding.get(block)))
            item.setPos(self._top_left(block))

    def _top_left(self, block) -> QPointF:
        rect = self._nodes_rect(block)
        return rect.topLeft() if rect is not None else QPointF(0, 0)

    def _nodes_rect(self, block) -> QRectF | None:
        rect = None
        for node in self._holding.get(block, ()):
            item = self.scene.node_item(node)
            if item is None:
                continue
            r = item.mapRectToScene(item.card_rect())
            rect = r if rect is None else rect.united(r)
        return rect

    # ---- frames ---------------------------------------------------------------------------------------------

    def _sync_frames(self, wanted, summaries):
        for block in [b for b in self.frames if b not in wanted]:
            self.scene.removeItem(self.frames.pop(block))
        graph = self.controller.doc.graph
        # Inner frames first, so an outer frame can take in their rectangles.
        depth = {b: len(ancestors(graph, b)) for b in wanted}
        rects: dict[str, QRectF] = {}
        holding = self._holding if self._holding else members_by_block(graph)
        for block in sorted(wanted, key=lambda b: -depth[b]):
            rect = None
            for node in holding.get(block, ()):
                owner = collapsed_owner(graph, node)
                if owner is not None and owner in self.cards:
                    card = self.cards[owner]
                    r = card.mapRectToScene(card.card_rect())
                else:
                    item = self.scene.node_item(node)
                    if item is None:
                        continue
                    r = item.mapRectToScene(item.card_rect())
                rect = r if rect is None else rect.united(r)
            for child, child_rect in rects.items():
                if block in ancestors(graph, child):
                    rect = child_rect if rect is None else rect.united(child_rect)
            if rect is None:
                continue
            rect = rect.adjusted(-FRAME_MARGIN, -FRAME_MARGIN - TITLE_HEIGHT, FRAME_MARGIN, FRAME_MARGIN)
            rects[block] = rect
            item = self.frames.get(block)
            if item is None:
                item = self.frames[block] = BlockFrameItem(self.controller, block)
                self.scene.addItem(item)
            item.set_rect(rect, summaries.get(block), depth[block])

    def follow_move(self):
        """A node was dragged: frames grow or shrink with it, wires to cards follow (cards stay where their nodes
        are)."""
        if self.scene._drag_start is None:
            return  # not a drag by the person: nodes placed while the scene is built, or moved by an edit
        if self.frames:  # the summaries of the last edit still hold: a drag changes no shape
            self._sync_frames(list(self.frames), self._summaries)
        if self.hidden:  # wires to and from cards follow the dragged node
            self._sync_wires(self.controller.doc.graph, self.hidden)

    # ---- wires to and from cards -------------------------------------------------------------------------------

    def _sync_wires(self, graph, hidden):
        for wire in self.wires:
            self.scene.removeItem(wire)
        self.wires = []
        if not hidden:
            return
        drawn = set()
        obstacles = [(r.left(), r.top(), r.right(), r.bottom()) for r in
                     (i.sceneBoundingRect() for i in [*self.scene.node_items(), *self.cards.values()] if i.isVisible())]
        ports_in: dict[str, list] = {}
        ports_out: dict[str, list] = {}
        for source, target, port in graph.edges(data="port"):
            if source not in hidden and target not in hidden:
                continue
            a, b = collapsed_owner(graph, source), collapsed_owner(graph, target)
            if a is not None and a == b:
                continue
            start = self._output_point(graph, source, a, ports_out)
            end = self._input_point(graph, source, target, port, b, ports_in)
            key = (a or source, b or target, source if b else port)
            if start is None or end is None or key in drawn:
                continue
            drawn.add(key)
            wire = ProxyWire()
            ends = ((start.x(), start.y()), (end.x(), end.y()))
            wire.set_ends(start, end, detour_lane(*ends, obstacles) if is_backward(*ends) else None)
            self.scene.addItem(wire)
            self.wires.append(wire)

    def _output_point(self, graph, source, owner, cache):
        if owner is None:
            item = self.scene.node_item(source)
            return None if item is None else item.output_port.scenePos()
        return self._card_point(graph, owner, source, cache, border_outputs, "output_point")

    def _input_point(self, graph, source, target, port, owner, cache):
        if owner is None:
            item = self.scene.node_item(target)
            if item is None:
                return None
            found = item.input_port(port) or item.input_port(0)
            return found.scenePos() if found is not None else item.scenePos()
        return self._card_point(graph, owner, source, cache, border_inputs, "input_point")

    def _card_point(self, graph, owner, node, cache, ports_of, point):
        """Where a wire meets the card of `owner`: at the port standing for `node` (a tensor entering, or a member
        whose tensor leaves; ports_of lists them, once per card and side in `cache`)."""
        card = self.cards.get(owner)
        if card is None:
            return None
        if owner not in cache:
            cache[owner] = ports_of(graph, owner, self._holding.get(owner))
        ports = cache[owner]
        return getattr(card, point)(ports.index(node) if node in ports else 0)
