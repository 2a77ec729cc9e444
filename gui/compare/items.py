"""The cards and wires of a compare view, and the halos and ghosts of the overlay on the canvas.

A card holds its side and node id and asks its session at paint time what the node is and how it changed, and the
theme for its colours (gui/theme: diff_added, diff_removed, diff_changed, diff_renamed), so a theme switch or a
new comparison repaints it right. The card is the canvas's size and shows the same lines (id, layer, summary,
shape, count), so a person reads both sides as they read the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from builder.catalog.card_summary import summary_text
from builder.catalog.rules import fmt
from builder.catalog.specs import UnknownLayerError, spec_for
from gui.canvas import geometry
from gui.canvas.text import font, tooltip_html
from gui.theme import canvas_palette, readable_text_on

CARD_HEIGHT = geometry.HEADER_HEIGHT + geometry.BODY_LINES * geometry.BODY_LINE_HEIGHT + 2 * geometry.BODY_PADDING
BADGES = {"added": "+", "removed": "−", "changed": "~", "renamed": "R"}
OUTLINE = 3.0


def diff_colour(kind: str) -> QColor | None:
    palette = canvas_palette()
    return {"added": palette.diff_added, "removed": palette.diff_removed, "changed": palette.diff_changed,
            "renamed": palette.diff_renamed}.get(kind)


class DiffNodeItem(QGraphicsItem):
    """One node of one side. `ghost`: a removed node drawn over the canvas by the overlay (dashed, see-through)."""

    def __init__(self, session_of, side: str, node_id: str, ghost: bool = False):
        super().__init__()
        self.session_of, self.side, self.node_id, self.ghost = session_of, side, node_id, ghost
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        if ghost:
            self.setOpacity(0.8)

    @property
    def kind(self) -> str:
        return self.session_of().kind(self.side, self.node_id)

    def refresh(self):
        self.setToolTip(tooltip_html("\n".join(self.session_of().details(self.side, self.node_id))))
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(-OUTLINE, -OUTLINE, geometry.NODE_WIDTH + 2 * OUTLINE, CARD_HEIGHT + 2 * OUTLINE)

    def port_point(self, output: bool) -> QPointF:
        return self.pos() + QPointF(geometry.NODE_WIDTH if output else 0.0, geometry.HEADER_HEIGHT / 2)

    def paint(self, painter, _option, _widget=None):
        session, palette = self.session_of(), canvas_palette()
        graph = session.other if self.side == "a" else session.this
        results = session.results_a if self.side == "a" else session.results_b
        data, result = graph.nodes[self.node_id], results[self.node_id]
        kind, layer = self.kind, graph.nodes[self.node_id].get("layer")
        try:
            category = spec_for(layer).category
        except UnknownLayerError:
            category = None
        w, h, header = geometry.NODE_WIDTH, CARD_HEIGHT, geometry.HEADER_HEIGHT
        card = QRectF(0, 0, w, h)
        painter.setRenderHint(painter.RenderHint.Antialiasing)
        colour = diff_colour(kind)
        pen = QPen(colour, OUTLINE) if colour is not None else QPen(palette.node_border, 1.0)
        if self.ghost:
            pen.setStyle(Qt.PenStyle.DashLine)
        if self.isSelected():
            pen = QPen(palette.node_selected, OUTLINE)
        painter.setPen(pen)
        painter.setBrush(QBrush(palette.node_body))
        painter.drawRoundedRect(card, geometry.NODE_RADIUS, geometry.NODE_RADIUS)
        head = QPainterPath()
        head.addRoundedRect(QRectF(1.5, 1.5, w - 3, header - 1.5), geometry.NODE_RADIUS, geometry.NODE_RADIUS)
        painter.fillPath(head, palette.category_colour(category))
        margin = geometry.TEXT_MARGIN
        painter.setPen(palette.text_on_header)
        painter.setFont(font("title"))
        title_width = w - 2 * margin - (26 if colour is not None else 0)
        title = painter.fontMetrics().elidedText(self.node_id, Qt.TextElideMode.ElideRight, int(title_width))
        painter.drawText(QRectF(margin, 3, title_width, 20), Qt.AlignmentFlag.AlignVCenter, title)
        painter.setPen(palette.text_on_header_dim)
        painter.setFont(font("layer"))
        painter.drawText(QRectF(margin, 21, w - 2 * margin, 16), Qt.AlignmentFlag.AlignVCenter, str(layer))
        if colour is not None:
            badge = QRectF(w - margin - 20, 10, 20, 20)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawEllipse(badge)
            painter.setPen(readable_text_on(colour))
            painter.setFont(font("mark"))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, BADGES[kind])
        lines = [(summary_text(layer, data.get("params") or {}), palette.text_dim),
                 (fmt(result.shape) if result.shape is not None else (result.error and "error") or
                  f"waits on {result.blocked_by}", palette.shape_text),
                 (self._note(session, kind, result), colour or palette.text_dim)]
        painter.setFont(font("body"))
        y = header + geometry.BODY_PADDING
        for text, pen_colour in lines:
            painter.setPen(pen_colour)
            shown = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(w - 2 * margin))
            painter.drawText(QRectF(margin, y, w - 2 * margin, geometry.BODY_LINE_HEIGHT),
                             Qt.AlignmentFlag.AlignVCenter, shown)
            y += geometry.BODY_LINE_HEIGHT

    def _note(self, session, kind: str, result) -> str:
        """The third line: what changed, in a few words, or the count when nothing did."""
        b_node = self.node_id if self.side == "b" else session.counterpart("a", self.node_id)
        diff = session.diff
        if kind == "removed":
            return "removed"
        if kind == "added":
            return "added"
        old = diff.to_a.get(b_node)
        notes = [f"was {old}"] if old != b_node else []
        notes += [name for name in diff.changed.get(b_node, {})]
        if b_node in diff.rewired:
            notes.append("rewired")
        if b_node in diff.shape_changes or b_node in diff.param_changes:
            notes.append("shape/params")
        return ", ".join(notes) if notes else f"{result.params or 0:,} params"


class DiffWireItem(QGraphicsPathItem):
    """A wire between two cards of the same side; green or red when it leads to an added or removed node."""

    def __init__(self, source: DiffNodeItem, target: DiffNodeItem, port: int):
        super().__init__()
        self.source, self.target, self.port = source, target, port
        self.setZValue(-1)
        self.refresh()

    def refresh(self):
        start = self.source.port_point(output=True)
        end = self.target.port_point(output=False) + QPointF(0, self.port * geometry.PORT_SPACING)
        path = QPainterPath(start)
        bend = max(40.0, abs(end.x() - start.x()) / 2)
        path.cubicTo(start + QPointF(bend, 0), end - QPointF(bend, 0), end)
        self.setPath(path)
        ends = {self.source.kind, self.target.kind}
        colour = diff_colour("removed" if "removed" in ends else "added" if "added" in ends else "")
        self.setPen(QPen(colour or canvas_palette().wire, 2.0 if colour else 1.5))
