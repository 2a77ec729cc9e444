"""A frame's menu and its questions: recolour (a named colour or any colour from the colour dialog) and rename
(through Dialogs.ask_text: empty titles refused with a message, cancel changes nothing), each one undo step
that redoes exactly; the title stays readable whatever the colour, on both canvas themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtWidgets import QApplication, QGraphicsSceneContextMenuEvent

import builder
from builder.model.frames import NAMED_COLOURS, frames_of
from gui.canvas.frame_menu import ask_colour, ask_rename, frame_menu, recolour
from gui.theme import contrast_ratio
from tests.conftest import EXAMPLES
from tests.gui.canvas_driver import check_undo_redo, make_canvas, send_mouse, snapshot
from tests.gui.conftest import open_example
from tests.gui.fakes import FakeDialogs


@pytest.fixture
def framed(qtbot):
    controller, view = make_canvas(qtbot, builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    view.dialogs = FakeDialogs()
    controller.select([n for n in controller.doc.node_ids() if controller.doc.layer(n) == "Conv2D"])
    frame_id = view.edits.frame_selection("Branches")
    return controller, view, frame_id


def _frame(controller) -> dict:
    (frame,) = frames_of(controller.doc)
    return frame


def _action(menu, *names):
    for name in names[:-1]:
        menu = next(a.menu() for a in menu.actions() if a.menu() and a.menu().objectName() == name)
    return next(a for a in menu.actions() if a.objectName() == names[-1])


def test_a_named_colour_from_the_menu_is_one_undo_step(framed):
    controller, view, frame_id = framed
    before = snapshot(controller)
    menu = frame_menu(view, frame_id)
    assert _action(menu, "colour", "Violet").isChecked()  # the frame's colour now
    _action(menu, "colour", "Teal").trigger()
    assert _frame(controller)["colour"] == NAMED_COLOURS["Teal"]
    assert view.canvas_scene.frame_item(frame_id).colour.name() == NAMED_COLOURS["Teal"]
    assert controller.undo_stack.undoText() == "Colour frame Teal"
    check_undo_redo(controller, before)
    controller.undo_stack.undo()
    assert view.canvas_scene.frame_item(frame_id).colour.name() == NAMED_COLOURS["Violet"]
    controller.undo_stack.redo()
    assert frame_menu(view, frame_id) and _action(frame_menu(view, frame_id), "colour", "Teal").isChecked()
    count = controller.undo_stack.count()
    assert not recolour(view, frame_id, NAMED_COLOURS["Teal"])  # the same colour: no empty step
    assert controller.undo_stack.count() == count


def test_a_custom_colour_comes_from_the_colour_dialog_and_cancel_changes_nothing(framed):
    controller, view, frame_id = framed
    before = snapshot(controller)
    view.dialogs.answers["ask_colour"].append(None)  # cancelled
    assert not ask_colour(view, frame_id)
    assert snapshot(controller) == before and controller.undo_stack.count() == 1
    view.dialogs.answers["ask_colour"].append("#FFEB3B")
    _action(frame_menu(view, frame_id), "colour", "custom").trigger()
    assert view.dialogs.asked[-1] == ("ask_colour", ("Frame Colour", NAMED_COLOURS["Violet"]))
    assert _frame(controller)["colour"] == "#ffeb3b"
    assert controller.undo_stack.undoText() == "Colour frame #ffeb3b"
    check_undo_redo(controller, before)


@pytest.mark.parametrize("colour", [*NAMED_COLOURS.values(), "#ffeb3b", "#111111", "#7fd4ff", "#808080"])
def test_the_title_is_readable_on_any_frame_colour(framed, colour):
    _controller, view, frame_id = framed
    recolour(view, frame_id, colour)
    item = view.canvas_scene.frame_item(frame_id)
    # The title bar is opaque in the frame's colour, so the same contrast holds on the dark and light canvas.
    assert contrast_ratio(item.title_colour(), item.colour) >= 4.5
    if colour in NAMED_COLOURS.values():
        assert item.title_colour().name() == "#ffffff"  # the named ones all take white, like node headers
    picture = view.grab()  # paints without error in the new colour
    assert not picture.isNull()


def test_rename_asks_through_dialogs_refuses_an_empty_title_and_cancel_keeps_it(framed, qtbot):
    controller, view, frame_id = framed
    before = snapshot(controller)
    count = controller.undo_stack.count()
    view.dialogs.answers["ask_text"].append(None)  # cancelled
    assert not ask_rename(view, frame_id)
    assert view.dialogs.asked[-1] == ("ask_text", ("Rename Frame", "Title:", "Branches"))
    assert snapshot(controller) == before and controller.undo_stack.count() == count
    view.dialogs.answers["ask_text"].append("   ")
    with qtbot.waitSignal(view.status_message) as message:
        assert not ask_rename(view, frame_id)
    assert "needs a title" in message.args[0] and "'Branches' is kept" in message.args[0]
    assert snapshot(controller) == before and controller.undo_stack.count() == count
    view.dialogs.answers["ask_text"].append("Stem")
    _action(frame_menu(view, frame_id), "rename").trigger()
    assert view.canvas_scene.frame_item(frame_id).title == "Stem"
    assert controller.undo_stack.undoText() == "Rename frame to 'Stem'"
    check_undo_redo(controller, before)
    controller.undo_stack.undo()
    assert view.canvas_scene.frame_item(frame_id).title == "Branches"


def test_delete_from_the_menu_keeps_the_nodes(framed):
    controller, view, frame_id = framed
    before, nodes = snapshot(controller), len(controller.doc)
    _action(frame_menu(view, frame_id), "delete").trigger()
    assert view.canvas_scene.frame_item(frame_id) is None and len(controller.doc) == nodes
    check_undo_redo(controller, before)


def test_right_clicking_the_title_opens_the_menu_and_its_colour_applies(framed):
    controller, view, frame_id = framed
    before = snapshot(controller)
    item = view.canvas_scene.frame_item(frame_id)
    seen = []

    def choose_in_open_menu():
        popup = QApplication.activePopupWidget()
        seen.append(popup)
        if popup is not None:
            _action(popup, "colour", "Green").trigger()
            popup.close()

    QTimer.singleShot(50, choose_in_open_menu)
    event = QGraphicsSceneContextMenuEvent(QEvent.Type.GraphicsSceneContextMenu)
    event.setScenePos(item.mapToScene(QPointF(40, 12)))
    event.setScreenPos(view.viewport().mapToGlobal(view.mapFromScene(event.scenePos())))
    QApplication.sendEvent(view.canvas_scene, event)  # returns when the menu closes
    assert seen and seen[0] is not None, "no menu opened"
    assert item.isSelected()
    assert _frame(controller)["colour"] == NAMED_COLOURS["Green"]
    check_undo_redo(controller, before)


def test_double_clicking_the_title_in_the_window_renames_through_the_window_dialogs(window, dialogs):
    open_example(window, "cnn_28x28_three_kernels")
    view, controller = window.canvas, window.controller
    controller.select(["conv_3x3", "conv_5x5"])
    frame_id = view.edits.frame_selection("Pair")
    before = snapshot(controller)
    dialogs.answers["ask_text"].append("Small kernels")
    title = view.canvas_scene.frame_item(frame_id).mapToScene(QPointF(40, 12))
    send_mouse(view, QEvent.Type.GraphicsSceneMouseDoubleClick, title, buttons=Qt.MouseButton.LeftButton)
    assert ("ask_text", ("Rename Frame", "Title:", "Pair")) in dialogs.asked
    assert view.canvas_scene.frame_item(frame_id).title == "Small kernels"
    check_undo_redo(controller, before)
    window.controller.undo_stack.setClean()
