"""Issue 14 in the window: the lightbulb's fixes (ghost preview, one click, one undo step), the same fixes in the
node's menu and in Shapes & Errors, derivations on hover, the cost overlay with its legend, the panel's cost
line at a chosen batch size and the budget badge."""

from __future__ import annotations

import json
import re

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QGraphicsRectItem

import builder
from builder.editing.commands import SetParam
from gui.canvas.node_item import NodeItem
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import make_canvas, snapshot
from tests.gui.conftest import open_example


@pytest.fixture
def mismatch(qtbot):
    controller, view = make_canvas(qtbot, builder.load(EXAMPLES / "shape_mismatch.json"))
    view.resetTransform()
    view.centerOn(700, 0)
    return controller, view


def _actions(menu):
    return {a.objectName(): a for a in menu.actions()}


def test_the_lightbulb_lists_verified_fixes_previews_them_and_applies_one_as_one_undo_step(mismatch):
    controller, view = mismatch
    item = view.canvas_scene.node_item("merged")
    assert item.has_bulb()
    menu = view.open_fix_menu("merged")
    actions = _actions(menu)
    first = actions["fix_0"]
    assert first.text() == "set padding='same' on conv_3x3, conv_5x5 and conv_7x7"
    assert "merged → (None, 28, 28, 96)" in first.toolTip()
    first.hovered.emit()  # the ghost: a dashed outline on each changed node, with its new shape
    ghosts = [i for i in view.fix_preview.items if isinstance(i, QGraphicsRectItem)]
    assert len(ghosts) == 4
    labels = [i.text() for i in view.fix_preview.items if hasattr(i, "text")]
    assert "→ (None, 28, 28, 96)" in labels
    actions["fix_1"].hovered.emit()  # cropping: the inserted nodes drawn as cards
    assert any("Cropping2D" in t for t in (i.text() for i in view.fix_preview.items if hasattr(i, "text")))
    menu.hide()
    assert view.fix_preview.items == []
    before = snapshot(controller)
    depth = controller.undo_stack.count()
    first.trigger()
    assert controller.results["merged"].shape == (None, 28, 28, 96)
    assert controller.undo_stack.count() == depth + 1
    controller.undo_stack.undo()
    assert snapshot(controller) == before and controller.results["merged"].error


def test_clicking_the_lightbulb_opens_the_menu(mismatch):
    _controller, view = mismatch
    item = view.canvas_scene.node_item("merged")
    at = view.mapFromScene(item.mapToScene(item.bulb_rect().center()))
    from PySide6.QtTest import QTest

    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert view.context_menu is not None and view.context_menu.objectName() == "fix_menu"
    assert "fix_0" in _actions(view.context_menu)


def test_the_node_menu_and_the_panel_offer_the_same_fixes(qtbot, window):
    open_example(window, "shape_mismatch")
    panel = window.shapes_panel
    menu = panel._fix_menu_at("merged", panel.mapToGlobal(panel.rect().center()))
    assert _actions(menu)["fix_0"].text().endswith("set padding='same' on conv_3x3, conv_5x5 and conv_7x7")
    _actions(menu)["fix_0"].trigger()
    menu.close()  # a click on the item closes the menu; trigger() alone leaves it shown (and grabbing the pointer)
    assert window.controller.results["merged"].shape == (None, 28, 28, 96)
    assert not [r for r in window.controller.results.values() if r.error]


def test_hovering_a_dimension_on_the_card_shows_its_derivation(mismatch):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFontMetricsF
    from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent

    from gui.canvas.text import font

    _controller, view = mismatch
    item: NodeItem = view.canvas_scene.node_item("conv_3x3")
    rect = item.shape_line_rect()
    width = QFontMetricsF(font("mono")).horizontalAdvance("0")

    def hover(x, y):
        event = QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverMove)
        event.setPos(QPointF(x, y))
        item.hoverMoveEvent(event)
        return QGraphicsItem.toolTip(item)  # what Qt shows: the text the hover set (NodeItem.toolTip reads the card's)

    assert "conv_3x3, axis 1: 26 = floor((28 − 3) / 1) + 1" in hover(rect.left() + width * 7.5, rect.center().y())
    assert "axis 3: 32: the filters parameter of conv_3x3" in hover(rect.left() + width * 16.5, rect.center().y())
    params_line = rect.translated(0, rect.height())
    assert "320 = 3 × 3 kernel × 1 input channel × 32 filters + 32 biases" in hover(params_line.left() + 5,
                                                                                     params_line.center().y())


def test_the_panel_shows_derivations_and_traces_an_error_s_sizes(qtbot, window):
    open_example(window, "shape_mismatch")
    panel = window.shapes_panel
    model = panel.model
    tip = model.data(model.index(model.row_of["conv_5x5"], 2), Qt.ItemDataRole.ToolTipRole)
    assert "axis 1: 24 = floor((28 − 5) / 1) + 1" in tip and "832 = 5 × 5 kernel" in tip
    error_tip = next(panel.problems.item(i).toolTip() for i in range(panel.problems.count())
                     if panel.problems.item(i).text().startswith("Error: merged"))
    assert "Where these sizes come from:" in error_tip and "conv_7x7 gives (None, 22, 22, 32)" in error_tip
    assert "22 = floor((28 − 7) / 1) + 1" in error_tip


def test_the_inspector_s_dimensions_are_links_to_their_derivations(qtbot, window):
    open_example(window, "cnn_28x28_three_kernels")
    window.controller.select(["flatten"])
    inspector = window.inspector
    assert inspector.shown_shape() == "(None, 75264)"
    inspector.shape_label.linkHovered.emit("1")
    assert inspector.shape_label.toolTip() == "flatten, axis 1: 75,264 = 28 × 28 × 96"
    inspector.shape_label.linkActivated.emit("1")
    assert inspector.derivation_label.text() == "flatten, axis 1: 75,264 = 28 × 28 × 96"
    window.controller.select(["dense"])
    inspector.params_label.linkActivated.emit("params")
    assert inspector.derivation_label.text() == "9,633,920 = 75,264 inputs × 128 units + 128 biases"


def _size_links(label) -> dict[str, str]:
    """href -> the size shown, of a label's size links."""
    return {href: size for href, size in re.findall(r"href='([^']+)'>([\d,]+)</a>", label.text())}


def _centred_on(window, node) -> bool:
    view = window.canvas
    item = view.canvas_scene.node_item(node)
    centre = view.mapToScene(view.viewport().rect().center())
    return (centre - item.sceneBoundingRect().center()).manhattanLength() < 3


def test_an_error_s_sizes_in_the_inspector_link_to_their_derivations_on_the_nodes_that_made_them(qtbot, window):
    open_example(window, "shape_mismatch")
    window.controller.select(["merged"])
    inspector = window.inspector
    label = inspector.conflict_label
    assert label.isVisibleTo(inspector)
    assert _size_links(label) == {"size:1:conv_3x3": "26", "size:1:conv_5x5": "24", "size:1:conv_7x7": "22",
                                  "size:2:conv_3x3": "26", "size:2:conv_5x5": "24", "size:2:conv_7x7": "22"}
    label.linkActivated.emit("size:1:conv_5x5")  # what a click on the link does
    assert window.controller.selected == ["conv_5x5"] and inspector.node_id == "conv_5x5"
    assert inspector.derivation_label.text() == "conv_5x5, axis 1: 24 = floor((28 − 5) / 1) + 1"
    assert inspector.derivation_label.isVisibleTo(inspector) and not label.isVisibleTo(inspector)
    assert _centred_on(window, "conv_5x5")


