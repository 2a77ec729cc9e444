"""The inspector with several nodes selected: the params they share (builder/editing/multi_edit.py), each showing
the common value or "mixed", and a change applied to every node as one undo step, refused as a whole (with the
refusing node named next to the field) if any node refuses it. Fixing three 'valid' branches is one selection and
one change of padding.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QVBoxLayout, QWidget

from builder.editing.multi_edit import MIXED, SetParamOnMany, is_set_anywhere, shared_params, shared_value, value_of
from builder.model.document import UNSET
from gui.panels.param_editors import BoolEditor, ChoiceEditor

MIXED_TEXT = "mixed"
SHOWN_VALUES = 6  # per-node values listed under a mixed field


class MultiParams(QWidget):
    """The shared params of `nodes`; `row_factory(param)` makes the same rows the one-node inspector shows."""

    entered = Signal()  # Enter pressed in a field (see Inspector.enter_pressed)

    def __init__(self, controller, row_factory, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.row_factory = row_factory
        self.nodes: list[str] = []
        self.rows = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setProperty("role", "hint")
        layout.addWidget(self.note)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(2)
        layout.addLayout(self.rows_box)

    def show_nodes(self, nodes: list[str]):
        doc = self.controller.doc
        nodes = [n for n in nodes if n in doc]
        params = shared_params(doc, nodes)
        if nodes != self.nodes or [r.param for r in self.rows.values()] != params:
            self.nodes = nodes
            self._build(params)
        layers = sorted({doc.layer(n) for n in nodes})
        self.title.setText(f"{len(nodes)} {layers[0]} nodes" if len(layers) == 1
                           else f"{len(nodes)} nodes: {', '.join(layers)}")
        if not params:
            self.note.setText("They share no parameters. Select nodes of one layer type, or of types that share "
                              "parameters such as activation or padding, to edit them together.")
        else:
            self.note.setText("A change applies to every selected node, as one undo step.")
        self.refresh()

    def _build(self, params):
        for row in self.rows.values():
            row.setParent(None)
            row.deleteLater()
        self.rows = {}
        for param in params:
            row = self.row_factory(param)
            row.editor.edited.connect(lambda value, row=row: self.commit(row, value))
            row.editor.unreadable.connect(row.show_message)
            row.entered.connect(self.entered)
            row.reset_button.clicked.connect(lambda _=False, row=row: self.commit(row, UNSET))
            if isinstance(row.editor, BoolEditor):
                # From "partly" (mixed) to checked, a check box does not toggle: follow its state instead.
                row.editor.check.stateChanged.connect(lambda _state, row=row: self._bool_changed(row))
            self.rows_box.addWidget(row)
            self.rows[param.name] = row

    def refresh(self, names=None):
        """Show each shared value (or mixed) again, after an edit or a change of selection."""
        doc = self.controller.doc
        self.nodes = [n for n in self.nodes if n in doc]
        if not self.nodes:
            return
        for name, row in self.rows.items():
            if names is not None and name not in names:
                continue
            value = shared_value(doc, self.nodes, name)
            row.name_label.setText(name)
            row.hint_label.setText(row.default_hint)
            if isinstance(row.editor, BoolEditor):
                row.editor.check.setTristate(False)
            if value is MIXED:
                self._show_mixed(row, name)
            else:
                row.show_value({name: value} if any(name in doc.params(n) for n in self.nodes) else {})
            row.reset_button.setEnabled(is_set_anywhere(doc, self.nodes, name) and not row.param.required)

    def _show_mixed(self, row, name: str):
        """The field shows no value of its own ("mixed"); the values are listed below it."""
        doc = self.controller.doc
        row.show_value({name: value_of(doc, self.nodes[0], name)})
        editor = row.editor
        if isinstance(editor, ChoiceEditor):
            combo: QComboBox = editor.combo
            combo.blockSignals(True)
            combo.setPlaceholderText(MIXED_TEXT)
            combo.setCurrentIndex(-1)
            combo.blockSignals(False)
        elif isinstance(editor, BoolEditor):
            check: QCheckBox = editor.check
            check.blockSignals(True)
            check.setTristate(True)
            check.setCheckState(check.checkState().PartiallyChecked)
            check.blockSignals(False)
        listed = ", ".join(f"{n} {value_of(doc, n, name)!r}" for n in self.nodes[:SHOWN_VALUES])
        more = f" and {len(self.nodes) - SHOWN_VALUES} more" if len(self.nodes) > SHOWN_VALUES else ""
        row.name_label.setText(f"{name} ({MIXED_TEXT})")
        row.hint_label.setText(f"Mixed: {listed}{more}.")

    def _bool_changed(self, row):
        check = row.editor.check
        if check.isTristate() and check.checkState() != check.checkState().PartiallyChecked:
            self.commit(row, check.isChecked())

    def commit(self, row, value):
        """Set (UNSET: reset) the param on every selected node: one step, or the refusal next to the field."""
        if isinstance(row.editor, BoolEditor):
            row.editor.check.setTristate(False)
        command = SetParamOnMany(self.nodes, row.param.name, value)
        try:
            steps = command.plan(self.controller.doc)
        except Exception as exc:  # noqa: BLE001 -- a GraphError or ParamError: shown, nothing changes
            row.show_message(str(exc))
            return
        if not steps:
            self.refresh([row.param.name])  # every node already holds it: no empty undo step
            return
        pushed = self.controller.push(command)
        if not pushed:
            row.show_message(pushed.refusal)
