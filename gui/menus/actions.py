"""The action factory every menu uses: `make_action` builds a QAction with its text, shortcuts, tip and slot, and
keeps it in `window.actions_by_name`, so tests and the keyboard user reach the same entries by name (and
Help > Keyboard Shortcuts lists them in menu order)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

Key = QKeySequence.StandardKey


def make_action(window, name, text, slot=None, shortcuts=(), tip="", checkable=False) -> QAction:
    """A QAction named `name` in window.actions_by_name; `shortcuts` may mix standard keys and key strings."""
    action = QAction(text, window)
    keys = []
    for key in shortcuts:
        keys.extend(QKeySequence.keyBindings(key) if isinstance(key, Key) else [QKeySequence(key)])
    action.setShortcuts(unique_shortcuts(keys))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.setCheckable(checkable)
    if slot is not None:
        (action.toggled if checkable else action.triggered).connect(slot)
    window.actions_by_name[name] = action
    return action


def unique_shortcuts(sequences) -> list[QKeySequence]:
    """The sequences in order, without empty ones and repeats (a platform's standard keys often repeat ours)."""
    kept = []
    for sequence in sequences:
        if not sequence.isEmpty() and sequence not in kept:
            kept.append(sequence)
    return kept


def canvas_only(action, canvas):
    """Keys of canvas-only edits (Ctrl+C, Ctrl+D, ...) work while the canvas itself has focus, so the same keys keep
    editing text in the inspector's fields and in the find bar over the canvas."""
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    canvas.addAction(action)
