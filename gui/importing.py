"""File > Import…: open a Keras model (.keras, legacy .h5, model.to_json() JSON) as a new unsaved document.

Importing loads TensorFlow and the model, which takes seconds, so it runs in the Keras worker process
(gui/keras_service/); the worker sends back the project as JSON text, which is parsed here like any project
file. If Keras crashes on the file, the window stays and the message says so. Unsaved changes are offered for saving before the import starts, and
again when it ends if the person edited meanwhile. A refused model (a Lambda layer, a custom object, an
unreadable file, a shared layer) gets a dialog naming the file and, in the importer's message, the layer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from builder.files.project import ProjectError, parse
from gui.files import MAX_WINDOW_NODES, too_large_message


class ImportManager(QObject):
    status = Signal(str)
    imported = Signal(str)  # the model file now open in the editor

    def __init__(self, files, dialogs, keras_service, parent=None):
        super().__init__(parent)
        self.files, self.dialogs, self.keras = files, dialogs, keras_service
        self._edited_meanwhile = False  # the person changed the document while the import ran
        files.controller.edited.connect(self._note_edit)
        self.keras.import_finished.connect(self._on_finished)
        self.keras.import_failed.connect(self._on_failed)
        self.keras.cancelled.connect(self._on_cancelled)

    def import_model(self) -> bool:
        """Ask which file, then import it. False if nothing was started."""
        path = self.dialogs.import_path(self.files.last_dir("imports"))
        return self.import_path(path) if path else False

    def import_path(self, path) -> bool:
        path = Path(path)
        if self.keras.busy:
            self.status.emit(f"Keras is busy ({self.keras.busy_text.rstrip('…')}); import {path.name} when it "
                             "has finished")
            return False
        if not self.files.maybe_save():
            return False
        self._edited_meanwhile = False  # saved, or the person chose to discard: ask again only after new edits
        self.keras.import_model(str(path))  # the status bar's busy label says so, with progress and Cancel
        return True

    def _on_finished(self, info: dict):
        path = Path(info["path"])
        if info["nodes"] > MAX_WINDOW_NODES:
            self._refuse(path, too_large_message(info["nodes"], f"python main.py import {path.name} -o "
                                                                f"{path.stem}.json, then check, export or build"))
            return
        try:
            graph = parse(info["text"], str(path))
        except ProjectError as exc:  # the importer writes valid projects; say so plainly if one is not
            self._refuse(path, str(exc))
            return
        if self._edited_meanwhile and not self.files.maybe_save():  # ask again before replacing new edits
            self.status.emit(f"The import of {path.name} was put aside: the open document was kept")
            return
        self.files.open_imported(graph, path)
        self.status.emit(f"Imported {path.name}: {info['nodes']:,} nodes in {info['seconds']:.1f} s; save it as a "
                         "project to keep it")
        self.imported.emit(str(path))

    def _note_edit(self, edit):
        if edit.undo_step:  # not opening a document, nor a Keras shape the app stored
            self._edited_meanwhile = True

    def _on_cancelled(self, doing: str):
        if doing.startswith("importing"):
            self.status.emit(f"Cancelled {doing}; the open document was kept")

    def _on_failed(self, path: str, message: str):
        # The dialog names the file in its headline; the command line's form starts with the whole path.
        self._refuse(Path(path), message.removeprefix(f"{path}: "))

    def _refuse(self, path: Path, message: str):
        self.status.emit(f"Cannot import {path.name}; see the message")
        self.dialogs.error(f"Cannot import {path.name}", f"{path.name} cannot be imported:\n{message}")
