"""A layer dropped from the palette onto a wire is inserted between its ends with room made (one undo step);
dropped on a node it lands beside it, never on top (issue 13)."""

import builder
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import check_undo_redo, drop_layer, edge_item, make_canvas, node_centre, snapshot


def overlaps(view, node_id):
    mine = view.canvas_scene.node_item(node_id).sceneBoundingRect()
    return [item.node_id for item in view.canvas_scene.node_items()
            if item.node_id != node_id and mine.intersects(item.sceneBoundingRect())]


def test_a_palette_drop_on_a_wire_inserts_and_makes_room(qtbot):
    controller, view = make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    view.resetTransform()
    view.centerOn(1000, 0)
    before = snapshot(controller)
    middle = edge_item(view, "flatten", "dense").path().pointAtPercent(0.5)
    node = drop_layer(view, "Dropout", view.mapFromScene(middle))
    assert node and controller.doc.inputs_of(node) == [("flatten", 0)]
    assert controller.doc.inputs_of("dense") == [(node, 0)]
    assert overlaps(view, node) == [] and controller.selected == [node]
    assert controller.undo_stack.count() == 1  # the insert and the room it made: one step
    check_undo_redo(controller, before)


def test_a_refused_drop_on_a_wire_lands_beside_it_with_the_reason(qtbot):
    controller, view = make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    messages = []
    view.status_message.connect(messages.append)
    view.resetTransform()
    view.centerOn(1000, 0)
    middle = edge_item(view, "flatten", "dense").path().pointAtPercent(0.5)
    node = drop_layer(view, "Conv2D", view.mapFromScene(middle))  # a Conv2D cannot take (None, 75264)
    assert node and controller.doc.inputs_of(node) == [] and controller.doc.inputs_of("dense") == [("flatten", 0)]
    assert messages and "cannot insert" in messages[-1]


def test_a_palette_drop_on_a_node_does_not_cover_it(qtbot):
    _controller, view = make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    view.resetTransform()
    view.centerOn(300, 0)
    node = drop_layer(view, "Dense", view.mapFromScene(node_centre(view, "conv_5x5")))
    assert node and overlaps(view, node) == []
