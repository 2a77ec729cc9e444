"""The status bar: messages on the left (canvas hints, refused edits, finished exports); on the right the
total parameters, the error count, a busy indicator while Keras builds, and whether Keras is loaded yet."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from builder.shapes import totals
from gui.style import set_status
from gui.workers import FAILED, LOADING, READY

MESSAGE_MS = 8000


class EditorStatusBar(QStatusBar):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.busy_label = QLabel()
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # indeterminate: a Keras build gives no progress to report
        self.busy_bar.setMaximumWidth(110)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.params_label = QLabel()
        self.errors_label = QLabel()
        self.keras_label = QLabel()
        for widget in (self.busy_label, self.busy_bar, self.params_label, self.errors_label, self.keras_label):
            self.addPermanentWidget(widget)
        self.set_busy(False)
        self.set_keras_state("not loaded", "Keras is imported in the background after the window opens")
        self.messageChanged.connect(self._message_cleared)

    def show_counts(self, results: dict):
        trainable, frozen = totals(results)
        errors = sum(1 for r in results.values() if r.error)
        self.params_label.setText(f"Params: {trainable + frozen:,}")
        self.params_label.setToolTip(f"Trainable {trainable:,}, non-trainable {frozen:,}")
        if errors:
            self.errors_label.setText(f"{errors} error" + ("s" if errors != 1 else ""))
            set_status(self.errors_label, "error", strong=True)
        else:
            self.errors_label.setText("No errors")
            set_status(self.errors_label, "ok")

    def set_keras_state(self, state: str, detail: str):
        text, kind = {
            LOADING: ("Keras: loading…", "muted"),
            READY: ("Keras: ready", "ok"),
            FAILED: ("Keras: unavailable", "error"),
        }.get(state, ("Keras: not loaded", "muted"))
        self.keras_label.setText(text)
        set_status(self.keras_label, kind)
        self.keras_label.setToolTip(detail)

    def set_busy(self, busy: bool, text: str = "Building the Keras model…"):
        self.busy_label.setText(text if busy else "")
        self.busy_label.setVisible(busy)
        self.busy_bar.setVisible(busy)

    def show_info(self, message: str):
        set_status(self, None)
        self.showMessage(message, MESSAGE_MS)

    def show_refusal(self, message: str):
        """A refused edit: the reason, in the warning colour, so it is not mistaken for a plain hint."""
        set_status(self, "warning")
        self.showMessage(message, MESSAGE_MS * 2)

    def _message_cleared(self, message: str):
        if not message:
            set_status(self, None)
