"""The main window: title, docks, status bar, Edit menu entries and keys, canvas actions, refusals, start-up
without Keras, and how fast the window appears."""

import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QUndoView

from builder.editing.commands import AddNode, Connect, SetParam
from gui.files import DEFAULT_EXAMPLE
from tests.conftest import ROOT
from tests.gui.canvas_driver import snapshot
from tests.gui.conftest import open_example


def test_title_docks_and_centre(window):
    assert window.windowTitle() == "Keras Canvas — untitled.json"
    assert window.centralWidget() is window.canvas
    assert set(window.docks) == {"palette", "inspector", "shapes", "code", "history", "training"}
    assert window.docks["palette"].widget() is window.palette
    assert window.docks["code"].widget() is window.code_preview
    history = window.docks["history"].widget()
    assert isinstance(history, QUndoView) and history.stack() is window.controller.undo_stack
    for name, dock in window.docks.items():
        if name != "training":  # hidden until Keras > Train… (tests/gui/test_training_dock.py)
            assert dock.isVisible() and dock.width() > 150 and dock.height() > 100, dock.objectName()


def test_status_bar_shows_params_errors_and_keras_state(window, dialogs):
    open_example(window, "shape_mismatch")
    status = window.status
    assert status.params_label.text() == "Params: 2,752"
    assert status.errors_label.text() == "1 error"
    assert status.keras_label.text() == "Keras: not loaded"
    for conv in ("conv_3x3", "conv_5x5", "conv_7x7"):
        window.controller.push(SetParam(conv, "padding", "same"))
    assert status.errors_label.text() == "No errors" and status.params_label.text() == "Params: 9,637,962"
    window.keras.state_changed.emit("loading", "importing")
    assert status.keras_label.text() == "Keras: loading…"
    dialogs.answers["ask_save_changes"].append("discard")
    window.files.new()
    assert status.params_label.text() == "Params: 0"


def test_refused_edit_is_shown_in_the_status_bar(window):
    window.controller.push(AddNode("a", "Input", {"shape": [3]}))
    window.controller.push(AddNode("b", "Input", {"shape": [3]}))
    window.controller.push(Connect("a", "b"))
    assert "b is an Input and takes no incoming wire" in window.status.currentMessage()


def test_canvas_messages_reach_the_status_bar(window):
    window.canvas.status_message.emit("hello from the canvas")
    assert window.status.currentMessage() == "hello from the canvas"


def test_undo_redo_entries_name_the_step_and_have_the_standard_keys(window):
    undo, redo = window.actions_by_name["undo"], window.actions_by_name["redo"]
    assert not undo.isEnabled()
    window.controller.push(AddNode("dense_1", "Dense", {"units": 4}))
    assert undo.isEnabled() and undo.text() == "&Undo Add Dense dense_1"
    undo.trigger()
    assert redo.text() == "&Redo Add Dense dense_1" and window.controller.doc.node_ids() == []
    assert QKeySequence("Ctrl+Z") in undo.shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in redo.shortcuts()
    # The platform's legacy alternatives (F14, Alt+Backspace) are not offered: only keys a person would press.
    assert not {"F14", "Alt+Backspace"} & {s.toString() for s in undo.shortcuts()}


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo(window, qtbot):
    window.activateWindow()
    window.canvas.setFocus()
    window.controller.push(AddNode("dense_1", "Dense", {"units": 4}))
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.doc.node_ids() == []
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.controller.doc.node_ids() == ["dense_1"]


def test_edit_and_view_actions_drive_the_canvas(window):
    open_example(window, DEFAULT_EXAMPLE)
    actions = window.actions_by_name
    window.controller.push(SetParam("dense", "units", 8))  # something to keep while moving
    before = snapshot(window.controller)
    window.controller.push(AddNode("extra", "Dense", {"units": 2}, (5000, 5000)))
    actions["auto_layout"].trigger()
    assert window.controller.undo_stack.undoText() == "Auto-layout"
    window.controller.undo_stack.undo()
    window.controller.undo_stack.undo()
    assert snapshot(window.controller) == before
    actions["select_all"].trigger()
    assert set(window.controller.selected) == set(window.controller.doc.node_ids())
    actions["delete"].trigger()
    assert window.controller.doc.node_ids() == []
    window.controller.undo_stack.undo()
    assert snapshot(window.controller) == before
    actions["snap"].setChecked(True)
    assert window.canvas.snap_to_grid is True
    actions["snap"].setChecked(False)
    assert window.canvas.snap_to_grid is False
    actions["fit"].trigger()  # must not fail; what it shows is the canvas's business


