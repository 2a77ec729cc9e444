"""Drive the canvas the way a person does, through scene mouse events and the view's own entry points
(DESIGN.md: scene events and commands, not QTest drags). Works offscreen; reusable by any GUI test.

    controller, view = make_canvas(qtbot)                  # CanvasView on a fresh EditorController
    controller, view = make_canvas(qtbot, graph)           # ... showing a loaded graph (builder.load(path))
    node_id = add_node(view, "Conv2D", (0, 0))             # as the search popup does: view.add_node_at
    node_id = drop_layer(view, "Dense", (200, 150))        # a palette drag dropped at a viewport point
    drag_wire(view, "image", "conv_1")                     # output port -> input port; True if a wire was added
    drag_wire(view, "a", "merged", port=2)                 # a given input port (merge layers: the free one)
    drag_wire(view, "a", "b", from_input=True)             # start on b's input port, drop on a's output
    drag = start_wire(view, "image"); move_to(view, port_pos(view, "conv", "in", 0))
    drag.label.text / drag.label.is_error                  # the preview shown before the drop
    release_at(view, port_pos(view, "conv", "in", 0))      # drop
    drag_node(view, "conv_1", (40, 0))                     # press, move, release: one "Move" undo step
    click_node(view, "conv_1", ctrl=True)                  # select (Ctrl adds to the selection)
    node_item(view, id) / edge_item(view, source, target, port) / port_pos(view, id, "in"|"out", index)
    tooltip(item)                                          # an item's tooltip as plain text (it is rich text)
    snapshot(controller)                                   # the document as project JSON (compare undo/redo)
    check_undo_redo(controller, before)                    # undo gives `before`, redo gives what was there

Positions are scene coordinates (QPointF or (x, y)); a node's position is its top-left corner.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QTextDocumentFragment
from PySide6.QtWidgets import QApplication, QGraphicsSceneMouseEvent

from builder.files import project
from gui.canvas import LAYER_MIME_TYPE, CanvasView
from gui.controller import EditorController

LEFT = Qt.MouseButton.LeftButton
NO_BUTTON = Qt.MouseButton.NoButton


def make_canvas(qtbot, graph=None, size=(1200, 800)):
    """A controller and a shown CanvasView (registered with qtbot, so it is closed after the test)."""
    controller = EditorController()
    if graph is not None:
        controller.replace_document(graph)
    view = CanvasView(controller)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    # A large graph is drawn in slices; the limit only catches a hang (751 nodes took 117 s at load 12).
    qtbot.waitUntil(lambda: not view.canvas_scene.building, timeout=300_000)
    return controller, view


def _point(pos) -> QPointF:
    return QPointF(*pos) if isinstance(pos, (tuple, list)) else QPointF(pos)


# ---- items ----------------------------------------------------------------------------------------------------

def node_item(view: CanvasView, node_id: str):
    return view.canvas_scene.node_item(node_id)


def edge_item(view: CanvasView, source: str, target: str, port: int = 0):
    return view.canvas_scene.edge_item(source, target, port)


def tooltip(item) -> str:
    """The tooltip as a person reads it: items use rich text so that Qt wraps long messages."""
    document = QTextDocumentFragment.fromHtml(item.toolTip()).toPlainText()
    return document.replace("\u2029", "\n").strip("\n")


def port_item(view: CanvasView, node_id: str, kind: str = "in", index: int = 0):
    item = node_item(view, node_id)
    if item is None:
        raise KeyError(f"no node item {node_id!r} on the canvas")
    if kind == "out":
        return item.output_port
    port = item.input_port(index)
    if port is None:
        raise IndexError(f"{node_id} shows {len(item.input_ports)} input port(s); there is no port {index}")
    return port


def port_pos(view: CanvasView, node_id: str, kind: str = "in", index: int = 0) -> QPointF:
    return port_item(view, node_id, kind, index).scenePos()


def node_centre(view: CanvasView, node_id: str) -> QPointF:
    """A point on the node's body (below the header, clear of ports)."""
    item = node_item(view, node_id)
    return item.mapToScene(item.card_rect().center() + QPointF(0, 10))


def default_input_port(view: CanvasView, node_id: str) -> int:
    """The port a person would aim at: a merge layer's free port, else the first free input, else 0."""
    ports = node_item(view, node_id).input_ports
    free = [p.index for p in ports if not p.is_taken()]
    if view.canvas_scene.is_merge(node_id):
        return free[-1]
    return free[0] if free else 0


# ---- scene mouse events -------------------------------------------------------------------------------------------

_last_scene_pos = QPointF()


