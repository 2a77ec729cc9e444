"""A large graph: the canvas builds, fits, paints and edits it without trouble."""

from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter

from builder.editing.commands import AddNode
from builder.model.document import GraphDocument
from gui.canvas import geometry
from tests.gui.canvas_driver import check_undo_redo, drag_wire, make_canvas, node_item, release_at, snapshot, start_wire


def _long_graph(blocks: int):
    """An input, then `blocks` residual blocks of Dense layers joined by Add: 3 nodes per block."""
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [32]})
    previous = "x"
    for i in range(blocks):
        doc.add_node(f"dense_{i}", "Dense", {"units": 32, "activation": "relu"})
        doc.add_node(f"skip_{i}", "Dense", {"units": 32})
        doc.add_node(f"add_{i}", "Add", {})
        doc.connect(previous, f"dense_{i}")
        doc.connect(previous, f"skip_{i}")
        doc.connect(f"dense_{i}", f"add_{i}")
        doc.connect(f"skip_{i}", f"add_{i}")
        previous = f"add_{i}"
    return doc.graph


def test_hundreds_of_nodes_build_paint_and_edit(qtbot):
    controller, view = make_canvas(qtbot, _long_graph(250))
    assert len(view.canvas_scene.node_items()) == 751 and len(view.canvas_scene.edge_items()) == 1000
    assert controller.doc.positions == {}  # placed by the canvas, not by commands
    view.fit_all()  # too large to fit readably (issue 13): the beginning, at the smallest readable zoom
    assert view.zoom() == geometry.FIT_MIN_ZOOM
    assert view.mapToScene(view.viewport().rect()).boundingRect().contains(node_item(view, "x").sceneBoundingRect())
    view.fit_all(whole=True)
    assert view.zoom() == geometry.MIN_ZOOM or view.zoom() < geometry.LOW_DETAIL_BELOW
    image = QImage(800, 600, QImage.Format.Format_ARGB32)
    for _ in range(3):  # several full repaints: thousands of Qt calls each
        painter = QPainter(image)
        view.render(painter)
        painter.end()
    before = snapshot(controller)
    steps = controller.undo_stack.count()
    view.auto_layout()  # a large graph's layout is computed in a thread, its nodes moved in slices
    qtbot.waitUntil(lambda: controller.undo_stack.count() > steps and not view.canvas_scene.building,
                    timeout=300_000)  # only catches a hang: a busy machine took 117 s for this test
    check_undo_redo(controller, before)
    qtbot.waitUntil(lambda: not view.canvas_scene.building, timeout=300_000)  # the redo's moves, in slices
    view.resetTransform()
    view.center_on_node("add_200")
    drag = start_wire(view, "add_200")
    checked = {p.node_id for p in drag.valid_ports}
    assert "add_201" in checked  # downstream, in view, free merge port
    assert "add_199" not in checked and "dense_200" not in checked  # upstream: a cycle
    assert "add_10" not in checked  # far out of view: not checked at all
    release_at(view, QPointF(-99999, -99999))
    controller.push(AddNode("tail", "Dense", {"units": 4}, (0, 0)))  # views follow edits, not bare mutations
    assert drag_wire(view, "add_249", "tail")
    assert node_item(view, "tail").face().shape == "(None, 4)"
