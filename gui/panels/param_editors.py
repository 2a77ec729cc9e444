"""One typed editor per builder.catalog.params.Param kind. An editor shows a value and emits `edited(value)` with what
the person entered; it never touches the document. The inspector validates the value with
`doc.check_param` and pushes the command, or shows the refusal next to the field.

Text that cannot even be read as a value (e.g. "abc" for a float) is reported through `unreadable(message)`.
`set_value` is for showing the document's value and never emits `edited`.
"""

from __future__ import annotations

import json
import re

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QToolButton, QWidget

from builder.catalog.params import MAX_DIM, Param

INT_LIMIT = 2**31 - 1  # QSpinBox holds a C int
MIN_FIELD_WIDTH = 56  # pixels: room for a few digits and the arrows


class ParamEditor(QWidget):
    edited = Signal(object)
    unreadable = Signal(str)

    def __init__(self, param: Param, parent=None):
        super().__init__(parent)
        self.param = param
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(4)

    def set_value(self, value):
        raise NotImplementedError

    def mark_invalid(self, invalid: bool):
        """Red frame on the input while its text is refused."""
        for widget in self.findChildren(QWidget):
            if isinstance(widget, (QLineEdit, QSpinBox)):
                widget.setProperty("invalid", invalid)
                widget.style().unpolish(widget)
                widget.style().polish(widget)


class GuardedSpinBox(QSpinBox):
    """A spin box that says why it refused what was typed (a letter, a minus sign where sizes are positive, a
    number past its bounds, an empty field) through `refused(message)`, instead of silently dropping it."""

    refused = Signal(str)

    def __init__(self, describe: str = "", parent=None):
        super().__init__(parent)
        self.describe = describe

    def _expected(self) -> str:
        return self.describe or f"an integer from {self.minimum()} to {self.maximum()}"

    def validate(self, text, pos):
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        if state == QValidator.State.Invalid:
            self.refused.emit(f"expected {self._expected()}, got {text.strip()[:40]!r}; the value stays "
                              f"{self.value()}")
        return result

    def fixup(self, text):
        shown = repr(text.strip()[:40]) if text.strip() else "an empty field"
        self.refused.emit(f"expected {self._expected()}, got {shown}; the value stays {self.value()}")
        return super().fixup(text)


def _spin(minimum: int, maximum: int, describe: str = "") -> GuardedSpinBox:
    spin = GuardedSpinBox(describe)
    spin.setRange(minimum, maximum)
    spin.setKeyboardTracking(False)  # one edit when the person is done typing, not one per digit
    spin.setAccelerated(True)
    # Qt sizes a spin box for its longest value (2,147,483,647): two of them side by side pushed the inspector
    # wider than its dock and clipped the reset buttons. The field grows with the dock instead.
    spin.setMinimumWidth(MIN_FIELD_WIDTH)
    return spin


class IntEditor(ParamEditor):
    def __init__(self, param, parent=None):
        super().__init__(param, parent)
        low = int(param.minimum) if param.minimum is not None else -INT_LIMIT
        high = int(min(param.maximum if param.maximum is not None else MAX_DIM, INT_LIMIT))
        self.spin = _spin(low, high, f"{param.describe()} (at most {high:,})")
        self.layout_.addWidget(self.spin, 1)
        self.spin.valueChanged.connect(self.edited.emit)
        self.spin.refused.connect(self.unreadable.emit)

    def set_value(self, value):
        with QSignalBlocker(self.spin):
            self.spin.setValue(int(value) if isinstance(value, int) else self.spin.minimum())


class AxisEditor(IntEditor):
    """An axis: negative counts from the end (-1 is the last axis, where Keras keeps channels)."""

    def __init__(self, param, parent=None):
        super().__init__(param, parent)
        self.spin.setRange(-64, 64)
        self.spin.describe = f"{param.describe()} from -64 to 64"


