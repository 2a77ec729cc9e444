"""Find node (Ctrl+F): a small bar over the canvas's top edge. Typing finds nodes by id or layer type; Enter
(or F3) goes to the next match, Shift+Enter to the previous, cycling; each match is selected and centred.
Esc closes the bar and gives the keyboard back to the canvas."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton

from builder.layout.align import find_nodes

MARGIN = 10


class FindBar(QFrame):
    def __init__(self, view):
        super().__init__(view)
        self.view, self.controller = view, view.controller
        self.setObjectName("canvasFindBar")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find node by id or layer…")
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(220)
        self.count = QLabel("", self)
        self.count.setMinimumWidth(60)
        previous, following, close = (QToolButton(self) for _ in range(3))
        for button, text, tip, slot in ((previous, "▲", "Previous match (Shift+Enter)", self.previous),
                                        (following, "▼", "Next match (Enter)", self.next),
                                        (close, "✕", "Close (Esc)", self.close_bar)):
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        for widget in (self.field, self.count, previous, following, close):
            layout.addWidget(widget)
        self.matches: list[str] = []
        self.current = -1
        self.field.textChanged.connect(self._search)
        self.field.installEventFilter(self)
        self.hide()

    def open(self):
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self.field.setFocus()
        self.field.selectAll()
        if self.field.text():
            self._search(self.field.text())

    def _place(self):
        self.move(self.view.viewport().width() - self.width() - MARGIN, MARGIN)

    def close_bar(self):
        self.hide()
        self.view.setFocus()

    def find(self, text: str) -> list[str]:
        """Search for text (as typing does) and go to the first match; returns the matches."""
        self.field.setText(text)
        return list(self.matches)

    def _search(self, text: str):
        self.matches = find_nodes(self.controller.doc, text)
        self.current = -1
        if self.matches:
            self.next()
        else:
            self.count.setText("no match" if text.strip() else "")

    def next(self):
        self._step(+1)

    def previous(self):
        self._step(-1)

    def _step(self, step: int):
        # The document may have changed since the search (a node renamed or deleted): search again.
        self.matches = [n for n in self.matches if n in self.controller.doc] or \
            find_nodes(self.controller.doc, self.field.text())
        if not self.matches:
            self.count.setText("no match" if self.field.text().strip() else "")
            return
        self.current = (self.current + step) % len(self.matches)
        node = self.matches[self.current]
        self.controller.select([node])
        self.view.center_on_node(node)
        self.count.setText(f"{self.current + 1} of {len(self.matches)}")

    def eventFilter(self, watched, event):
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F3):
                shifted = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.previous() if shifted else self.next()
                return True
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
