"""A layer dropped from the palette: on a wire it goes between the wire's ends with room made (one undo step,
builder/editing/insert_with_room.py), as a dragged node does; elsewhere it lands where dropped, or just below
when a node is already there, so a drop never hides a node."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF

from builder.catalog.specs import UnknownLayerError
from builder.editing.insert_with_room import add_on_wire, insertion_problem_after
from builder.model.document import GraphError
from gui.canvas import geometry
from gui.canvas.context_menus import card_sizes
from gui.canvas.edge_item import EdgeItem
from gui.canvas.node_item import PORT_Y, node_height

CLEARANCE = 10.0  # empty space kept around a dropped node


def drop_on_wire(view, layer: str, at: QPointF) -> str | None:
    """Insert `layer` on the wire under `at` (scene point); the new id, or None when there is no wire there or
    the shapes refuse it (the reason goes to the status bar and the caller adds the layer beside the wire)."""
    edge = next((item for item in view.items(view.mapFromScene(at)) if isinstance(item, EdgeItem)), None)
    if edge is None:
        return None
    corner = QPointF(at.x() - geometry.NODE_WIDTH / 2, at.y() - PORT_Y)
    doc = view.controller.doc
    try:
        node, command = add_on_wire(doc, layer, (corner.x(), corner.y()), edge.key, sizes=card_sizes(view))
        problem = insertion_problem_after(doc, command, node, edge.key)
    except (UnknownLayerError, GraphError) as exc:
        problem = str(exc)
    if problem:
        view.status_message.emit(problem)
        return None
    if not view.controller.push(command):
        return None
    view.controller.select([node])
    return node


def free_spot(view, at: QPointF) -> QPointF:
    """`at`, or the first spot below it where a new node covers no other."""
    height = node_height(1)
    spot = QRectF(at.x(), at.y(), geometry.NODE_WIDTH, height).adjusted(-CLEARANCE, -CLEARANCE, CLEARANCE, CLEARANCE)
    taken = [item.sceneBoundingRect() for item in view.canvas_scene.node_items()]
    for _ in range(40):
        if not any(spot.intersects(rect) for rect in taken):
            break
        spot.translate(0, height / 2)
    return spot.topLeft() + QPointF(CLEARANCE, CLEARANCE)