def test_snap_setting_is_remembered(window, settings, dialogs, qtbot):
    from gui.main_window import MainWindow

    window.actions_by_name["snap"].setChecked(True)
    second = MainWindow(settings=settings, dialogs=dialogs, restore_layout=False)
    qtbot.addWidget(second)
    assert second.actions_by_name["snap"].isChecked() and second.canvas.snap_to_grid


def test_delete_key_in_the_inspector_edits_text_not_the_graph(window, qtbot):
    open_example(window, DEFAULT_EXAMPLE)
    window.controller.select(["dense"])
    window.activateWindow()
    window.inspector.id_edit.setFocus()
    qtbot.keyClick(window.inspector.id_edit, Qt.Key.Key_Delete)
    assert "dense" in window.controller.doc


def test_layout_is_saved_and_restored(window, settings, dialogs, qtbot):
    from gui.main_window import MainWindow

    window.docks["history"].hide()
    window.close()
    second = MainWindow(settings=settings, dialogs=dialogs)
    qtbot.addWidget(second)
    second.show()
    assert not second.docks["history"].isVisible() and second.docks["inspector"].isVisible()
    second.reset_layout()
    assert second.docks["history"].isVisible()


def test_gui_modules_do_not_import_keras():
    probe = ("import sys, gui.app, gui.main_window, gui.screenshot, gui.keras_service, gui.export\n"
             "print(sorted(m for m in ('tensorflow', 'keras') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_window_paints_the_example_before_keras_is_loaded():
    """The real app, launched with no file: the newcomer's model is painted before TensorFlow is imported.
    (How fast is measured by `python -m benchmarks.run`, not here.) KC_STARTUP_PROBE=exit quits after."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KC_STARTUP_PROBE="exit")
    result = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    line = next(li for li in result.stdout.splitlines() if "window painted" in li)
    assert "tensorflow loaded: False" in line
    assert "'Keras Canvas — cnn_28x28_three_kernels.json (example)', 8 nodes" in line  # the newcomer's model
    assert "keras ready" not in result.stdout


def test_screenshots_are_written_offscreen(tmp_path):
    from PySide6.QtGui import QImage

    from gui.screenshot import SIZE, write_screenshots

    (path,) = write_screenshots(tmp_path, ["shape_mismatch"])
    image = QImage(str(path))
    assert path.name == "shape_mismatch.png" and (image.width(), image.height()) == SIZE


def test_shapes_panel_click_centres_the_canvas_on_the_node(window):
    open_example(window, DEFAULT_EXAMPLE)
    window.canvas.fit_all()
    panel = window.shapes_panel
    panel.table.clicked.emit(panel.model.index(panel.model.row_of["classes"], 0))
    assert window.controller.selected == ["classes"]
    centre = window.canvas.mapToScene(window.canvas.viewport().rect().center())
    node = window.canvas.canvas_scene.node_item("classes").sceneBoundingRect()
    assert node.adjusted(-60, -60, 60, 60).contains(centre)


def test_selection_follows_renames_and_removals_through_undo(qtbot):
    from builder.editing.commands import AddNode, Delete, Rename
    from gui.controller import EditorController

    controller = EditorController()
    controller.push(AddNode("x", "Input", {"shape": [4]}))
    controller.select(["x"])
    seen = []
    controller.selection_changed.connect(seen.append)
    controller.push(Rename("x", "features"))
    assert controller.selected == ["features"]
    controller.undo_stack.undo()
    assert controller.selected == ["x"]
    controller.push(Delete(["x"]))
    assert controller.selected == []
    assert seen == [["features"], ["x"], []]
