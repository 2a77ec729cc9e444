"""The action factory every menu uses: `make_action` builds a QAction with its text, shortcuts, tip and slot, and
keeps it in `window.actions_by_name`, so tests and the keyboard user reach the same entries by name (and
Help > Keyboard Shortcuts lists them in menu order)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit

Key = QKeySequence.StandardKey


def standard_bindings(key) -> list[QKeySequence]:
    """The platform's keys for a standard action (looked up here, so a test can stand in another platform's)."""
    return QKeySequence.keyBindings(key)


def make_action(window, name, text, slot=None, shortcuts=(), tip="", checkable=False) -> QAction:
    """A QAction named `name` in window.actions_by_name; `shortcuts` may mix standard keys and key strings."""
    action = QAction(text, window)
    keys = []
    for key in shortcuts:
        keys.extend(person_keys(standard_bindings(key)) if isinstance(key, Key) else [QKeySequence(key)])
    action.setShortcuts(unique_shortcuts(keys))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.setCheckable(checkable)
    if slot is not None:
        (action.toggled if checkable else action.triggered).connect(slot)
    window.actions_by_name[name] = action
    return action


# Keys of special keyboards and legacy terminals that a platform's standard bindings add (F14 for Undo, a "Copy"
# key, Ctrl+D for Delete on X11, Shift+Del for Cut): listed they confuse, and some collide with our own keys.
_DEVICE_KEY_NAMES = {"Save", "Undo", "Redo", "Cut", "Copy", "Paste", "Find", "Open", "New", "Close", "Help", "Forward",
                     "Back", "Refresh"}
_LEGACY_SEQUENCES = {"Ctrl+D", "Shift+Del", "Ctrl+Ins", "Shift+Ins", "Alt+Backspace", "Shift+Alt+Backspace"}


def person_keys(sequences) -> list[QKeySequence]:
    """The sequences a person would press: without F13-F35, device keys and the legacy alternatives above."""
    kept = []
    for sequence in sequences:
        text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
        last = text.rsplit("+", 1)[-1]
        if last in _DEVICE_KEY_NAMES or text in _LEGACY_SEQUENCES:
            continue
        if last.startswith("F") and last[1:].isdigit() and int(last[1:]) > 12:
            continue
        kept.append(sequence)
    return kept


def unique_shortcuts(sequences) -> list[QKeySequence]:
    """The sequences in order, without empty ones and repeats (a platform's standard keys often repeat ours)."""
    kept = []
    for sequence in sequences:
        if not sequence.isEmpty() and sequence not in kept:
            kept.append(sequence)
    return kept


def canvas_only(action, canvas):
    """Keys of canvas edits (Delete, Ctrl+C, Ctrl+D, F, ...) work whenever the window is active and no text field
    is being edited, whatever has focus after a menu command or a click on a dock. A text field (the inspector's,
    the find bar's, a spin box) claims its own editing keys first (Qt's ShortcutOverride), so the same keys keep
    editing text there; `text_field_has_focus` guards the keys a field would not claim."""
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    canvas.addAction(action)


def text_field_has_focus() -> bool:
    """Whether a person is typing in a text field (a line edit, a spin box, an editable combo, a text editor)."""
    focus = QApplication.focusWidget()
    if focus is None:
        return False
    if isinstance(focus, (QLineEdit, QAbstractSpinBox)):
        return True
    if isinstance(focus, QComboBox):
        return focus.isEditable()
    if isinstance(focus, (QTextEdit, QPlainTextEdit)):
        return not focus.isReadOnly()
    return False


def unless_typing(slot):
    """A slot that does nothing while a text field has focus (its key then belongs to the field)."""
    def guarded(*_args):
        if not text_field_has_focus():
            slot()
    return guarded
