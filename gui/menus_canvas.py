"""Menu entries for the canvas's power edits (clipboard, delete keeping wires, find, align, frames, export,
minimap) and Help > Shortcuts. Kept apart from menus.py so that file stays about the menu bar itself.

Canvas-only keys (Ctrl+C, Delete, ...) work while the canvas has focus, so the same keys keep editing text
in the inspector's fields.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

Key = QKeySequence.StandardKey


def add_clipboard_actions(window, edit_menu, make_action):
    canvas = window.canvas
    edits = canvas.edits
    entries = [
        ("cut", "Cu&t", edits.cut, [Key.Cut], "Copy the selected nodes to the clipboard and delete them"),
        ("copy", "&Copy", edits.copy, [Key.Copy], "Copy the selected nodes, with the wires between them"),
        ("paste", "&Paste", lambda: edits.paste(), [Key.Paste], "Paste copied nodes at the cursor"),
        ("duplicate", "D&uplicate", edits.duplicate, ["Ctrl+D"], "Copy and paste the selected nodes at once"),
        ("delete_keep_wires", "Delete &Keeping Wires", edits.delete_keeping_wires, ["Ctrl+Delete"],
         "Delete the selected nodes; what a single-input node fed is wired to its input instead"),
    ]
    for name, text, slot, keys, tip in entries:
        action = make_action(window, name, text, slot, keys, tip)
        canvas_only(action, canvas)
        edit_menu.addAction(action)


def canvas_only(action, canvas):
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    canvas.addAction(action)
