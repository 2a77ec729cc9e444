"""The menu bar: File, Edit, View, Keras, Help. Every action is kept in `window.actions_by_name` so tests and the
toolbar-less keyboard user reach the same entries."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

Key = QKeySequence.StandardKey


def _action(window, name, text, slot=None, shortcuts=(), tip="", checkable=False) -> QAction:
    action = QAction(text, window)
    keys = []
    for key in shortcuts:
        for sequence in (QKeySequence.keyBindings(key) if isinstance(key, Key) else [QKeySequence(key)]):
            if not sequence.isEmpty() and sequence not in keys:
                keys.append(sequence)
    action.setShortcuts(keys)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.setCheckable(checkable)
    if slot is not None:
        (action.toggled if checkable else action.triggered).connect(slot)
    window.actions_by_name[name] = action
    return action


def build_menus(window):
    window.actions_by_name = {}
    bar = window.menuBar()
    files, exports, canvas, stack = window.files, window.exports, window.canvas, window.controller.undo_stack

    file_menu = bar.addMenu("&File")
    file_menu.addAction(_action(window, "new", "&New", files.new, [Key.New], "Start an empty model"))
    file_menu.addAction(_action(window, "open", "&Open…", files.open, [Key.Open], "Open a project file"))
    file_menu.addAction(_action(window, "import", "&Import Keras Model…", window.imports.import_model, ["Ctrl+I"],
                                "Open a .keras, .h5 or model.to_json() file as a new project (Keras loads it in "
                                "the background)"))
    recent = QMenu("Open &Recent", window)
    recent.setToolTipsVisible(True)
    recent.aboutToShow.connect(lambda: files.fill_recent_menu(recent))
    file_menu.addMenu(recent)
    examples = QMenu("&Examples", window)
    examples.setToolTipsVisible(True)
    files.fill_examples_menu(examples)
    file_menu.addMenu(examples)
    window.recent_menu, window.examples_menu = recent, examples
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "save", "&Save", files.save, [Key.Save], "Save the project"))
    file_menu.addAction(_action(window, "save_as", "Save &As…", files.save_as, [Key.SaveAs, "Ctrl+Shift+S"],
                                "Save the project under another name"))
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "export_python", "Export &Python…",
                                lambda: exports.export_python(window.code_preview.style), ["Ctrl+E"],
                                "Write a Python script that builds the model with Keras"))
    file_menu.addAction(_action(window, "export_keras", "Export &Keras Model (.keras)…", exports.export_keras,
                                ["Ctrl+Shift+E"], "Build the model with Keras and save it as a .keras file"))
    file_menu.addSeparator()
    from gui.menus_canvas import add_export_image_actions

    add_export_image_actions(window, file_menu, _action)
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "quit", "&Quit", window.close, [Key.Quit, "Ctrl+Q"]))

    edit_menu = bar.addMenu("&Edit")
    undo = stack.createUndoAction(window, "&Undo")
    redo = stack.createRedoAction(window, "&Redo")
    undo.setShortcuts(_unique([*QKeySequence.keyBindings(Key.Undo), QKeySequence("Ctrl+Z")]))
    redo.setShortcuts(_unique([*QKeySequence.keyBindings(Key.Redo), QKeySequence("Ctrl+Shift+Z"),
                               QKeySequence("Ctrl+Y")]))
    window.actions_by_name["undo"], window.actions_by_name["redo"] = undo, redo
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    edit_menu.addSeparator()
    edit_menu.addAction(_action(window, "add_layer", "&Add Layer…", lambda: canvas.open_add_popup(),
                                tip="Search for a layer to add (Tab or double-click on the canvas)"))
    delete = _action(window, "delete", "&Delete", canvas.delete_selection, [Key.Delete, "Backspace"],
                     "Delete the selected nodes and wires")
    select_all = _action(window, "select_all", "Select &All", canvas.select_all, [Key.SelectAll])
    for action in (delete, select_all):
        # Only while the canvas has focus: Delete in the inspector's fields edits text, Ctrl+A selects it.
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        canvas.addAction(action)
        edit_menu.addAction(action)
    edit_menu.addSeparator()
    from gui.menus_canvas import (  # here, not at the top: they reuse _action
        add_arrange_actions,
        add_clipboard_actions,
        add_frame_actions,
        add_help_actions,
        add_view_actions,
    )

    add_clipboard_actions(window, edit_menu, _action)
    edit_menu.addSeparator()
    add_arrange_actions(window, edit_menu, _action)
    add_frame_actions(window, edit_menu, _action)
    edit_menu.addSeparator()
    edit_menu.addAction(_action(window, "auto_layout", "Auto-&Layout", canvas.auto_layout, ["Ctrl+L"],
                                "Arrange the nodes left to right by their order in the model"))

    view_menu = bar.addMenu("&View")
    view_menu.addAction(_action(window, "fit", "&Fit to View", canvas.fit_all, ["Ctrl+0"],
                                "Zoom so every node is visible"))
    snap = _action(window, "snap", "&Snap to Grid", window.set_snap_to_grid, ["Ctrl+G"],
                   "Nodes snap to the grid while you drag them", checkable=True)
    view_menu.addAction(snap)
    add_view_actions(window, view_menu, _action)
    view_menu.addSeparator()
    for dock in window.docks.values():
        view_menu.addAction(dock.toggleViewAction())
    view_menu.addSeparator()
    view_menu.addAction(_action(window, "reset_layout", "Reset Window &Layout", window.reset_layout,
                                tip="Put every panel back where it started"))

    keras_menu = bar.addMenu("&Keras")
    keras_menu.addAction(_action(window, "keras_memory_limit", "&Memory Limit…", window.ask_keras_memory_limit,
                                 tip="The most memory the Keras worker process may use"))
    keras_menu.addAction(_action(window, "keras_restart", "&Restart Keras", window.keras.restart,
                                 tip="Start a new Keras worker process (stops what it is doing)"))

    help_menu = bar.addMenu("&Help")
    add_help_actions(window, help_menu, _action)
    help_menu.addAction(_action(window, "about", "&About Keras Canvas", window.show_about))


def _unique(sequences):
    kept = []
    for sequence in sequences:
        if not sequence.isEmpty() and sequence not in kept:
            kept.append(sequence)
    return kept
