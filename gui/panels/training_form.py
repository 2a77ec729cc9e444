"""The Training dock's settings: data (with a CSV's preview and its label and feature columns), optimizer,
learning rate, a loss and a metric per output, epochs, batch size, validation split, seed, image resizing.

Every change is an edit like any other: one SetTraining command (builder/editing/training_edit.py) pushed through
the controller, so it is one undo step, marks the project modified and is saved in its `training` section. The
fields follow the section: after an undo, a redo or opening another project they show what it holds.
"""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from builder.editing.training_edit import SetTraining
from builder.files.training_section import DEFAULTS, LOSSES, METRICS, OPTIMIZERS, training_of
from builder.model.order import model_outputs
from gui.panels.training_csv_preview import CsvColumns

SUGGESTED = "(suggested)"
# Up to this many outputs each has its own Loss and Metric pair; a model with more (a generated or imported one can
# have hundreds of heads) gets one pair and an Output chooser saying which output it sets: a pair per output would
# be a dock of a thousand combos, and making them froze the window for a second when such a model opened.
FEW_OUTPUTS = 8
NUMBERS = ("learning_rate", "epochs", "batch_size", "validation_split", "seed")


class TrainingForm(QWidget):
    def __init__(self, controller, dialogs, parent=None):
        super().__init__(parent)
        self.controller, self.dialogs = controller, dialogs
        self._loading = False
        self._last_section: dict = {}
        self.outputs: list[str] = []
        self.output_rows: dict[str, tuple[QComboBox, QComboBox]] = {}
        # With more than FEW_OUTPUTS outputs: the Output chooser and the one pair it sets (else None).
        self.output_picker: QComboBox | None = None
        self.picked_pair: tuple[QComboBox, QComboBox] | None = None
        self._build()
        controller.edited.connect(self._follow_document)
        self.load()

    def _build(self):
        self.data = QLineEdit("digits")
        self.data.setToolTip("digits (scikit-learn's bundled 8×8 digits, resized to the Input), a .npz, "
                             "X.npy,Y.npy, a .csv (choose its label and feature columns below) or a folder of "
                             "class sub-folders")
        self.data.editingFinished.connect(self._data_edited)
        self.browse = QPushButton("Browse…")
        self.browse.clicked.connect(self._browse)
        data_row = QHBoxLayout()
        data_row.addWidget(self.data, 1)
        data_row.addWidget(self.browse)
        self.csv = CsvColumns(self)
        self.csv.columns_chosen.connect(self._push)
        self.resize_images = QCheckBox("Resize images to the Input")
        self.resize_images.setToolTip("Images (.npz, .npy) of another height and width than the Input's are "
                                      "resized with Keras (bilinear) instead of refused")
        self.resize_images.toggled.connect(lambda on: self._push({"resize": True if on else None}))
        self.optimizer = _choices(list(OPTIMIZERS))
        self.optimizer.currentTextChanged.connect(lambda text: self._push({"optimizer": text}))
        self.learning_rate = QDoubleSpinBox(decimals=5, minimum=0.00001, maximum=10.0, singleStep=0.0005,
                                            value=0.001)
        self.epochs = QSpinBox(minimum=1, maximum=100_000, value=5)
        self.batch_size = QSpinBox(minimum=1, maximum=1_000_000, value=32)
        self.validation_split = QDoubleSpinBox(decimals=2, minimum=0.0, maximum=0.9, singleStep=0.05, value=0.2)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        for key in NUMBERS:
            box = getattr(self, key)
            box.setKeyboardTracking(False)  # one edit when the number is entered, not one per digit typed
            box.valueChanged.connect(lambda _value, key=key: self._push({key: self._value(key)}))
        self.losses = QGridLayout()
        self.losses.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.addRow("Data", data_row)
        form.addRow(self.csv)
        form.addRow(self.resize_images)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow(self.losses)
        form.addRow("Epochs", self.epochs)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Validation split", self.validation_split)
        form.addRow("Seed", self.seed)
        self.setLayout(form)

    # ---- the fields from the document ------------------------------------------------------------------------

    def _follow_document(self, edit=None):
        rebuilt = (getattr(edit, "wiring_changed", True) or getattr(edit, "reset", True)) and self._rebuild_outputs()
        if not self._loading and (rebuilt or self._section() != self._last_section):  # undo, redo, another project
            self.load(outputs_current=True)

    def _section(self) -> dict:
        return training_of(self.controller.doc.graph)

    def load(self, outputs_current: bool = False):
        """The fields from the document's training section (after opening a project, undo or redo).
        `outputs_current`: the output pairs were just matched to the document (listing the outputs of a large
        model is not free)."""
        self._loading = True
        try:
            section = self._section()
            if not outputs_current:
                self._rebuild_outputs()
            self.data.setText(str(section.get("data") or "digits"))
            self.optimizer.setCurrentText(section.get("optimizer", DEFAULTS["optimizer"]))
            for key in NUMBERS:
                getattr(self, key).setValue(section.get(key, DEFAULTS[key]) or 0)
            self.resize_images.setChecked(bool(section.get("resize")))
            for output, (loss, metric) in self.output_rows.items():
                loss.setCurrentText(_for_output(section.get("loss"), output) or SUGGESTED)
                metrics = _for_output(section.get("metrics"), output)
                metric.setCurrentText(metrics[0] if metrics else SUGGESTED)
            self._show_picked(section)
            self.csv.show_file(self.data.text().strip(), section.get("label"), section.get("features"))
            self._last_section = section
        finally:
            self._loading = False

    def _rebuild_outputs(self) -> bool:
        """One Loss and Metric pair per model output (under its name when there are several); True if the
        outputs changed and the pairs were made afresh."""
        outputs = model_outputs(self.controller.doc.graph)
        if outputs == self.outputs:
            return False
        self.outputs = outputs
        while self.losses.count():
            self.losses.takeAt(0).widget().deleteLater()
        self.output_rows.clear()
        self.output_picker = self.picked_pair = None
        if len(outputs) > FEW_OUTPUTS:
            self._build_picker(outputs)
            return True
        several = len(outputs) > 1
        row = 0
        for output in outputs or ["(no output)"]:
            if several:  # each output's name, then its loss and metric below it: the dock is narrow
                heading = QLabel(f"Output <b>{html.escape(output)}</b>")
                self.losses.addWidget(heading, row, 0, 1, 2)
                row += 1
            loss, metric = _choices([SUGGESTED, *LOSSES]), _choices([SUGGESTED, *METRICS])
            loss.setToolTip("(suggested): from the output layer and the labels, when training starts")
            for text, box in (("Loss", loss), ("Metric", metric)):
                self.losses.addWidget(QLabel(text), row, 0)
                self.losses.addWidget(box, row, 1)
                row += 1
            if outputs:
                self.output_rows[output] = (loss, metric)
                loss.currentTextChanged.connect(lambda _t, o=output: self._push(self._per_output("loss", o)))
                metric.currentTextChanged.connect(lambda _t, o=output: self._push(self._per_output("metrics", o)))
        self.losses.setColumnStretch(1, 1)
        return True

    def _build_picker(self, outputs: list[str]):
        """One Loss and Metric pair for the output chosen above it (see FEW_OUTPUTS)."""
        picker = self.output_picker = QComboBox()
        picker.addItems(outputs)
        picker.setToolTip(f"This model has {len(outputs):,} outputs: choose the one whose loss and metric the two "
                          "fields below set")
        picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        picker.setMinimumContentsLength(10)
        loss, metric = _choices([SUGGESTED, *LOSSES]), _choices([SUGGESTED, *METRICS])
        loss.setToolTip("(suggested): from the output layer and the labels, when training starts")
        self.picked_pair = (loss, metric)
        for row, (text, box) in enumerate((("Output", picker), ("Loss", loss), ("Metric", metric))):
            self.losses.addWidget(QLabel(text), row, 0)
            self.losses.addWidget(box, row, 1)
        self.losses.setColumnStretch(1, 1)
        picker.currentTextChanged.connect(lambda _t: self._show_picked(self._section()))
        loss.currentTextChanged.connect(lambda _t: self._push(self._per_output("loss", picker.currentText())))
        metric.currentTextChanged.connect(lambda _t: self._push(self._per_output("metrics", picker.currentText())))

    def _show_picked(self, section: dict):
        """The pair shows what the section holds for the output chosen (nothing to push: it is the section)."""
        if self.output_picker is None:
            return
        loading, self._loading = self._loading, True
        try:
            output = self.output_picker.currentText()
            loss, metric = self.picked_pair
            loss.setCurrentText(_for_output(section.get("loss"), output) or SUGGESTED)
            metrics = _for_output(section.get("metrics"), output)
            metric.setCurrentText(metrics[0] if metrics else SUGGESTED)
        finally:
            self._loading = loading

    # ---- the fields to the document --------------------------------------------------------------------------

    def _value(self, key: str):
        value = getattr(self, key).value()
        return round(value, 6 if key == "learning_rate" else 4) if isinstance(value, float) else value

    def _per_output(self, key: str, output: str) -> dict:
        """The section's loss or metrics once this output's combo changed: one value for a single output, an
        object by output id for several (None: every output back to its suggestion)."""
        section = self._section()

        def chosen(o):
            if o in self.output_rows:
                text = self.output_rows[o][0 if key == "loss" else 1].currentText()
            elif self.output_picker is not None and o == self.output_picker.currentText():
                text = self.picked_pair[0 if key == "loss" else 1].currentText()
            else:  # an output the chooser does not show now keeps what the section holds for it
                return _for_output(section.get(key), o)
            return None if text == SUGGESTED else (text if key == "loss" else [text])

        if len(self.outputs) == 1:
            return {key: chosen(output)}
        values = {o: chosen(o) for o in self.outputs if chosen(o) is not None}
        return {key: values or None}

    def _push(self, changes: dict):
        if self._loading:
            return
        section = self._section()
        changes = {k: v for k, v in changes.items() if section.get(k) != v}
        if changes:
            self._commit(changes)

    def _commit(self, changes: dict):
        self._loading = True  # the fields already show it: the edit's signal must not reload them
        try:
            self.controller.push(SetTraining(changes))
        finally:
            self._loading = False
        self._last_section = self._section()

    def _data_edited(self):
        text = self.data.text().strip()
        self._push({"data": text or None})
        self.csv.show_file(text, self._section().get("label"), self._section().get("features"))

    def _browse(self):
        path = self.dialogs.open_path("")
        if path:
            self.data.setText(path)
            self._data_edited()

    def _shown(self) -> dict:
        """What the fields say, as the section would hold it."""
        shown = {"data": self.data.text().strip() or None, "optimizer": self.optimizer.currentText(),
                 "resize": True if self.resize_images.isChecked() else None,
                 **{key: self._value(key) for key in NUMBERS}}
        if self.output_rows or self.output_picker is not None:
            first = self.outputs[0]
            shown.update(self._per_output("loss", first))
            shown.update(self._per_output("metrics", first))
        if self.csv.columns:  # a CSV file is previewed: its label and features are settings too
            shown.update(self.csv.chosen())
        return shown

    def sync(self):
        """Push what the fields show and the section does not hold yet (a field set by a program, or text still
        being typed) as one edit: the run trains on what the dock shows."""
        section = {**DEFAULTS, "data": "digits", **self._section()}  # what a section without them means
        changes = {k: v for k, v in self._shown().items()
                   if section.get(k) != v and not (v is None and k not in section)}
        if changes:
            self._commit(changes)

    def request_settings(self) -> dict:
        """The section as the worker's `train` request takes it (it adds the suggestions)."""
        return {k: v for k, v in self._section().items() if k not in ("data", "label")}


def _choices(items: list) -> QComboBox:
    """A combo that may be narrower than its longest name (sparse_categorical_crossentropy): the dock is narrow."""
    box = QComboBox()
    box.addItems(items)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(10)
    return box


def _for_output(value, output: str):
    return value.get(output) if isinstance(value, dict) else value
