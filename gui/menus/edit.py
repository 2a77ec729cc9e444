"""Edit: Undo and Redo (the undo stack's own actions), Add Layer, Delete, Select All, the clipboard (cut, copy,
paste, duplicate, delete keeping wires), Find Node, Align and Distribute, Frame Selection, Auto-Layout.

Delete and Select All work while the canvas or a child of it has focus; the canvas-only edits (Ctrl+C, Ctrl+D,
align, ...) only while the canvas itself has it (actions.canvas_only), so the same keys keep editing text in the
inspector's fields and in the find bar.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence

from gui.menus import actions
from gui.menus.actions import Key, canvas_only, make_action, person_keys, unique_shortcuts, unless_typing

ALIGN_ENTRIES = [
    ("left", "Align &Left", "Ctrl+Alt+Left"),
    ("right", "Align &Right", "Ctrl+Alt+Right"),
    ("top", "Align &Top", "Ctrl+Alt+Up"),
    ("bottom", "Align &Bottom", "Ctrl+Alt+Down"),
    ("centre_x", "Align &Centres Vertically", "Ctrl+Alt+C"),
    ("centre_y", "Align Centres &Horizontally", "Ctrl+Alt+M"),
]


def build_edit_menu(window, bar):
    canvas, stack = window.canvas, window.controller.undo_stack
    menu = bar.addMenu("&Edit")
    undo = stack.createUndoAction(window, "&Undo")
    redo = stack.createRedoAction(window, "&Redo")
    undo.setShortcuts(unique_shortcuts([*person_keys(actions.standard_bindings(Key.Undo)), QKeySequence("Ctrl+Z")]))
    redo.setShortcuts(unique_shortcuts([*person_keys(actions.standard_bindings(Key.Redo)),
                                        QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]))
    window.actions_by_name["undo"], window.actions_by_name["redo"] = undo, redo
    menu.addAction(undo)
    menu.addAction(redo)
    menu.addSeparator()
    menu.addAction(make_action(window, "add_layer", "&Add Layer…", lambda: canvas.open_add_popup(),
                               tip="Search for a layer to add (Tab or double-click on the canvas)"))
    delete = make_action(window, "delete", "&Delete", unless_typing(canvas.delete_selection), ["Del", "Backspace"],
                         "Delete the selected nodes and wires")
    select_all = make_action(window, "select_all", "Select &All", unless_typing(canvas.select_all), [Key.SelectAll])
    for action in (delete, select_all):
        canvas_only(action, canvas)  # Delete in the inspector's fields edits text, Ctrl+A selects it
        menu.addAction(action)
    menu.addSeparator()
    _add_clipboard_actions(window, menu)
    menu.addSeparator()
    _add_arrange_actions(window, menu)
    _add_frame_action(window, menu)
    return menu


def _add_clipboard_actions(window, menu):
    canvas = window.canvas
    edits = canvas.edits
    entries = [
        ("cut", "Cu&t", edits.cut, [Key.Cut], "Copy the selected nodes to the clipboard and delete them"),
        ("copy", "&Copy", edits.copy, [Key.Copy], "Copy the selected nodes, with the wires between them"),
        ("paste", "&Paste", lambda: edits.paste(), [Key.Paste], "Paste copied nodes at the cursor"),
        ("duplicate", "D&uplicate", edits.duplicate, ["Ctrl+D"], "Copy and paste the selected nodes at once"),
        ("duplicate_keep_inputs", "Duplicate Keeping &Inputs", edits.duplicate_keeping_inputs, ["Ctrl+Shift+D"],
         "Duplicate the selected nodes, each copy wired from the same inputs as its original"),
        ("delete_keep_wires", "Delete &Keeping Wires", edits.delete_keeping_wires, ["Ctrl+Delete"],
         "Delete the selected nodes; what a single-input node fed is wired to its input instead"),
    ]
    for name, text, slot, keys, tip in entries:
        # While a text field has focus its keys are its own (Enter in the inspector gives focus back to the canvas).
        action = make_action(window, name, text, unless_typing(slot), keys, tip)
        canvas_only(action, canvas)
        menu.addAction(action)


def _add_arrange_actions(window, menu):
    canvas = window.canvas
    menu.addAction(make_action(window, "find", "&Find Node…", canvas.find_node, [Key.Find, "Ctrl+F"],
                               "Find nodes by id or layer type; Enter goes to the next match"))
    arrange = menu.addMenu("A&lign and Distribute")
    for mode, text, key in ALIGN_ENTRIES:
        action = make_action(window, f"align_{mode}", text, lambda _=False, m=mode: canvas.edits.align(m), [key],
                             "Line up the selected nodes")
        canvas_only(action, canvas)
        arrange.addAction(action)
    arrange.addSeparator()
    for axis, text, key in (("x", "Distribute Hori&zontally", "Ctrl+Alt+Shift+H"),
                            ("y", "Distribute &Vertically", "Ctrl+Alt+Shift+V")):
        action = make_action(window, f"distribute_{axis}", text, lambda _=False, a=axis: canvas.edits.distribute(a),
                             [key], "Space the selected nodes evenly")
        canvas_only(action, canvas)
        arrange.addAction(action)


def _add_frame_action(window, menu):
    canvas = window.canvas
    action = make_action(window, "frame", "&Frame Selection", lambda: canvas.edits.frame_selection(),
                         ["Ctrl+Shift+G"], "Draw a titled frame behind the selected nodes; drag its title to move "
                         "them together, double-click it to rename, right-click it to recolour")
    canvas_only(action, canvas)
    menu.addAction(action)
    from gui.canvas.block_menu import create_block_from_selection

    for name, text, kind, keys, tip in (
            ("create_block", "Create &Block", "group", ["Ctrl+B"],
             "Group the selected nodes into a block: one card when collapsed (double-click it to open)"),
            ("create_model_block", "Create &Nested Model", "model", ["Ctrl+Shift+B"],
             "Group the selected nodes into a nested keras.Model (exported and built as one)")):
        action = make_action(window, name, text, lambda _=False, k=kind: create_block_from_selection(canvas, k),
                             keys, tip)
        canvas_only(action, canvas)
        menu.addAction(action)
