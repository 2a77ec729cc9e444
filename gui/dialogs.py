"""Every question the window asks a person, behind small methods that tests replace.

Message boxes and file dialogs are modal: a test that reached one would hang. So the window never calls
QMessageBox or QFileDialog directly; it calls these methods, and a test swaps in answers
(see tests/gui/fakes.py) instead of clicking.
"""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

PROJECT_FILTER = "Keras Canvas projects (*.json);;All files (*)"
PYTHON_FILTER = "Python scripts (*.py)"
KERAS_FILTER = "Keras models (*.keras)"
MODEL_FILTER = ("Keras models (*.keras *.h5 *.hdf5 *.json);;Keras v3 files (*.keras);;Legacy HDF5 (*.h5 *.hdf5);;"
                "model.to_json() files (*.json);;All files (*)")


class Dialogs:
    def __init__(self, parent: QWidget | None = None):
        self.parent = parent

    def ask_save_changes(self, name: str) -> str:
        """'save', 'discard' or 'cancel'."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"Save the changes to {name}?", parent=self.parent)
        box.setInformativeText("Your changes are lost if you don't save them.")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def open_path(self, directory: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, "Open project", directory, PROJECT_FILTER)
        return path or None

    def compare_path(self, directory: str = "") -> str | None:
        """A project file to compare this document with (File > Compare With File…)."""
        path, _ = QFileDialog.getOpenFileName(self.parent, "Compare with", directory, PROJECT_FILTER)
        return path or None

    def import_path(self, directory: str = "") -> str | None:
        """A Keras model file to import (File > Import…)."""
        path, _ = QFileDialog.getOpenFileName(self.parent, "Import Keras model", directory, MODEL_FILTER)
        return path or None

    def save_path(self, title: str, suggested: str, file_filter: str, suffix: str) -> str | None:
        """A path to write, with `suffix` added when the person left it out."""
        path, _ = QFileDialog.getSaveFileName(self.parent, title, suggested, file_filter)
        if not path:
            return None
        return path if path.endswith(suffix) else path + suffix

    def error(self, title: str, message: str):
        """The first line as the headline; the rest (one problem per line) as a list below it."""
        headline, _, rest = message.partition("\n")
        box = QMessageBox(QMessageBox.Icon.Critical, title, headline, parent=self.parent)
        problems = [line.strip().lstrip("•").strip() for line in rest.splitlines() if line.strip()]
        if problems:
            box.setInformativeText("\n".join(f"• {p}" for p in problems))
        box.exec()

    def info(self, title: str, message: str):
        QMessageBox.information(self.parent, title, message)

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        """A line of text, starting from `text`; None when cancelled."""
        answer, ok = QInputDialog.getText(self.parent, title, label, text=text)
        return answer if ok else None

    def ask_colour(self, title: str, initial: str) -> str | None:
        """A colour as '#rrggbb', starting from `initial`; None when cancelled."""
        colour = QColorDialog.getColor(QColor(initial), self.parent, title)
        return colour.name() if colour.isValid() else None

    def ask_detach(self, message: str, block: str) -> bool:
        """An edit inside one use of a block that the other uses cannot follow: detach that use and make it there
        (True), or leave everything as it is."""
        answer = QMessageBox.question(self.parent, "Change only this use?",
                                      f"{message[:1].upper()}{message[1:]}.\n\nDetach {block} into its own copy (its "
                                      "own weights, no longer changed with the other uses) and make the change there?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def ask_restore(self, message: str) -> bool:
        """After a crash: restore the autosaved changes (True) or discard them."""
        answer = QMessageBox.question(self.parent, "Restore unsaved changes", message,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes
