"""Menu entries for the canvas's power edits (clipboard, delete keeping wires, find, align, frames, export,
minimap) and Help > Shortcuts. Kept apart from menus.py so that file stays about the menu bar itself.

Canvas-only keys (Ctrl+C, Ctrl+D, ...) work while the canvas has focus, so the same keys keep editing text
in the inspector's fields and in the find bar.
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
    # The canvas itself, not its children: keys typed in the find bar over it must not edit the graph.
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    canvas.addAction(action)


ALIGN_ENTRIES = [
    ("left", "Align &Left", "Ctrl+Alt+Left"),
    ("right", "Align &Right", "Ctrl+Alt+Right"),
    ("top", "Align &Top", "Ctrl+Alt+Up"),
    ("bottom", "Align &Bottom", "Ctrl+Alt+Down"),
    ("centre_x", "Align &Centres Vertically", "Ctrl+Alt+C"),
    ("centre_y", "Align Centres &Horizontally", "Ctrl+Alt+M"),
]


def add_arrange_actions(window, edit_menu, make_action):
    canvas = window.canvas
    edit_menu.addAction(make_action(window, "find", "&Find Node…", canvas.find_node, [Key.Find, "Ctrl+F"],
                                    "Find nodes by id or layer type; Enter goes to the next match"))
    arrange = edit_menu.addMenu("A&lign and Distribute")
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


def add_frame_actions(window, edit_menu, make_action):
    canvas = window.canvas
    action = make_action(window, "frame", "&Frame Selection", lambda: canvas.edits.frame_selection(),
                         ["Ctrl+Shift+G"], "Draw a titled frame behind the selected nodes; drag its title to move "
                         "them together, double-click it to rename, right-click it to recolour")
    canvas_only(action, canvas)
    edit_menu.addAction(action)


def add_export_image_actions(window, file_menu, make_action):
    for suffix, label, key in ((".png", "Export Image as &PNG…", "Ctrl+Shift+P"),
                               (".svg", "Export Image as S&VG…", "Ctrl+Shift+V")):
        file_menu.addAction(make_action(window, f"export_image_{suffix[1:]}", label,
                                        lambda _=False, s=suffix: export_canvas_image(window, s), [key],
                                        "Save a picture of the graph (of the selected nodes when some are "
                                        "selected), with shapes and parameter counts, for papers and slides"))


def export_canvas_image(window, suffix: str, path: str | None = None) -> str | None:
    from gui.canvas.image_export import export_image

    scene = window.canvas.canvas_scene
    selection_only = bool(scene.selected_node_ids())
    kind = "SVG drawings (*.svg)" if suffix == ".svg" else "PNG images (*.png)"
    suggested = f"{window.files.display_name.rsplit('.', 1)[0]}{suffix}"
    path = path or window.dialogs.save_path("Export Image", suggested, kind, suffix)
    if not path:
        return None
    try:
        export_image(scene, path, selection_only)
    except (ValueError, OSError) as exc:
        window.dialogs.error("Export Image", str(exc))
        return None
    what = "the selected nodes" if selection_only else "the whole graph"
    window.status.show_info(f"Exported {what} to {path}")
    return path


def add_view_actions(window, view_menu, make_action):
    canvas = window.canvas
    minimap = make_action(window, "minimap", "&Minimap", canvas.minimap.setVisible, ["Ctrl+Shift+M"],
                          "Show an overview of the whole graph in the corner; click or drag it to pan",
                          checkable=True)
    minimap.setChecked(True)
    view_menu.addAction(minimap)
    from gui.menus_theme import add_theme_menu

    add_theme_menu(window, view_menu, make_action)


def add_help_actions(window, help_menu, make_action):
    help_menu.addAction(make_action(window, "shortcuts", "&Keyboard Shortcuts", lambda: show_shortcuts(window),
                                    ["F1", "Ctrl+/"], "List every keyboard shortcut"))


# Keys the canvas handles itself (not menu actions), shown with the menus' shortcuts.
CANVAS_KEYS = [
    ("Tab, or double-click empty canvas", "Search for a layer to add"),
    ("Drag from a port to a port", "Connect; drop on empty canvas to add a wired layer"),
    ("Drag a node onto a wire", "Insert it between the wire's ends"),
    ("F", "Fit the graph to the view"),
    ("Space + drag, or middle drag", "Pan"),
    ("Wheel", "Zoom around the cursor"),
    ("Esc", "Cancel a wire being dragged, or clear the selection"),
    ("Enter / Shift+Enter in Find", "Next / previous match"),
]


# Keys of special keyboards (a "Copy" key) that the platform's standard bindings add: listed, they only confuse.
_DEVICE_KEYS = {"Save", "Undo", "Redo", "Cut", "Copy", "Paste", "Find", "Open", "New", "Close", "Help", "Forward",
                "Back", "Refresh"}


def shortcut_rows(window) -> list[tuple[str, str]]:
    """(keys, what they do) for every menu action with a shortcut, then the canvas's own keys."""
    rows = []
    for action in window.actions_by_name.values():
        shown = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
        keys = ", ".join(k for k in shown if k.rsplit("+", 1)[-1] not in _DEVICE_KEYS)
        if keys:
            rows.append((keys, action.text().replace("&", "").rstrip("…")))
    return rows + CANVAS_KEYS


def show_shortcuts(window):
    """A non-modal table of every shortcut (it stays open beside the canvas while one learns them)."""
    from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

    rows = shortcut_rows(window)
    dialog = QDialog(window)
    dialog.setWindowTitle("Keyboard Shortcuts")
    table = QTableWidget(len(rows), 2, dialog)
    table.setHorizontalHeaderLabels(["Keys", "Action"])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for row, (keys, text) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(keys))
        table.setItem(row, 1, QTableWidgetItem(text))
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.resizeRowsToContents()
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    dialog.resize(560, 620)
    dialog.show()
    window.shortcuts_dialog = dialog
    return dialog
