"""Canvas items mirror the document and the inference results: texts, ports, status marks, tooltips."""

import pytest

import builder
from builder.editing.commands import AddNode, Connect, Disconnect, Move, Rename, SetParam
from gui.canvas import geometry
from gui.theme import canvas_palette
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import edge_item, make_canvas, node_item, tooltip


@pytest.fixture
def cnn(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


@pytest.fixture
def mismatch(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "shape_mismatch.json"))


def test_every_node_and_wire_has_an_item_at_its_saved_position(cnn):
    controller, view = cnn
    doc = controller.doc
    assert {item.node_id for item in view.canvas_scene.node_items()} == set(doc.node_ids())
    assert {edge.key for edge in view.canvas_scene.edge_items()} == set(doc.edges())
    for node_id, (x, y) in doc.positions.items():
        assert (node_item(view, node_id).pos().x(), node_item(view, node_id).pos().y()) == (x, y)


def test_node_shows_id_layer_summary_shape_and_params(cnn):
    _controller, view = cnn
    face = node_item(view, "conv_3x3").face()
    assert (face.title, face.layer, face.summary) == ("conv_3x3", "Conv2D", "32 · 3×3 · same · relu")
    assert (face.shape, face.params, face.status) == ("(None, 28, 28, 32)", "320 params", "ok")
    assert node_item(view, "image").face().summary == "28×28×1"
    assert node_item(view, "merged").face().shape == "(None, 28, 28, 96)"
    assert node_item(view, "dense").face().params == "9,633,920 params"


def test_items_follow_param_changes_and_undo(cnn):
    controller, view = cnn
    controller.push(SetParam("conv_3x3", "filters", 64))
    face = node_item(view, "conv_3x3").face()
    assert face.summary.startswith("64 · ") and face.shape == "(None, 28, 28, 64)" and face.params == "640 params"
    assert node_item(view, "merged").face().shape == "(None, 28, 28, 128)"
    controller.undo_stack.undo()
    assert node_item(view, "conv_3x3").face().params == "320 params"


def test_inputs_on_the_left_output_on_the_right(cnn):
    _controller, view = cnn
    item = node_item(view, "dense")
    assert len(item.input_ports) == 1
    assert item.input_ports[0].pos().x() == 0 and item.output_port.pos().x() == geometry.NODE_WIDTH
    assert node_item(view, "image").input_ports == []


def test_merge_ports_grow_when_used_and_close_the_gap(cnn):
    controller, view = cnn
    merged = node_item(view, "merged")
    assert len(merged.input_ports) == 4  # three wires and one free port
    assert [p.is_taken() for p in merged.input_ports] == [True, True, True, False]
    height = merged.height
    controller.push(AddNode("conv_1x1", "Conv2D", {"filters": 8, "kernel_size": 1, "padding": "same"}, (280, 300)))
    controller.push(Connect("image", "conv_1x1"))
    controller.push(Connect("conv_1x1", "merged", 3))
    assert len(merged.input_ports) == 5 and merged.height > height
    assert edge_item(view, "conv_1x1", "merged", 3) is not None
    controller.push(Disconnect("conv_5x5", "merged", 1))
    assert len(merged.input_ports) == 4
    # the document renumbered the ports; the wires follow and end on the ports they now use
    assert {e.key for e in view.canvas_scene.edge_items() if e.target == "merged"} == \
        {("conv_3x3", "merged", 0), ("conv_7x7", "merged", 1), ("conv_1x1", "merged", 2)}
    wire = edge_item(view, "conv_7x7", "merged", 1)
    assert wire.path().pointAtPercent(1.0) == merged.input_ports[1].scenePos()
    controller.undo_stack.undo()
    assert len(merged.input_ports) == 5 and edge_item(view, "conv_5x5", "merged", 1) is not None