class LineEditor(ParamEditor):
    """A value typed as text and read when the field is left (or Enter is pressed). Subclasses say how a value
    is shown (`to_text`) and read (`parse`, which raises ValueError with the end of the refusal message)."""

    placeholder = ""

    def __init__(self, param, parent=None):
        super().__init__(param, parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText(self.placeholder_for(param))
        self.layout_.addWidget(self.line, 1)
        self.line.editingFinished.connect(self._commit)
        self._shown = ""

    def placeholder_for(self, param) -> str:
        return self.placeholder

    def to_text(self, value) -> str:
        raise NotImplementedError

    def parse(self, text: str):
        raise NotImplementedError

    def set_value(self, value):
        self._shown = self.to_text(value)
        self.line.setText(self._shown)

    def _commit(self):
        text = self.line.text().strip()
        if text == self._shown:
            return
        try:
            value = self.parse(text)
        except ValueError as exc:
            self.unreadable.emit(f"expected {self.param.describe()}{exc}")
            return
        self.edited.emit(value)


class FloatEditor(LineEditor):
    """A line edit rather than a spin box: rates and epsilons need exact values such as 1e-5."""

    def to_text(self, value) -> str:
        return "" if value is None else repr(value)

    def parse(self, text: str):
        try:
            return float(text)
        except ValueError:
            raise ValueError(f", got {text!r}") from None


class BoolEditor(ParamEditor):
    def __init__(self, param, parent=None):
        super().__init__(param, parent)
        self.check = QCheckBox()
        self.layout_.addWidget(self.check, 1)
        self.check.toggled.connect(self.edited.emit)

    def set_value(self, value):
        with QSignalBlocker(self.check):
            self.check.setChecked(bool(value))


class ChoiceEditor(ParamEditor):
    NONE_TEXT = "None"

    def __init__(self, param, parent=None):
        super().__init__(param, parent)
        self.combo = QComboBox()
        self.combo.setMaxVisibleItems(16)
        self.values = ([None] if param.nullable else []) + list(param.choices)
        for value in self.values:
            self.combo.addItem(self.NONE_TEXT if value is None else value)
        self.layout_.addWidget(self.combo, 1)
        self.combo.currentIndexChanged.connect(lambda index: self.edited.emit(self.values[index]))

    def set_value(self, value):
        with QSignalBlocker(self.combo):
            self.combo.setCurrentIndex(self.values.index(value) if value in self.values else -1)


class PairEditor(ParamEditor):
    """Height and width (kernel_size, strides, pool_size, dilation_rate). Linked, both move together and the
    value is stored as one int, as Keras code usually writes it; unlinked, it is a [height, width] list.
    A nullable pair (pooling strides) has an "auto" box for None."""

    def __init__(self, param, parent=None):
        super().__init__(param, parent)
        self.auto = None
        if param.nullable:
            self.auto = QCheckBox("auto")
            self.auto.setToolTip("None: Keras uses the same value as pool_size")
            self.layout_.addWidget(self.auto)
            self.auto.toggled.connect(self._auto_toggled)
        low = int(param.minimum) if param.minimum is not None else 1
        self.first = _spin(low, INT_LIMIT, f"an integer from {low} to {INT_LIMIT:,}")
        self.second = _spin(low, INT_LIMIT, f"an integer from {low} to {INT_LIMIT:,}")
        for spin in (self.first, self.second):
            spin.refused.connect(self.unreadable.emit)
        self.link = QToolButton()
        self.link.setCheckable(True)
        self.link.setChecked(True)
        self.link.setText("=")
        self.link.setToolTip("Linked: height and width change together")
        self.layout_.addWidget(self.first, 1)
        self.layout_.addWidget(QLabel("×"))
        self.layout_.addWidget(self.second, 1)
        self.layout_.addWidget(self.link)
        self.first.valueChanged.connect(self._first_changed)
        self.second.valueChanged.connect(self._second_changed)
        self.link.toggled.connect(self._link_toggled)

    @property
    def linked(self) -> bool:
        return self.link.isChecked()

    def set_value(self, value, shown_for_none=None):
        """shown_for_none: what Keras uses when the value is None (pooling strides: the pool size), shown
        greyed out so that unticking "auto" starts from it."""
        blockers = [QSignalBlocker(w) for w in (self.first, self.second, self.link, *filter(None, [self.auto]))]
        if value is None:
            if self.auto is not None:
                self.auto.setChecked(True)
            if shown_for_none is not None:
                height, width = self.param.expand(shown_for_none)
                self.first.setValue(height)
                self.second.setValue(width)
                self.link.setChecked(height == width)
        else:
            if self.auto is not None:
                self.auto.setChecked(False)
            height, width = self.param.expand(value)
            self.first.setValue(height)
            self.second.setValue(width)
            self.link.setChecked(height == width)
        self._enable()
        del blockers

    def value(self):
        if self.auto is not None and self.auto.isChecked():
            return None
        if self.linked:
            return self.first.value()
        return [self.first.value(), self.second.value()]

    def _enable(self):
        on = self.auto is None or not self.auto.isChecked()
        for widget in (self.first, self.second, self.link):
            widget.setEnabled(on)
        self.link.setToolTip("Linked: height and width change together" if self.linked
                             else "Not linked: height and width are set separately")

    def _first_changed(self, value):
        if self.linked:
            with QSignalBlocker(self.second):
                self.second.setValue(value)
        self.edited.emit(self.value())

    def _second_changed(self, value):
        if self.linked:
            with QSignalBlocker(self.first):
                self.first.setValue(value)
        self.edited.emit(self.value())

    def _link_toggled(self, linked):
        self._enable()
        if linked and self.first.value() != self.second.value():
            with QSignalBlocker(self.second):
                self.second.setValue(self.first.value())
            self.edited.emit(self.value())

    def _auto_toggled(self, _checked):
        self._enable()
        self.edited.emit(self.value())


class ShapeEditor(LineEditor):
    """A list of sizes typed as text, e.g. `28, 28, 1`; `None` for a size that varies (Input), `-1` for the one
    size Reshape computes. Brackets are optional."""

    def placeholder_for(self, param) -> str:
        return "28, 28, 1   (None: any size)" if param.kind == "shape" else "7, 7, 64   (one -1 is computed)"

    def to_text(self, value) -> str:
        return shape_to_text(value)

    def parse(self, text: str):
        if not text.strip("[]() "):
            raise ValueError("; the field is empty")
        try:
            return parse_sizes(text)
        except ValueError as exc:
            raise ValueError(f"; {exc}") from None


class TextValueEditor(LineEditor):
    """Any other kind (paddings such as [[1, 1], [2, 2]], axis orders): the value typed as JSON text, read with
    json (never evaluated); the document checks it like every other value."""

    def placeholder_for(self, param) -> str:
        return param.describe()

    def to_text(self, value) -> str:
        return "" if value is None else json.dumps(value)

    def parse(self, text: str):
        try:
            return json.loads(text, parse_constant=_no_constant)
        except ValueError:
            raise ValueError(f", got {text[:40]!r}") from None


def _no_constant(name):
    raise ValueError(name)


def shape_to_text(value) -> str:
    if not isinstance(value, (list, tuple)):
        return ""
    return ", ".join("None" if v is None else str(v) for v in value)


_NONE_WORDS = {"none", "null", "?"}


def parse_sizes(text: str) -> list:
    """'28, 28, 1' or '[None, 10]' -> a list of ints and Nones; raises ValueError naming the bad part."""
    inner = text.strip().strip("[]()").strip()
    if not inner:
        return []
    sizes = []
    for part in re.split(r"[,\s]+", inner):
        if not part:
            continue
        if part.lower() in _NONE_WORDS:
            sizes.append(None)
            continue
        try:
            sizes.append(int(part))
        except ValueError:
            raise ValueError(f"{part!r} is not a size") from None
    return sizes


EDITORS = {"int": IntEditor, "axis": AxisEditor, "float": FloatEditor, "bool": BoolEditor,
           "choice": ChoiceEditor, "ints": PairEditor, "shape": ShapeEditor, "target": ShapeEditor}


class SizeEditor(IntEditor):
    """A one-dimensional size (Conv1D's kernel_size, strides, pool_size): one spin box; None (pooling strides
    "the same as pool_size") shows as the lowest value and is typed over."""

    def __init__(self, param, parent=None):
        super().__init__(param, parent)
        low = int(param.minimum) if param.minimum is not None else 1
        self.spin.setRange(low, INT_LIMIT)
        self.spin.describe = f"an integer from {low} to {INT_LIMIT:,}"

    def set_value(self, value, shown_for_none=None):
        if value is None:
            value = shown_for_none
        if isinstance(value, (list, tuple)) and value:
            value = value[0]
        super().set_value(value)


def editor_for(param: Param, parent=None) -> ParamEditor:
    if param.kind == "layer":  # a wrapper's layer and its params (it builds editors of its own with this function)
        from gui.panels.wrapped_layer_editor import WrappedLayerEditor

        return WrappedLayerEditor(param, parent)
    if param.kind == "ints" and param.length != 2:
        return (SizeEditor if param.length == 1 else TextValueEditor)(param, parent)
    return EDITORS.get(param.kind, TextValueEditor)(param, parent)
