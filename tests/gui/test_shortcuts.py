"""Every key has one meaning (issue 13: Ctrl+D was bound to Delete and Duplicate on X11), the shortcut table shows
keys a person would press and has a Close button, and canvas keys work whatever has focus unless a text field is
being edited."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from builder.editing.commands import AddNode
from gui.menus import actions as menu_actions
from gui.menus.actions import person_keys

Key = QKeySequence.StandardKey
# What Qt's generic X11 (KDE-like) theme binds: where Ctrl+D came from.
X11_BINDINGS = {Key.Delete: ["Del", "Ctrl+D"], Key.Undo: ["Ctrl+Z", "Alt+Backspace", "F14"],
                Key.Redo: ["Ctrl+Shift+Z", "Alt+Shift+Backspace", "Ctrl+Y"], Key.Cut: ["Ctrl+X", "Shift+Del", "F20"],
                Key.Copy: ["Ctrl+C", "Ctrl+Ins", "F16"], Key.Paste: ["Ctrl+V", "Shift+Ins", "F18"]}


@pytest.fixture
def x11_keys(monkeypatch):
    real = menu_actions.standard_bindings

    def bindings(key):
        if key in X11_BINDINGS:
            return [QKeySequence(k) for k in X11_BINDINGS[key]]
        return real(key)

    monkeypatch.setattr(menu_actions, "standard_bindings", bindings)


def all_window_actions(window) -> list[QAction]:
    return list(dict.fromkeys([*window.actions_by_name.values(), *window.findChildren(QAction)]))


def check_no_key_bound_twice(window):
    seen = {}
    for action in all_window_actions(window):
        for sequence in action.shortcuts():
            key = sequence.toString()
            owner = action.objectName() or action.text()
            assert key not in seen or seen[key] is action, f"{key} is bound to both {seen[key].text()} and {owner}"
            seen[key] = action
    return seen


def test_no_key_is_bound_twice(window):
    seen = check_no_key_bound_twice(window)
    assert seen["Ctrl+D"] is window.actions_by_name["duplicate"]


def test_no_key_is_bound_twice_with_x11_bindings(x11_keys, qapp, qtbot, settings, dialogs):
    from gui.main_window import MainWindow

    window = MainWindow(settings=settings, dialogs=dialogs, restore_layout=False)
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    seen = check_no_key_bound_twice(window)
    assert seen["Ctrl+D"] is window.actions_by_name["duplicate"]
    assert seen["Del"] is window.actions_by_name["delete"]
    for legacy in ("F14", "F16", "F18", "F20", "Alt+Backspace", "Shift+Ins"):
        assert legacy not in seen


def test_person_keys_drops_legacy_and_device_keys():
    kept = person_keys([QKeySequence(k) for k in ("Ctrl+Z", "F14", "Alt+Backspace", "Del", "Ctrl+D", "F1", "Copy")])
    assert [k.toString() for k in kept] == ["Ctrl+Z", "Del", "F1"]


def test_ctrl_d_duplicates(window, qtbot):
    window.activateWindow()
    window.controller.push(AddNode("dense_1", "Dense", {"units": 4}, (0, 0)))
    window.controller.select(["dense_1"])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(window.controller.doc) == 2 and window.controller.selected != ["dense_1"]


def test_shortcut_table_shows_person_keys_and_closes(window, x11_keys):
    from gui.menus.help import shortcut_rows, show_shortcuts

    listed = " ".join(keys for keys, _text in shortcut_rows(window))
    for legacy in ("F14", "F16", "F18", "F20"):
        assert legacy not in listed
    dialog = show_shortcuts(window)
    assert dialog.isVisible() and dialog.close_button.text().replace("&", "") == "Close"
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_canvas_keys_work_after_focus_left_the_canvas(window, qtbot):
    """F fits and Delete deletes with focus on a dock (after a menu command); in a text field they type."""
    window.activateWindow()
    window.controller.push(AddNode("dense_1", "Dense", {"units": 4}, (1500, 900)))  # both fit at a readable zoom
    window.controller.push(AddNode("dense_2", "Dense", {"units": 4}, (0, 0)))
    window.canvas.resetTransform()
    window.canvas.centerOn(-2000, -2000)
    window.history.setFocus()
    qtbot.keyClick(window.history, Qt.Key.Key_F)
    visible = window.canvas.mapToScene(window.canvas.viewport().rect()).boundingRect()
    assert visible.contains(window.canvas.canvas_scene.node_item("dense_1").sceneBoundingRect())
    window.controller.select(["dense_2"])
    units = window.inspector.editor("units").spin
    units.setFocus()
    qtbot.keyClick(units, Qt.Key.Key_Delete)
    qtbot.keyClick(units, Qt.Key.Key_F)
    assert "dense_2" in window.controller.doc  # the field took the keys
    window.history.setFocus()
    qtbot.keyClick(window.history, Qt.Key.Key_Delete)
    assert "dense_2" not in window.controller.doc
