"""Blocks on the canvas (issue 20): a collapsed block is one card with its ports, total params, output shapes
and an error badge; double-click opens it in place (one undo step, making room) and closes it; its menu's
edits and Edit > Create Block are one undo step each, undone exactly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF

import builder
from builder.editing.block_edits import create_block, set_collapsed
from builder.editing.commands import Delete, SetParam
from builder.inference.block_summary import summarize
from builder.model.blocks import blocks_of, members, uses
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import (
    add_node,
    check_undo_redo,
    make_canvas,
    move_to,
    node_item,
    port_item,
    press_at,
    release_at,
    send_mouse,
    snapshot,
)
from tests.gui.test_context_menus import entry, right_click, texts

BRANCHES = ["conv_3x3", "conv_5x5", "conv_7x7", "merged"]


@pytest.fixture
def cnn(qtbot):
    return make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


def double_click(view, at):
    """As a person double-clicks: press, release, double-click, release."""
    press_at(view, at)
    release_at(view, at)
    send_mouse(view, QEvent.Type.GraphicsSceneMouseDoubleClick, at)
    release_at(view, at)


def _collapsed_block(cnn, name="inception"):
    controller, view = cnn
    controller.push(create_block(controller.doc, BRANCHES, name)[1])
    controller.push(set_collapsed(controller.doc, [name], True))
    return view.canvas_scene.blocks.card(name)


def test_a_collapsed_block_is_one_card_with_ports_params_shapes_and_error(cnn):
    controller, view = cnn
    controller.push(SetParam("conv_7x7", "padding", "valid"))  # the seed's mistake: merged gets 22x22
    card = _collapsed_block(cnn)
    assert card is not None and card.isVisible()
    for node in BRANCHES:
        assert not node_item(view, node).isVisible()
    summary = card.summary
    assert [s for s, _shape in summary.inputs] == ["image"] and [n for n, _shape in summary.outputs] == ["merged"]
    assert summary.params == sum(controller.results[n].params or 0 for n in BRANCHES)
    assert summary.status == "error" and "merged" in summary.error  # the example's padding='valid' mistake
    assert "Error:" in card.toolTip()
    wires = view.canvas_scene.blocks.wires
    assert len(wires) == 2  # image -> card, card -> flatten
    assert wires[0].path().pointAtPercent(1) == card.input_point(0)
    controller.push(SetParam("conv_7x7", "padding", "same"))  # fixed inside: the badge goes
    assert card.summary.status == "ok" and card.summary.outputs[0][1] == controller.results["merged"].shape


def test_double_click_opens_in_place_with_room_and_closes_each_one_step(cnn):
    controller, view = cnn
    card = _collapsed_block(cnn)
    before = snapshot(controller)
    flatten_at = node_item(view, "flatten").pos()
    centre = card.sceneBoundingRect().center()
    double_click(view, centre)
    assert not blocks_of(controller.doc.graph)["inception"]["collapsed"]
    assert view.canvas_scene.blocks.card("inception") is None
    frame = view.canvas_scene.blocks.frame("inception")
    assert frame is not None
    for node in BRANCHES:
        item = node_item(view, node)
        assert item.isVisible() and frame.sceneBoundingRect().contains(item.sceneBoundingRect())
    assert node_item(view, "flatten").pos().y() == flatten_at.y()  # level with the block: moved right, if at all
    assert not frame.sceneBoundingRect().intersects(node_item(view, "flatten").sceneBoundingRect())
    check_undo_redo(controller, before)
    frame = view.canvas_scene.blocks.frame("inception")
    title = frame.mapToScene(QPointF(frame.title_rect().center()))
    double_click(view, title)
    assert blocks_of(controller.doc.graph)["inception"]["collapsed"]


def test_block_menu_edits_are_one_undo_step_each(cnn):
    controller, view = cnn
    card = _collapsed_block(cnn)
    menu = right_click(view, card.sceneBoundingRect().center())
    assert texts(menu) == ["inception (block)", "Expand", "Rename Block…", "Ungroup", "Use Again as Copy",
                           "Use Again Shared (same weights)", "Detach Into Own Copy", "Select Its Layers"]
    before = snapshot(controller)
    entry(menu, "use_copy").trigger()
    assert len(uses(controller.doc.graph, "inception")) == 2
    new = uses(controller.doc.graph, "inception")[1]
    assert view.canvas_scene.blocks.frame(new) is not None  # opens expanded, to be wired
    check_undo_redo(controller, before)
    card = view.canvas_scene.blocks.card("inception")
    before = snapshot(controller)
    entry(right_click(view, card.sceneBoundingRect().center()), "ungroup").trigger()
    assert "inception" not in blocks_of(controller.doc.graph) and node_item(view, "merged").isVisible()
    check_undo_redo(controller, before)


def test_edit_create_block_groups_the_selection(window):
    controller = window.controller
    controller.replace_document(builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    controller.select(["flatten", "dense"])
    before = snapshot(controller)
    window.actions_by_name["create_block"].trigger()
    meta = blocks_of(controller.doc.graph)
    assert len(meta) == 1 and members(controller.doc.graph, next(iter(meta))) == ["flatten", "dense"]
    check_undo_redo(controller, before)
    assert summarize(controller.doc.graph, controller.results)


def test_a_selected_card_stands_for_its_nodes(cnn):
    controller, view = cnn
    card = _collapsed_block(cnn)
    before = snapshot(controller)
    card.setSelected(True)
    assert controller.selected == BRANCHES  # the inspector shows them, copy and delete take them
    assert view.edits.delete_selection()
    assert not any(n in controller.doc for n in BRANCHES) and view.canvas_scene.blocks.card("inception") is None
    check_undo_redo(controller, before)
    controller.undo_stack.undo()
    assert view.canvas_scene.blocks.card("inception") is not None


def test_the_inspector_edits_every_use_of_a_definition(qtbot):
    from builder.editing.block_edits import UseAgain
    from gui.controller import EditorController
    from gui.panels.inspector import Inspector

    controller = EditorController()
    controller.replace_document(builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    controller.push(create_block(controller.doc, ["conv_3x3"], "branch")[1])
    copy = UseAgain("branch")
    controller.push(copy)
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    inspector.show()
    before = snapshot(controller)
    controller.select([copy.paste.renamed["conv_3x3"]])
    inspector.editor("filters").spin.setValue(48)
    assert [controller.doc.params(n)["filters"] for n in ("conv_3x3", copy.paste.renamed["conv_3x3"])] == [48, 48]
    assert "every use (2)" in controller.undo_stack.undoText()
    check_undo_redo(controller, before)


def test_the_status_bar_counts_a_shared_block_once(window):
    from builder.editing.block_edits import UseAgain
    from builder.editing.commands import Connect
    from builder.inference.report import check_dict

    controller = window.controller
    controller.replace_document(builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    controller.push(create_block(controller.doc, ["dense"], "head")[1])
    shared = UseAgain("head", shared=True)
    controller.push(shared)
    controller.push(Connect("flatten", shared.paste.renamed["dense"]))
    total = check_dict(controller.doc)["total_params"]
    assert total == sum(r.params for r in controller.results.values()) - controller.results["dense"].params
    assert window.status.params_label.text() == f"Params: {total:,}"


def test_opening_a_file_draws_the_wires_to_cards_once(cnn, monkeypatch):
    """Placing each node of a newly opened file is no drag: the wires to cards are drawn once per edit, not
    once per node (DenseNet121's 429 nodes made that 8 s)."""
    from gui.canvas.block_overlay import BlockOverlay

    controller, view = cnn
    _collapsed_block(cnn)
    text = snapshot(controller)
    calls = []
    real = BlockOverlay._sync_wires
    monkeypatch.setattr(BlockOverlay, "_sync_wires", lambda self, *a: (calls.append(1), real(self, *a)))
    from builder.files import project

    controller.replace_document(project.parse(text))
    assert len(calls) == 1 and view.canvas_scene.blocks.card("inception") is not None


def test_a_block_after_an_error_says_what_it_waits_on(cnn):
    controller, view = cnn
    controller.push(SetParam("conv_7x7", "padding", "valid"))
    controller.push(create_block(controller.doc, ["flatten", "dense"], "head")[1])
    controller.push(set_collapsed(controller.doc, ["head"], True))
    summary = view.canvas_scene.blocks.card("head").summary
    assert summary.status == "blocked" and summary.waits_on == "merged"


def _card_port_pos(card, kind: str, slot: int) -> QPointF:
    ports = card.inputs if kind == "in" else card.outputs
    return ports[slot].scenePos()


def _drag(view, start: QPointF, end: QPointF):
    press_at(view, start)
    move_to(view, (start + end) / 2)
    move_to(view, end)
    release_at(view, end)


def test_wires_drop_on_a_collapsed_cards_input_and_start_at_its_output(cnn):


    controller, view = cnn
    controller.push(create_block(controller.doc, ["dense", "classes"], "head")[1])
    controller.push(Delete(wires=[("flatten", "dense", 0)]))  # the block's input is open now
    controller.push(set_collapsed(controller.doc, ["head"], True))
    card = view.canvas_scene.blocks.card("head")
    assert [(p.source, p.node_id) for p in card.inputs] == [(None, "dense")]
    before = snapshot(controller)
    _drag(view, port_item(view, "flatten", "out").scenePos(), _card_port_pos(card, "in", 0))
    assert controller.doc.inputs_of("dense") == [("flatten", 0)]  # the member behind the port
    check_undo_redo(controller, before)
    controller.undo_stack.undo()
    card = view.canvas_scene.blocks.card("head")
    _drag(view, port_item(view, "flatten", "out").scenePos(), card.sceneBoundingRect().center())  # the card body
    assert controller.doc.inputs_of("dense") == [("flatten", 0)]
    extra = add_node(view, "Dense", (card.sceneBoundingRect().right() + 300, card.scenePos().y()))
    card = view.canvas_scene.blocks.card("head")
    before = snapshot(controller)
    _drag(view, _card_port_pos(card, "out", 0), port_item(view, extra, "in").scenePos())
    assert controller.doc.inputs_of(extra) == [("classes", 0)]
    check_undo_redo(controller, before)
    controller.undo_stack.undo()
    card = view.canvas_scene.blocks.card("head")
    _drag(view, port_item(view, extra, "in").scenePos(), _card_port_pos(card, "out", 0))  # backwards, to the card
    assert controller.doc.inputs_of(extra) == [("classes", 0)]


def test_deleting_a_layer_in_one_use_deletes_it_in_every_use_one_step(cnn):
    from builder.editing.block_edits import UseAgain
    from builder.editing.commands import Connect, Delete

    controller, view = cnn
    controller.push(create_block(controller.doc, ["dense", "classes"], "head")[1])
    copy = UseAgain("head")
    controller.push(copy)
    controller.push(Connect("flatten", copy.paste.renamed["dense"]))
    before = snapshot(controller)
    controller.push(Delete([copy.paste.renamed["classes"]]))
    assert "classes" not in controller.doc and node_item(view, "classes") is None
    assert "every use" in controller.undo_stack.undoText()
    check_undo_redo(controller, before)


def test_an_edit_one_use_cannot_share_asks_to_detach_it(qtbot):
    from builder.editing.block_edits import UseAgain
    from builder.editing.commands import Connect
    from gui.controller import EditorController

    controller = EditorController()
    controller.replace_document(builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    controller.push(create_block(controller.doc, ["merged", "flatten"], "join")[1])
    copy = UseAgain("join")
    controller.push(copy)
    for branch in ("conv_3x3", "conv_5x5", "conv_7x7"):
        controller.push(Connect(branch, copy.paste.renamed["merged"]))
    asked = []
    controller.ask_detach = lambda message, block: asked.append((message, block)) or False
    before = snapshot(controller)
    assert not controller.push(Connect("image", "merged"))  # a new input from outside: asked, declined
    assert asked and asked[0][1] == "join" and "detach join first" in asked[0][0]
    assert snapshot(controller) == before
    controller.ask_detach = lambda message, block: True
    assert controller.push(Connect("image", "merged"))
    assert blocks_of(controller.doc.graph)["join"]["definition"] is None
    assert controller.doc.inputs_of("merged")[-1] == ("image", 3)
    check_undo_redo(controller, before)


def test_the_compare_view_says_which_block_a_node_joined_and_counts_block_changes():
    from gui.compare.session import CompareSession

    before = builder.load(EXAMPLES / "cnn_28x28_three_kernels.json")
    after = builder.load(EXAMPLES / "cnn_28x28_three_kernels.json")
    after.graph["blocks"] = {"head": {"kind": "group", "collapsed": True, "parent": None, "definition": None,
                                      "shared": False, "input_names": None}}
    for node in ("dense", "classes"):
        after.nodes[node]["block"] = "head"
    session = CompareSession(before, "before.json", after)
    assert "block none → 'head'" in session.details("b", "dense")
    assert "1 block changed" in session.totals()


def test_right_clicking_a_cards_port_opens_the_blocks_menu(cnn):
    _controller, view = cnn
    card = _collapsed_block(cnn)
    menu = right_click(view, _card_port_pos(card, "out", 0))
    assert texts(menu)[0] == "inception (block)"
