"""A read-only, monospaced Python view with light syntax colouring; the code preview dock and the Export
Python dialog both show exported code in it."""

from __future__ import annotations

import keyword
import re

from PySide6.QtGui import QColor, QFont, QFontDatabase, QSyntaxHighlighter, QTextCharFormat
from PySide6.QtWidgets import QPlainTextEdit

from gui.theme import current_theme, theme, theme_manager

MAX_COLOURED_LINES = 3000


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
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(9.0)
        self.setFont(font)
        self.highlighter = PythonHighlighter(self.document(), current_theme().name)
        theme_manager().changed.connect(self.highlighter.set_theme)

    def show_code(self, text: str, wrap: bool = False):
        """Replace the text, keeping the scroll position (the code changes under a person reading it). Code
        is never wrapped (its lines mean something); error messages are, to fit the pane."""
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if wrap
                             else QPlainTextEdit.LineWrapMode.NoWrap)
        if text == self.toPlainText():
            return
        scroll = self.verticalScrollBar().value()
        # Colouring runs on every line at once when the text is set: a script of 10,000 layers would hold the
        # window for a good part of a second, so a long one is shown plain.
        coloured = text.count("\n") <= MAX_COLOURED_LINES
        if not coloured and self.highlighter.document() is not None:
            self.highlighter.setDocument(None)
        self.setPlainText(text)
        if coloured and self.highlighter.document() is None:
            self.highlighter.setDocument(self.document())
        self.verticalScrollBar().setValue(scroll)