def send_mouse(view: CanvasView, kind: QEvent.Type, pos, button=LEFT, buttons=None, modifiers=None):
    """Deliver one QGraphicsSceneMouseEvent to the canvas scene, as the view would."""
    global _last_scene_pos
    pos = _point(pos)
    event = QGraphicsSceneMouseEvent(kind)
    event.setScenePos(pos)
    event.setLastScenePos(_last_scene_pos if kind == QEvent.Type.GraphicsSceneMouseMove else pos)
    event.setScreenPos(view.viewport().mapToGlobal(view.mapFromScene(pos)))
    event.setButton(button)
    if buttons is None:
        buttons = NO_BUTTON if kind == QEvent.Type.GraphicsSceneMouseRelease else LEFT
    event.setButtons(buttons)
    event.setModifiers(modifiers or Qt.KeyboardModifier.NoModifier)
    event.setAccepted(False)
    QApplication.sendEvent(view.canvas_scene, event)
    _last_scene_pos = pos
    return event


def press_at(view, pos, modifiers=None):
    return send_mouse(view, QEvent.Type.GraphicsSceneMousePress, pos, modifiers=modifiers)


def move_to(view, pos, modifiers=None):
    return send_mouse(view, QEvent.Type.GraphicsSceneMouseMove, pos, button=NO_BUTTON, buttons=LEFT,
                      modifiers=modifiers)


def release_at(view, pos, modifiers=None):
    return send_mouse(view, QEvent.Type.GraphicsSceneMouseRelease, pos, modifiers=modifiers)


def click_node(view: CanvasView, node_id: str, ctrl: bool = False):
    modifiers = Qt.KeyboardModifier.ControlModifier if ctrl else None
    at = node_centre(view, node_id)
    press_at(view, at, modifiers)
    release_at(view, at, modifiers)


def drag_node(view: CanvasView, node_id: str, delta, steps: int = 3):
    """Press on the node, move by delta in a few steps, release (moves every selected node, like a person)."""
    start = node_centre(view, node_id)
    delta = _point(delta)
    press_at(view, start)
    for i in range(1, steps + 1):
        move_to(view, start + delta * (i / steps))
    release_at(view, start + delta)


# ---- wires ----------------------------------------------------------------------------------------------------

def start_wire(view: CanvasView, node_id: str, kind: str = "out", index: int = 0):
    """Press on a port; returns the scene's WireDrag (its `label`, `valid_ports`, `hovered`)."""
    press_at(view, port_pos(view, node_id, kind, index))
    return view.canvas_scene.wire_drag


def drag_wire(view: CanvasView, source_id: str, target_id: str, port: int | None = None,
              from_input: bool = False) -> bool:
    """Drag a wire from source's output to target's input `port` (default: the one a person would pick), or
    the other way round with from_input. Returns True when the document gained a wire."""
    doc = view.controller.doc
    before = len(doc.edges())
    index = default_input_port(view, target_id) if port is None else port
    if from_input:
        start, end = port_pos(view, target_id, "in", index), port_pos(view, source_id, "out")
    else:
        start, end = port_pos(view, source_id, "out"), port_pos(view, target_id, "in", index)
    press_at(view, start)
    move_to(view, (start + end) / 2)
    move_to(view, end)
    release_at(view, end)
    return len(doc.edges()) > before


# ---- adding -----------------------------------------------------------------------------------------------------

def add_node(view: CanvasView, layer: str, pos=(0, 0)) -> str | None:
    return view.add_node_at(layer, _point(pos))


def drop_layer(view: CanvasView, layer: str, view_pos=(300, 200)) -> str | None:
    """A palette drag dropped on the canvas: drag-enter, drag-move and drop events carrying the layer name,
    delivered to the view's viewport as a real drag would (Qt delivers a drop only after an accepted enter)."""
    doc = view.controller.doc
    before = set(doc.node_ids())
    mime = QMimeData()
    mime.setData(LAYER_MIME_TYPE, QByteArray(layer.encode("utf-8")))
    # Drag events take an integer QPoint on PySide6 6.11 (QPointF from 6.12 on); a QPoint works on both.
    at = (QPointF(*view_pos) if isinstance(view_pos, (tuple, list)) else QPointF(view_pos)).toPoint()
    copy, none = Qt.DropAction.CopyAction, Qt.KeyboardModifier.NoModifier
    for event in (QDragEnterEvent(at, copy, mime, LEFT, none), QDragMoveEvent(at, copy, mime, LEFT, none),
                  QDropEvent(at, copy, mime, LEFT, none)):
        QApplication.sendEvent(view.viewport(), event)
    added = [n for n in doc.node_ids() if n not in before]
    return added[0] if added else None


# ---- documents --------------------------------------------------------------------------------------------------

def snapshot(controller) -> str:
    return project.dumps(controller.doc.graph)


def check_undo_redo(controller, before: str):
    """The last step undoes to exactly `before` and redoes to exactly what is there now."""
    after = snapshot(controller)
    assert after != before, "the action changed nothing"
    controller.undo_stack.undo()
    assert snapshot(controller) == before
    controller.undo_stack.redo()
    assert snapshot(controller) == after