def test_error_outline_mark_and_tooltip_land_on_the_erring_node(mismatch):
    controller, view = mismatch
    merged = node_item(view, "merged")
    error = controller.results["merged"].error
    assert error.startswith("merged: Concatenate needs equal sizes")
    assert merged.mark() == "error"
    assert merged.outline_pen().color() == canvas_palette().error
    assert tooltip(merged) == error
    for node_id in ("image", "conv_3x3", "conv_5x5", "conv_7x7"):
        assert node_item(view, node_id).mark() is None
        assert node_item(view, node_id).outline_pen().color() != canvas_palette().error


def test_nodes_behind_an_error_wait_on_it(mismatch):
    _controller, view = mismatch
    for node_id in ("flatten", "dense", "classes"):
        face = node_item(view, node_id).face()
        assert face.status == "blocked" and face.shape == "waits on merged" and face.params == ""
        assert "waits on merged" in tooltip(node_item(view, node_id))
        assert node_item(view, node_id).mark() is None


def test_fixing_the_error_clears_outline_and_mark(mismatch):
    controller, view = mismatch
    for node_id in ("conv_3x3", "conv_5x5", "conv_7x7"):
        controller.push(SetParam(node_id, "padding", "same"))
    merged = node_item(view, "merged")
    assert merged.mark() is None and merged.outline_pen().color() != canvas_palette().error
    assert node_item(view, "classes").face().shape == "(None, 10)"


def test_warnings_get_an_amber_mark_with_the_warnings_as_tooltip(qtbot):
    controller, view = make_canvas(qtbot)
    controller.push(AddNode("spare", "Input", {"shape": [8]}, (0, 0)))
    item = node_item(view, "spare")
    assert item.mark() == "warning"
    assert tooltip(item) == "\n\n".join(controller.results["spare"].warnings)
    assert "not used by any layer" in tooltip(item)
    assert item.outline_pen().color() != canvas_palette().error


def test_wire_tooltip_shows_the_shape_it_carries(cnn, mismatch):
    _controller, view = cnn
    assert "carries (None, 28, 28, 32)" in tooltip(edge_item(view, "conv_3x3", "merged", 0))
    assert "carries (None, 28, 28, 96)" in tooltip(edge_item(view, "merged", "flatten", 0))
    _controller, broken = mismatch
    tip = tooltip(edge_item(broken, "merged", "flatten", 0))
    assert "no shape" in tip and "merged has an error" in tip


def test_nodes_without_position_are_placed_without_commands(qtbot):
    graph = builder.load(EXAMPLES / "cnn_28x28_three_kernels.json")
    graph.graph["ui"]["positions"] = {}
    controller, view = make_canvas(qtbot, graph)
    assert controller.undo_stack.count() == 0 and controller.doc.positions == {}
    xs = {n: node_item(view, n).pos().x() for n in controller.doc.node_ids()}
    assert xs["image"] < xs["conv_3x3"] < xs["merged"] < xs["flatten"] < xs["classes"]
    rects = [node_item(view, n).sceneBoundingRect() for n in controller.doc.node_ids()]
    assert not any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_a_node_added_without_position_does_not_cover_others(cnn):
    controller, view = cnn
    controller.push(AddNode("extra", "Dense", {"units": 4}))
    controller.push(Connect("dense", "extra"))
    extra = node_item(view, "extra").sceneBoundingRect()
    others = [node_item(view, n).sceneBoundingRect() for n in controller.doc.node_ids() if n != "extra"]
    assert not any(extra.intersects(o) for o in others)
    assert "extra" not in controller.doc.positions


def test_rename_rekeys_the_item_and_its_wires(cnn):
    controller, view = cnn
    item = node_item(view, "merged")
    controller.push(Rename("merged", "joined"))
    assert node_item(view, "joined") is item and node_item(view, "merged") is None
    assert item.face().title == "joined"
    assert edge_item(view, "conv_5x5", "joined", 1) is not None and edge_item(view, "joined", "flatten", 0)
    assert not any("merged" in e.key for e in view.canvas_scene.edge_items())
    controller.undo_stack.undo()
    assert node_item(view, "merged") is item


