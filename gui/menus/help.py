"""Help: Keyboard Shortcuts (a table of every menu shortcut and the canvas's own keys) and About."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

from gui.menus.actions import make_action

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


def build_help_menu(window, bar):
    menu = bar.addMenu("&Help")
    menu.addAction(make_action(window, "shortcuts", "&Keyboard Shortcuts", lambda: show_shortcuts(window),
                               ["F1", "Ctrl+/"], "List every keyboard shortcut"))
    menu.addAction(make_action(window, "about", "&About Keras Canvas", window.show_about))
    return menu


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
