"""Export Python (a dialog: style, preview, save) and Export .keras (the build runs in the Keras worker process,
gui/keras_service/; the window stays responsive and shows progress with Cancel; failures, a crash of the
worker included, are reported, never raised). Both files are written atomically."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout

from builder.catalog.ops.forms import DIFFERENCE
from builder.files.atomic_file import write_text
from builder.files.project import dumps
from builder.keras.code_export import STYLES
from builder.keras.plan import ModelError, make_plan
from gui.code_view import CodeView
from gui.dialogs import KERAS_FILTER, PYTHON_FILTER
from gui.panels.code_preview import STYLE_HELP, STYLE_LABELS, code_or_errors


class ExportPythonDialog(QDialog):
    """Shows the script in the chosen style; Save asks where and writes it. Non-blocking (opened with
    `open()`), so tests drive it like any widget."""

    saved = Signal(str)  # the path written

    def __init__(self, controller, dialogs, suggested_path: str, style: str, parent=None):
        super().__init__(parent)
        self.controller, self.dialogs, self.suggested_path = controller, dialogs, suggested_path
        self.setWindowTitle("Export Python")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Style"))
        self.style_combo = QComboBox()
        for name in STYLES:
            self.style_combo.addItem(f"{name}: {STYLE_LABELS[name]}", name)
        self.style_combo.setCurrentIndex(max(0, self.style_combo.findData(style)))
        self.style_combo.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.style_combo)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.style_note = QLabel()  # what the chosen style makes of a merge, and what differs
        self.style_note.setWordWrap(True)
        layout.addWidget(self.style_note)
        self.view = CodeView()
        layout.addWidget(self.view, 1)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Save…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.copy_button = self.buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.clicked.connect(self.save)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.view.text()))
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.ok = False
        self.refresh()

    @property
    def style(self) -> str:
        return self.style_combo.currentData()

    def refresh(self):
        self.style_note.setText(f"{STYLE_HELP[self.style]} {DIFFERENCE}")
        text, self.ok = code_or_errors(self.controller.doc, self.style, self.controller.results)
        self.view.show_code(text, wrap=not self.ok)
        self.save_button.setEnabled(self.ok)
        self.copy_button.setEnabled(self.ok)

    def save(self) -> str | None:
        if not self.ok:
            return None
        path = self.dialogs.save_path("Export Python", self.suggested_path, PYTHON_FILTER, ".py")
        if not path:
            return None
        try:
            write_text(path, self.view.text())
        except OSError as exc:
            self.dialogs.error(f"Cannot write {Path(path).name}", str(exc))
            return None
        self.saved.emit(path)
        self.accept()
        return path


class ExportManager(QObject):
    status = Signal(str)

    def __init__(self, controller, dialogs, keras_service, files, parent_widget):
        super().__init__(parent_widget)
        self.controller, self.dialogs, self.keras, self.files = controller, dialogs, keras_service, files
        self.parent_widget = parent_widget
        self.python_dialog: ExportPythonDialog | None = None
        self.keras.build_finished.connect(self._on_build_finished)
        self.keras.build_failed.connect(self._on_build_failed)
        self.keras.cancelled.connect(self._on_cancelled)

    def export_python(self, style: str = "layer") -> ExportPythonDialog:
        if self.python_dialog is not None:
            self.python_dialog.close()
        dialog = ExportPythonDialog(self.controller, self.dialogs, self.files.suggested_path(".py", "exports"), style,
                                    self.parent_widget)
        dialog.saved.connect(lambda path: self.status.emit(f"Exported Python to {path} ({dialog.style} style)"))
        dialog.saved.connect(lambda path: self.files.remember_dir("exports", path))
        self.python_dialog = dialog
        dialog.open()
        return dialog

    def export_keras(self) -> bool:
        """Ask where, then build and save on the worker. False if nothing was started."""
        if self.keras.busy:
            self.status.emit("A Keras build is already running; wait for it to finish")
            return False
        try:
            make_plan(self.controller.doc)
        except ModelError as exc:
            self.dialogs.error("Cannot export the Keras model",
                               "The graph has errors:\n" + "\n".join(f"• {e}" for e in exc.errors))
            return False
        path = self.dialogs.save_path("Export Keras model", self.files.suggested_path(".keras", "exports"),
                                      KERAS_FILTER, ".keras")
        if not path:
            return False
        self.files.remember_dir("exports", path)
        self.keras.build_and_save(dumps(self.controller.doc.graph), path)  # busy label, progress and Cancel
        return True

    def _on_build_finished(self, info: dict):
        self.status.emit(f"Saved the Keras model to {info['path']}: {info['params']:,} params, "
                         f"{info['layers']} layers (built in {info['seconds']:.1f} s)")

    def _on_cancelled(self, doing: str):
        if doing.startswith("building"):
            self.status.emit(f"Cancelled {doing}; the file was not written")

    def _on_build_failed(self, message: str):
        self.status.emit("The Keras export failed; see the message")
        self.dialogs.error("The Keras export failed", message)