def test_document_reset_rebuilds_the_scene(cnn):
    controller, view = cnn
    controller.replace_document(builder.load(EXAMPLES / "dense_branches.json"))
    assert {i.node_id for i in view.canvas_scene.node_items()} == set(controller.doc.node_ids())
    assert {e.key for e in view.canvas_scene.edge_items()} == set(controller.doc.edges())


def test_move_command_moves_the_item_and_reroutes_wires(cnn):
    controller, view = cnn
    controller.push(Move({"flatten": (900, 200)}))
    assert node_item(view, "flatten").pos().toTuple() == (900, 200)
    wire = edge_item(view, "merged", "flatten", 0)
    assert wire.path().pointAtPercent(1.0) == node_item(view, "flatten").input_ports[0].scenePos()


def test_painting_at_all_zoom_levels(cnn, mismatch):
    from PySide6.QtGui import QImage, QPainter

    for _controller, view in (cnn, mismatch):
        for zoom in (0.1, 0.3, 1.0, 3.0):
            view.resetTransform()
            view.scale(zoom, zoom)
            image = QImage(400, 300, QImage.Format.Format_ARGB32)
            painter = QPainter(image)
            view.render(painter)
            painter.end()


def test_nodes_and_wires_brighten_under_the_pointer_and_a_wire_then_says_its_shape(cnn):
    from PySide6.QtTest import QTest

    from builder.catalog.rules import fmt

    controller, view = cnn
    view.resetTransform()
    node = node_item(view, "dense")
    view.look_at(node.sceneBoundingRect().center())
    resting = node.outline_pen().color()
    QTest.mouseMove(view.viewport(), view.mapFromScene(node.sceneBoundingRect().center()))
    assert node.outline_pen().color() == canvas_palette().text_dim != resting
    wire = edge_item(view, "flatten", "dense")
    wire.setToolTip("")
    point = wire.path().pointAtPercent(0.5)
    view.look_at(point)
    QTest.mouseMove(view.viewport(), view.mapFromScene(point))
    assert node.outline_pen().color() == resting
    assert wire.pen().color() == canvas_palette().wire_hover
    assert fmt(controller.results["flatten"].shape) in wire.toolTip()


def test_a_wire_back_to_the_next_band_runs_between_the_bands_not_across_one(qtbot):
    """Issue 13: in a wrapped layout the wire from the end of one band to the start of the next ran diagonally
    across the band; it now follows the free lane between the bands (builder/layout/wire_routes.py)."""
    controller, view = make_canvas(qtbot)
    controller.push(AddNode("x", "Input", {"shape": [8]}, (0.0, 0.0)))
    for i in range(4):  # the first band: x -> d0 -> d1 -> d2 -> d3, left to right
        controller.push(AddNode(f"d{i}", "Dense", {"units": 8}, (260.0 * (i + 1), 0.0)))
        controller.push(Connect("x" if i == 0 else f"d{i - 1}", f"d{i}"))
    controller.push(AddNode("next", "Dense", {"units": 4}, (0.0, 400.0)))  # the second band starts on the left
    controller.push(Connect("d3", "next"))
    path = edge_item(view, "d3", "next").path()
    band = [view.canvas_scene.node_item(n).sceneBoundingRect() for n in ("x", "d0", "d1", "d2")]
    samples = [path.pointAtPercent(t / 200) for t in range(201)]
    assert not any(rect.contains(point) for rect in band for point in samples)  # never across the first band
    lowest_of_band = max(rect.bottom() for rect in band)
    assert any(lowest_of_band < p.y() < 400.0 for p in samples)  # it runs in the gap between the bands
    controller.push(Move({"next": (2000.0, 0.0)}))  # a wire that runs forwards is the usual curve again
    forward = edge_item(view, "d3", "next").path()
    assert forward.elementCount() == 4  # a move-to and one cubic curve (its end and two control points)
