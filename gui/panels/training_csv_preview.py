"""A CSV's preview in the Training dock, and its columns chosen there: the first rows under the column names and
what each column holds (int, float, text), the label column, and the feature columns (ticked; all but the label
by default). Shown only while the Data field names a .csv file. The preview is read by builder/keras/
training_csv.py (the csv module: no Keras, no numpy in the window's process).

`columns_chosen` carries {"label": name, "features": [names] or None} for the section; None is "every column but
the label", so a file that gains a column later still trains on all of them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from builder.keras.training_csv import CsvProblem, preview

KIND_TEXT = {"int": "integers", "float": "numbers", "text": "text", "empty": "empty"}


class CsvColumns(QWidget):
    columns_chosen = Signal(object)  # {"label": ..., "features": ...}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.path = ""
        self.columns: list[str] = []
        self.kinds: list[str] = []
        self._filling = False
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setMaximumHeight(150)
        self.table.verticalHeader().setVisible(False)
        self.label = QComboBox()
        self.label.setToolTip("The column the model learns to predict (text values become classes, sorted)")
        self.label.currentTextChanged.connect(self._label_changed)
        self.features = QListWidget()
        self.features.setToolTip("The columns the Input takes, in the file's order; untick those to leave out "
                                 "(text columns must be left out)")
        self.features.setMaximumHeight(110)
        self.features.itemChanged.connect(lambda _item: self._emit())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Label column", self.label)
        form.addRow("Features", self.features)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        self.hide()

    def show_file(self, source: str, label: str | None, features: list | None):
        """Preview `source` if it is a CSV file, with the label and features of the section ticked; hidden for
        any other data. A file that cannot be read says why here (training would refuse it the same way)."""
        if not source.lower().endswith(".csv"):
            self.path, self.columns = "", []
            self.hide()
            return
        self.show()
        self.path = source
        self._filling = True
        try:
            try:
                shown = preview(Path(source))
            except CsvProblem as exc:
                self.columns, self.kinds = [], []
                self.table.clear()
                self.table.setRowCount(0)
                self.table.setColumnCount(0)
                self.label.clear()
                self.features.clear()
                self.summary.setText(str(exc))
                return
            self.columns, self.kinds = shown["columns"], shown["kinds"]
            self._fill_table(shown)
            self.label.clear()
            self.label.addItems(self.columns)
            self.label.setCurrentText(label if label in self.columns else self._guess_label())
            self._fill_features(features)
        finally:
            self._filling = False
        self._describe()

    def _guess_label(self) -> str:
        """Until one is chosen: a column named like a label, else the last (where most files keep it)."""
        for name in self.columns:
            if name.lower() in ("label", "labels", "class", "target", "y"):
                return name
        return self.columns[-1]

    def _fill_table(self, shown: dict):
        self.table.clear()
        self.table.setColumnCount(len(self.columns))
        self.table.setRowCount(len(shown["rows"]))
        self.table.setHorizontalHeaderLabels([f"{c}\n{KIND_TEXT[k]}" for c, k in zip(self.columns, self.kinds)])
        for r, row in enumerate(shown["rows"]):
            for c, cell in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(cell))
        self.table.resizeColumnsToContents()

    def _fill_features(self, features: list | None):
        self.features.clear()
        label = self.label.currentText()
        for name, kind in zip(self.columns, self.kinds):
            if name == label:
                continue
            item = QListWidgetItem(f"{name}  ({KIND_TEXT[kind]})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = name in features if features is not None else kind != "text"
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.features.addItem(item)

    def _label_changed(self, _text):
        if self._filling:
            return
        self._filling = True
        try:
            self._fill_features([f for f in self.ticked() if f != self.label.currentText()] or None)
        finally:
            self._filling = False
        self._emit()

    def ticked(self) -> list[str]:
        return [self.features.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.features.count())
                if self.features.item(i).checkState() == Qt.CheckState.Checked]

    def label_column(self) -> str | None:
        return self.label.currentText() or None if self.columns else None

    def chosen(self) -> dict:
        """The section's label and features as the widgets show them (features None: all but the label)."""
        if not self.columns:
            return {}
        ticked = self.ticked()
        every = [c for c in self.columns if c != self.label.currentText()]
        return {"label": self.label_column(), "features": None if ticked == every else ticked}

    def set_ticked(self, names: list[str]):
        """Tick exactly these feature columns (the rest unticked): one edit."""
        self._filling = True
        try:
            for i in range(self.features.count()):
                item = self.features.item(i)
                wanted = item.data(Qt.ItemDataRole.UserRole) in names
                item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        finally:
            self._filling = False
        self._emit()

    def _emit(self):
        if self._filling:
            return
        self._describe()
        self.columns_chosen.emit(self.chosen())

    def _describe(self):
        if not self.columns:
            return
        ticked = self.ticked()
        text = [c for c in ticked if self.kinds[self.columns.index(c)] == "text"]
        line = f"{len(ticked)} feature column(s): the Input takes ({len(ticked)},)"
        if text:
            line += f". {', '.join(text)} hold text: untick them, only numbers can be features"
        self.summary.setText(line)