def test_an_error_s_sizes_in_the_panel_link_to_their_derivations_on_the_nodes_that_made_them(qtbot, window):
    open_example(window, "shape_mismatch")
    panel = window.shapes_panel
    def error():  # the list is filled again after an edit: its items are new
        return next(panel.problems.item(i) for i in range(panel.problems.count())
                    if panel.problems.item(i).text().startswith("Error: merged"))

    from PySide6.QtTest import QTest

    rect = panel.problems.visualItemRect(error())
    QTest.mouseClick(panel.problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    # the message stays as it was drawn (a selected one lost its text to the selection's colours)
    assert not error().isSelected() and window.controller.selected == ["merged"]
    label = panel.conflict_label
    assert label.isVisibleTo(panel) and _size_links(label)["size:2:conv_7x7"] == "22"
    assert "axis 1: " in re.sub(r"<[^>]+>", "", label.text())
    label.linkActivated.emit("size:2:conv_7x7")
    assert "conv_7x7, axis 2: 22 = floor((28 − 7) / 1) + 1" in label.text()  # the links stay, with the line
    assert window.controller.selected == ["conv_7x7"] and _centred_on(window, "conv_7x7")
    assert window.inspector.derivation_label.text() == "conv_7x7, axis 2: 22 = floor((28 − 7) / 1) + 1"
    window.controller.push(SetParam("image", "shape", [30, 30, 1]))  # an edit: the links and the line follow it
    assert "conv_7x7, axis 2: 24 = floor((30 − 7) / 1) + 1" in label.text() and ">28</a>" in label.text()
    panel.problems.itemClicked.emit(error())  # back to the error: its links, without the old line
    assert "floor" not in label.text() and window.controller.selected == ["merged"]
    for node in ("conv_3x3", "conv_5x5", "conv_7x7"):  # fixed: no error, no links
        window.controller.push(SetParam(node, "padding", "same"))
    assert not label.isVisibleTo(panel)


def test_the_cost_overlay_colours_nodes_with_a_legend(qtbot, window):
    open_example(window, "cnn_28x28_three_kernels")
    canvas = window.canvas
    assert not canvas.cost_legend.isVisible()
    window.actions_by_name["cost_macs"].trigger()
    overlay = canvas.cost_overlay
    assert overlay.mode == "macs" and canvas.cost_legend.isVisibleTo(canvas)
    assert overlay.heaviest(1) == [("dense", 9_633_792)]
    assert canvas.canvas_scene.node_item("dense").cost_fraction() == 1.0
    assert 0 <= canvas.canvas_scene.node_item("conv_3x3").cost_fraction() < 1
    assert canvas.canvas_scene.node_item("flatten").cost_fraction() == -1.0  # no MACs: drawn plain
    window.actions_by_name["cost_params"].trigger()
    assert overlay.heaviest(1)[0][0] == "dense"
    window.actions_by_name["cost_off"].trigger()
    assert overlay.mode is None and canvas.canvas_scene.node_item("dense").cost_fraction() is None


def test_the_cost_line_follows_the_batch_size_and_the_budget_badge(qtbot, window, tmp_path):
    project = json.loads((EXAMPLES / "cnn_28x28_three_kernels.json").read_text())
    project["budgets"] = {"max_params": 1_000_000}
    path = tmp_path / "budget.json"
    path.write_text(json.dumps(project))
    assert window.files.open_path(str(path))
    costs = window.shapes_panel.costs
    assert costs.budget_badge.text() == "Over budget (1)"
    assert "budgets.max_params = 1,000,000" in costs.budget_badge.toolTip()
    costs.batch.setValue(1)
    assert "Cost at batch 1: <b>11.7M</b> MACs" in costs.totals_label.text()
    costs.batch.setValue(10)
    assert "Cost at batch 10: <b>117.2M</b> MACs" in costs.totals_label.text()
    assert "<a href='dense'>dense</a>" in costs.heaviest_label.text()
    QApplication.processEvents()


def test_the_cost_line_says_which_nodes_have_unknown_macs_and_why(qtbot, window, tmp_path):
    from builder.files import project
    from tests.builder.small_graphs import wired_graph

    graph = wired_graph(("x", "Input", {"shape": [4, 8, 8, 2]}), ("c", "ConvLSTM2D", {}), edges=[("x", "c", 0)])
    graph.nodes["c"]["config"] = {"filters": 3, "kernel_size": [3, 3]}
    graph.nodes["c"]["keras_shape"] = {"shape": [None, 6, 6, 3], "trainable": 552, "non_trainable": 0,
                                       "inputs": [[None, 4, 8, 8, 2]]}
    path = tmp_path / "imported.json"
    path.write_text(project.dumps(graph))
    assert window.files.open_path(str(path))
    costs = window.shapes_panel.costs
    assert "(MACs and FLOPs without 1 node: c)" in costs.totals_label.text()
    assert "weights 2.2 KiB" in costs.totals_label.text()  # its 552 weights are counted
    assert "c: imported from Keras outside the catalog" in costs.totals_label.toolTip()
