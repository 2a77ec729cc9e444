"""A read-only, monospaced Python view with light syntax colouring; the code preview dock and the Export
Python dialog both show exported code in it.

A long script (10,000 layers: 10,000 lines) is put in the view in pieces of SLICE_LINES lines, one per turn of
the event loop: setting it at once held the window for a tenth of a second or more (issue 18). `text()` is
the whole script from the start, whatever the view shows yet."""

from __future__ import annotations

import keyword
import re

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from gui.theme import current_theme, theme, theme_manager

MAX_COLOURED_LINES = 3000
SLICE_LINES = 1000  # about 10-20 ms of layout (and colouring) per piece on this kind of machine


def _format(color: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    return fmt


class PythonHighlighter(QSyntaxHighlighter):
    """Enough colour to read exported code at a glance: keywords, strings, numbers, comments. Exported code
    has no multi-line strings except the one-line docstring, so a per-line pass is exact. The colours are the
    theme's (WindowPalette.code in gui/theme/window_palette.py), each readable on that theme's text background."""

    PATTERNS = (
        (re.compile(r"\b(" + "|".join(keyword.kwlist) + r")\b"), "keyword", True, False),
        (re.compile(r"\b(keras|layers)\b"), "module", False, False),
        (re.compile(r"\b-?\d+(\.\d+)?([eE]-?\d+)?\b"), "number", False, False),
        (re.compile(r'"[^"\\]*(\\.[^"\\]*)*"'), "string", False, False),
        (re.compile(r"#.*$"), "comment", False, True),
    )

    def __init__(self, document, name: str = "light"):
        super().__init__(document)
        self.theme = ""
        self.rules: list = []
        self.set_theme(name)

    def set_theme(self, name: str):
        if name == self.theme:
            return
        self.theme = name
        colours = theme(name).window.code
        self.rules = [(pattern, _format(colours[role], bold, italic)) for pattern, role, bold, italic in self.PATTERNS]
        self.rehighlight()

    def highlightBlock(self, text: str):
        for pattern, fmt in self.rules:
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), fmt)


class CodeView(QPlainTextEdit):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)  # the pieces of a long script must not pile up as undo steps
        self._text = ""
        self._pieces: list[str] = []  # what is still to be added (popped from the end)
        self._scroll = 0
        self._next_piece = QTimer(self)
        self._next_piece.setSingleShot(True)
        self._next_piece.setInterval(0)
        self._next_piece.timeout.connect(self._add_piece)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(9.0)
        self.setFont(font)
        self.highlighter = PythonHighlighter(self.document(), current_theme().name)
        theme_manager().changed.connect(self.highlighter.set_theme)

    def text(self) -> str:
        """The whole text last shown (a long one may still be going into the view, piece by piece)."""
        return self._text

    @property
    def filling(self) -> bool:
        """Whether pieces of a long text are still to be added."""
        return bool(self._pieces)

    def show_code(self, text: str, wrap: bool = False):
        """Replace the text, keeping the scroll position (the code changes under a person reading it). Code
        is never wrapped (its lines mean something); error messages are, to fit the pane."""
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if wrap
                             else QPlainTextEdit.LineWrapMode.NoWrap)
        if text == self._text:
            return
        if not self._pieces:  # (while pieces were being added, the position asked for then still holds)
            self._scroll = self.verticalScrollBar().value()
        self._text = text
        # Colouring runs on every line of the document when the theme changes: a script of 10,000 layers would
        # hold the window for half a second then, so a long one is shown plain.
        lines = text.splitlines(keepends=True)
        coloured = len(lines) <= MAX_COLOURED_LINES
        if not coloured and self.highlighter.document() is not None:
            self.highlighter.setDocument(None)
        pieces = ["".join(lines[i:i + SLICE_LINES]) for i in range(0, len(lines), SLICE_LINES)] or [""]
        self._pieces = pieces[:0:-1]
        self.setPlainText(pieces[0])
        if coloured and self.highlighter.document() is None:
            self.highlighter.setDocument(self.document())
        if self._pieces:
            self._next_piece.start()
        else:
            self.verticalScrollBar().setValue(self._scroll)

    def _add_piece(self):
        if not self._pieces:
            return
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(self._pieces.pop())
        if self._pieces:
            self._next_piece.start()
        else:
            self.verticalScrollBar().setValue(self._scroll)
