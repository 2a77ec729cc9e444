"""Help: Keyboard Shortcuts (a table of every menu shortcut and the canvas's own keys) and About."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

from gui.menus.actions import make_action, person_keys

# Keys the canvas handles itself (not menu actions), shown with the menus' shortcuts.
CANVAS_KEYS = [
    ("Tab, or double-click empty canvas", "Search for a layer to add"),
    ("Drag from a port to a port", "Connect; drop on empty canvas to add a wired layer"),
    ("Drag a node onto a wire", "Insert it between the wire's ends"),
    ("F", "Fit the graph to the view (whenever no text field is being edited)"),
    ("Right-click a node, a wire or the canvas", "What can be done there: rename, insert, paste, layout…"),
    ("Space + drag, or middle drag", "Pan"),
    ("Wheel", "Zoom around the cursor"),
    ("Esc", "Cancel a wire being dragged, or clear the selection"),
    ("Enter / Shift+Enter in Find", "Next / previous match"),
]

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
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in person_keys(action.shortcuts()))
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
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.close)
    layout.addWidget(buttons)
    dialog.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
    dialog.resize(560, 620)
    dialog.show()
    window.shortcuts_dialog = dialog
    return dialog
