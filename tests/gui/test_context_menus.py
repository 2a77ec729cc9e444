"""Right-click menus on a node, a wire and the empty canvas (gui/canvas/context_menus.py), opened through the
view's context-menu event as a right-click does, their entries triggered by name."""

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

import builder
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import check_undo_redo, edge_item, make_canvas, node_centre, snapshot
from tests.gui.fakes import FakeDialogs


@pytest.fixture
def cnn(qtbot):
    controller, view = make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    view.dialogs = FakeDialogs()
    view.resetTransform()
    view.centerOn(700, 0)
    return controller, view


def right_click(view, scene_pos) -> QMenu:
    at = view.mapFromScene(QPointF(scene_pos))
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, view.viewport().mapToGlobal(at))
    QApplication.sendEvent(view.viewport(), event)
    menu = view.context_menu
    assert menu is not None and menu.isVisible()
    return menu


def entry(menu: QMenu, *names):
    """The action reached through submenus by object names, as a person picks it."""
    for name in names[:-1]:
        menu = next(a.menu() for a in menu.actions() if a.menu() is not None and a.menu().objectName() == name)
    return next(a for a in menu.actions() if a.objectName() == names[-1])


def submenu(menu: QMenu, name: str) -> QMenu:
    return next(a.menu() for a in menu.actions() if a.menu() is not None and a.menu().objectName() == name)


def texts(menu: QMenu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def test_node_menu_offers_the_node_edits(cnn):
    controller, view = cnn
    menu = right_click(view, node_centre(view, "merged"))
    assert controller.selected == ["merged"]
    assert texts(menu) == ["merged (Concatenate)", "Rename…", "Duplicate", "Duplicate Keeping Inputs", "Delete",
                           "Delete Keeping Wires", "Insert Layer After", "Select Upstream", "Select Downstream",
                           "Frame Selection", "Create Block from Selection", "Copy as Python"]
    inserts = texts(submenu(menu, "insert_after"))
    assert "Flatten" in inserts and "Dense" in inserts and "Input" not in inserts
    assert "LSTM" not in inserts  # filtered: it does not accept a 4D tensor


def test_insert_after_a_node_from_its_menu(cnn):
    controller, view = cnn
    before = snapshot(controller)
    entry(right_click(view, node_centre(view, "merged")), "insert_after", "BatchNormalization").trigger()
    new = controller.selected[0]
    assert controller.doc.inputs_of(new) == [("merged", 0)] and controller.doc.inputs_of("flatten") == [(new, 0)]
    mine = view.canvas_scene.node_item(new).sceneBoundingRect()
    assert not any(mine.intersects(item.sceneBoundingRect()) for item in view.canvas_scene.node_items()
                   if item.node_id != new)
    check_undo_redo(controller, before)


def test_rename_select_and_copy_as_python(cnn):
    controller, view = cnn
    view.dialogs.answers["ask_text"].append("joined")
    entry(right_click(view, node_centre(view, "merged")), "rename").trigger()
    assert "joined" in controller.doc and controller.selected == ["joined"]
    entry(right_click(view, node_centre(view, "joined")), "select_upstream").trigger()
    assert controller.selected == ["image", "conv_3x3", "conv_5x5", "conv_7x7", "joined"]
    entry(right_click(view, node_centre(view, "flatten")), "select_downstream").trigger()
    assert controller.selected == ["flatten", "dense", "classes"]
    entry(right_click(view, node_centre(view, "conv_5x5")), "copy_python").trigger()
    code = QGuiApplication.clipboard().text()
    assert "conv_5x5" in code and "image" in code and "joined" not in code


def test_several_selected_nodes_merge_into_one(cnn):
    controller, view = cnn
    controller.select(["conv_3x3", "conv_5x5", "conv_7x7"])
    menu = right_click(view, node_centre(view, "conv_5x5"))
    assert controller.selected == ["conv_3x3", "conv_5x5", "conv_7x7"]  # the right-click kept the selection
    assert texts(menu)[0] == "3 nodes selected"
    entry(menu, "merge_into", "Add").trigger()
    new = controller.selected[0]
    assert [s for s, _p in controller.doc.inputs_of(new)] == ["conv_3x3", "conv_5x5", "conv_7x7"]


def test_wire_menu_has_its_shape_as_title_and_inserts(cnn):
    controller, view = cnn
    wire = edge_item(view, "flatten", "dense")
    menu = right_click(view, wire.path().pointAtPercent(0.5))
    assert texts(menu)[0] == "flatten → dense: (None, 75264)"
    assert "Conv2D" not in texts(submenu(menu, "insert"))  # a 2D tensor: only layers that accept it
    before = snapshot(controller)
    entry(menu, "insert", "Dropout").trigger()
    new = controller.selected[0]
    assert controller.doc.inputs_of(new) == [("flatten", 0)] and controller.doc.inputs_of("dense") == [(new, 0)]
    check_undo_redo(controller, before)
    entry(right_click(view, edge_item(view, new, "dense").path().pointAtPercent(0.5)), "delete_wire").trigger()
    assert controller.doc.inputs_of("dense") == []


def test_canvas_menu_adds_pastes_and_arranges(cnn, qtbot):
    controller, view = cnn
    empty = QPointF(700, 400)
    menu = right_click(view, empty)
    assert texts(menu) == ["Add Layer…", "Paste", "Auto-Layout", "Fit to View", "Select All"]
    entry(menu, "add_layer").trigger()
    popup = view.add_popup
    assert popup.isVisible()
    popup.search.setText("Dropout")
    popup.choose_current()
    new = controller.selected[0]
    assert controller.doc.layer(new) == "Dropout" and controller.doc.positions[new] == (700, 400)
    QGuiApplication.clipboard().setText(view.edits.selection_text())
    entry(right_click(view, QPointF(700, 700)), "paste").trigger()
    assert len(controller.doc) == 10
    entry(right_click(view, QPointF(2000, 2000)), "auto_layout").trigger()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert all(visible.contains(item.sceneBoundingRect()) for item in view.canvas_scene.node_items())
    controller.undo_stack.undo()  # undoing the layout fits the view too: nothing is left off screen
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert all(visible.contains(item.sceneBoundingRect()) for item in view.canvas_scene.node_items())


def test_frame_title_keeps_its_own_menu(cnn):
    controller, view = cnn
    controller.select(["conv_3x3"])
    frame_id = view.edits.frame_selection()
    frame = view.canvas_scene.frame_item(frame_id)
    title = frame.mapToScene(frame.title_rect().center())
    at = view.mapFromScene(title)
    before = view.context_menu
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, view.viewport().mapToGlobal(at))
    # The frame's own menu runs modally (frame_menu.py); close it as soon as it shows.
    from PySide6.QtCore import QTimer

    QTimer.singleShot(50, lambda: QApplication.activePopupWidget() and QApplication.activePopupWidget().close())
    QApplication.sendEvent(view.viewport(), event)
    assert view.context_menu is before  # not a canvas or node menu
