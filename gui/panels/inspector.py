"""The inspector: the selected node's id, one typed editor per param, and its output shape, params, error and
warnings.

Edits are checked before anything changes: an id or value the document would refuse is shown next to its
field and nothing is pushed. A valid edit becomes one builder command through `controller.push`; the
inspector then shows what the document says (it listens, it never keeps its own copy of a value).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from builder.catalog.ops import op_name
from builder.catalog.ops.forms import forms_note
from builder.catalog.params import Param
from builder.catalog.specs import spec_for
from builder.editing.block_edits import edit_definition
from builder.editing.commands import Rename
from builder.model.document import UNSET, GraphError, check_node_id
from gui.derivations import SIZE_LINKS_TIP, conflict_links, shape_derivation, size_link_target
from gui.display import count_text, default_text
from gui.panels.keras_details import KerasDetails
from gui.panels.multi_inspector import MultiParams
from gui.panels.param_editors import PairEditor, ParamEditor, editor_for
from gui.theme import set_status

GETTING_STARTED = (
    "<p><b>Select a node</b> on the canvas to see and edit it.</p>"
    "<p style='margin-top:10px'><b>Getting started</b></p>"
    "<ul style='margin-left:-20px'>"
    "<li>Add a layer: drag it from <i>Layers</i>, double-click it there, or press <b>Tab</b> on the canvas.</li>"
    "<li>Connect: drag from a node's output port (right) to another node's input port (left).</li>"
    "<li>Every node shows its output shape and parameter count; a node with an error turns red, and "
    "<i>Shapes &amp; Errors</i> says how to fix it.</li>"
    "<li>Undo anything with <b>Ctrl+Z</b>. Export from the <i>File</i> menu.</li>"
    "</ul>")


def _small(text: str = "", status: str = "muted") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("role", "hint")
    set_status(label, status)  # its colour comes from the theme's stylesheet
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ParamRow(QWidget):
    """One param: its name and reset button, its editor, Keras's default with the help text, and the message
    that explains a refused value."""

    entered = Signal()  # Enter pressed in one of its text fields: the value is in, the keyboard may go back

    def __init__(self, param: Param, parent=None):
        super().__init__(parent)
        self.param = param
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(2)
        self.name_label = QLabel(param.name)
        self.name_label.setToolTip(param.help)
        layout.addWidget(self.name_label)
        self.editor: ParamEditor = editor_for(param)
        self.editor.setToolTip(f"{param.help}\n\nExpected: {param.describe()}; {default_text(param)}.")
        self.reset_button = QToolButton()
        self.reset_button.setText("↺")
        self.reset_button.setAutoRaise(True)
        self.reset_button.setToolTip(f"Reset to Keras's default ({default_text(param)})")
        editor_line = QHBoxLayout()
        editor_line.setContentsMargins(0, 0, 0, 0)
        editor_line.setSpacing(2)
        editor_line.addWidget(self.editor, 1)
        # At the top: a wrapper's layer editor is tall (the wrapped layer's params), the button stays by its name.
        editor_line.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(editor_line)
        for line in self.editor.findChildren(QLineEdit):  # spin boxes' fields too
            line.returnPressed.connect(self.entered)
        self.reset_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field
        default = default_text(param)
        hint = default[0].upper() + default[1:] + (f". {param.help}" if param.help else "")
        self.default_hint = hint
        # The hint line and a refusal share one place, so the fields below never move when a message comes or
        # goes (a click aimed at the next field once landed on a help text that had just moved there).
        self.hint_label = _small(hint)
        self.message_label = _small("", "error")
        self.message_line = QStackedWidget()
        self.message_line.addWidget(self.hint_label)
        self.message_line.addWidget(self.message_label)
        layout.addWidget(self.message_line)

    def show_value(self, params: dict):
        """Show the node's value (or Keras's default when the param is not set)."""
        stored = params.get(self.param.name, UNSET)
        # A required param missing from an old file has no default to show: show its starting value.
        value = self.param.start_value() if stored is UNSET else stored
        if value is None and self.param.name == "strides" and isinstance(self.editor, PairEditor):
            # Keras's pooling layers read strides=None as "the same as pool_size"; show that number.
            self.editor.set_value(None, params.get("pool_size", 2))
        else:
            self.editor.set_value(value)
        is_set = stored is not UNSET
        self.reset_button.setEnabled(is_set and not self.param.required)
        font = self.name_label.font()
        font.setBold(is_set)  # bold: set explicitly, so it is written in the exported code
        self.name_label.setFont(font)
        self.show_message("")

    def show_message(self, message: str):
        self.message_label.setText(message)
        self.message_line.setCurrentWidget(self.message_label if message else self.hint_label)
        self.editor.mark_invalid(bool(message))

    @property
    def message(self) -> str:
        return self.message_label.text() if self.message_line.currentWidget() is self.message_label else ""


class Inspector(QScrollArea):
    # Enter in a field: the value is committed, and the main window gives the keyboard back to the canvas, so
    # its keys (Ctrl+D, Delete, F) work at once without a click.
    enter_pressed = Signal()
    # A link to a size's derivation on another node was clicked: the window centres the canvas on it.
    node_focus_requested = Signal(str)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.node_id: str | None = None
        self.rows: dict[str, ParamRow] = {}
        self._derivation_key: tuple[str, str] | None = None  # (node, dimension or 'params') kept on screen
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._build()
        controller.selection_changed.connect(self._on_selection)
        controller.edited.connect(self._on_edit)
        self.show_node(None)

    # ---- widgets ------------------------------------------------------------------------------------------

    def _build(self):
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        self.empty_label = _small(GETTING_STARTED)
        self.empty_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.empty_label)
        self.title_label = QLabel()
        self.title_label.setProperty("role", "title")
        self.help_label = _small()
        layout.addWidget(self.title_label)
        layout.addWidget(self.help_label)

        self.node_box = QWidget()
        form = QFormLayout(self.node_box)
        form.setContentsMargins(0, 4, 0, 4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.id_edit = QLineEdit()
        self.id_edit.setToolTip("The node's id is its Keras layer name and the variable name in exported code.")
        self.id_edit.editingFinished.connect(self._commit_id)
        self.id_edit.returnPressed.connect(self.enter_pressed)
        form.addRow("id", self.id_edit)
        self.id_message = _small("", "error")
        self.id_message.hide()
        form.addRow("", self.id_message)
        self.shape_label = QLabel()
        self.shape_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                 | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.shape_label.setProperty("role", "mono")
        # Each dimension is a link: hovering it shows its derivation, clicking keeps it below (issue 14).
        self.shape_label.linkHovered.connect(self._dimension_hovered)
        self.shape_label.linkActivated.connect(self._dimension_clicked)
        form.addRow("output", self.shape_label)
        self.params_label = QLabel()
        self.params_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.params_label.linkActivated.connect(self._dimension_clicked)
        form.addRow("params", self.params_label)
        self.derivation_label = _small()
        self.derivation_label.setObjectName("derivation")
        self.derivation_label.setProperty("role", "mono")
        form.addRow("", self.derivation_label)
        layout.addWidget(self.node_box)
        self.keras_details = KerasDetails()  # imported nodes: Keras's shape, and the config kept as imported
        layout.addWidget(self.keras_details)

        self.params_title = QLabel("Parameters")
        self.params_title.setProperty("role", "section")
        layout.addWidget(self.params_title)
        self.params_box = QWidget()
        self.params_layout = QVBoxLayout(self.params_box)
        self.params_layout.setContentsMargins(0, 0, 0, 0)
        self.params_layout.setSpacing(2)
        layout.addWidget(self.params_box)
        self.no_params_label = _small("This layer has no parameters.")
        layout.addWidget(self.no_params_label)
        self.multi = MultiParams(self.controller, ParamRow)  # several nodes selected: their shared params
        self.multi.hide()
        self.multi.entered.connect(self.enter_pressed)
        layout.addWidget(self.multi)
        # The node's error or warnings, below the fields: they come and go with edits, and must not move the
        # fields the person is aiming at.
        self.status_label = _small()
        layout.addWidget(self.status_label)
        # Under an error: its sizes in conflict, each a link to its derivation on the node that made it.
        self.conflict_label = _small()
        self.conflict_label.setObjectName("conflicting_sizes")
        self.conflict_label.setToolTip(SIZE_LINKS_TIP)
        self.conflict_label.setTextFormat(Qt.TextFormat.RichText)
        self.conflict_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.conflict_label.linkActivated.connect(self.open_size)
        layout.addWidget(self.conflict_label)
        layout.addStretch(1)
        self.setWidget(content)

    def editor(self, name: str) -> ParamEditor:
        return self.rows[name].editor

    # ---- showing a node -----------------------------------------------------------------------------------

    def show_node(self, node_id: str | None, empty_text: str = GETTING_STARTED):
        if node_id is not None and node_id not in self.controller.doc:
            node_id = None
        changed_node = node_id != self.node_id or node_id is None
        self.node_id = node_id
        showing = node_id is not None
        for widget in (self.title_label, self.help_label, self.node_box, self.status_label, self.params_title,
                       self.params_box):
            widget.setVisible(showing)
        self.conflict_label.hide()
        self.empty_label.setVisible(not showing)
        self.empty_label.setText(empty_text)
        self.no_params_label.hide()
        if not showing:
            self.keras_details.hide()
            self._clear_rows()
            return
        doc = self.controller.doc
        layer = doc.layer(node_id)
        spec = spec_for(layer)
        self.title_label.setText(layer)
        note = forms_note(spec)  # merge layers and ops: the three ways to write a merge, and what differs
        self.help_label.setText(spec.help if note is None else f"{spec.help}\n\n{note}")
        self._show_id()
        if changed_node or [r.param for r in self.rows.values()] != list(spec.params):
            self._build_rows(spec.params)
        params = doc.params(node_id)
        for row in self.rows.values():
            row.show_value(params)
        self.no_params_label.setVisible(not spec.params)
        if spec.generic:  # a layer outside the catalog: its Keras arguments are its config, shown above
            has_config = bool(doc.graph.nodes[node_id].get("config"))
            self.no_params_label.setText("No typed params: its Keras arguments are the config above (read-only)."
                                         if has_config
                                         else "It uses Keras's defaults for all its arguments.")
        elif spec.op is not None:
            self.no_params_label.setText("This op takes only its tensors.")
        else:
            self.no_params_label.setText("This layer has no parameters.")
        self.params_title.setVisible(bool(spec.params))
        self._show_result()

    def _show_id(self):
        self.id_edit.setText(self.node_id)
        self._id_refused("")

    def _build_rows(self, params):
        self._clear_rows()
        for param in params:
            row = ParamRow(param)
            row.editor.edited.connect(lambda value, row=row: self._commit_param(row, value))
            row.editor.unreadable.connect(row.show_message)
            row.reset_button.clicked.connect(lambda _=False, row=row: self._reset_param(row))
            row.entered.connect(self.enter_pressed)
            self.params_layout.addWidget(row)
            self.rows[param.name] = row

    def _clear_rows(self):
        for row in self.rows.values():
            row.setParent(None)
            row.deleteLater()
        self.rows = {}

    def _show_result(self):
        self.keras_details.show_node(self.controller.doc, self.controller.results, self.node_id)
        result = self.controller.results.get(self.node_id)
        if result is None:
            self.shape_label.setText("-")
            self.params_label.setText("-")
            self.status_label.setText("")
            self.conflict_label.hide()
            return
        self.shape_label.setText(_linked_shape(result.shape))
        self.shape_label.setToolTip("Point at a size to see how it is made; click it to keep the derivation")
        if result.params is None:
            self.params_label.setText("-")
        elif op_name(result.layer) is not None:
            self.params_label.setText("no parameters (an op)")
        elif result.non_trainable:
            self.params_label.setText(f"<a href='params'>{count_text(result.params)}</a> "
                                      f"({count_text(result.trainable)} trainable, "
                                      f"{count_text(result.non_trainable)} non-trainable)")
        else:
            self.params_label.setText(f"<a href='params'>{count_text(result.params)}</a>")
        if self._derivation_key is not None and self._derivation_key[0] == self.node_id:
            self._dimension_clicked(self._derivation_key[1])  # the kept derivation follows the edit
        else:
            self.derivation_label.hide()
        if result.error:
            text, kind = f"Error: {result.error}", "error"
        elif result.blocked_by:
            text, kind = f"No shape yet: {result.blocked_by} has an error upstream; fix it first.", "muted"
        elif result.warnings:
            text, kind = "\n".join(f"Warning: {w}" for w in result.warnings), "warning"
        else:
            text, kind = "", "muted"
        self.status_label.setText(text)
        set_status(self.status_label, kind)
        self.status_label.setVisible(bool(text))
        links = conflict_links(self.controller, self.node_id) if result.error else ""
        self.conflict_label.setText(links)
        self.conflict_label.setVisible(bool(links))

    # ---- derivations (issue 14) ----------------------------------------------------------------------------

    def shown_shape(self) -> str:
        """The output shape as the person reads it (the label holds a link per dimension)."""
        return re.sub(r"<[^>]+>", "", self.shape_label.text())

    def shown_params(self) -> str:
        return re.sub(r"<[^>]+>", "", self.params_label.text())

    def _derivation(self, link: str) -> str:
        if not link or self.node_id is None:
            return ""
        if link == "params":
            return shape_derivation(self.controller, self.node_id).split("Parameters:\n", 1)[-1]
        return shape_derivation(self.controller, self.node_id, int(link))

    def open_size(self, link: str):
        """A size link of an error: keep the size's derivation open, centre the node that made it and select it
        (the inspector then shows that node, with the derivation)."""
        target = size_link_target(link)
        if target is None or target[0] not in self.controller.doc:
            return
        self.keep_size_derivation(link)
        self.node_focus_requested.emit(target[0])
        self.controller.select([target[0]])

    def keep_size_derivation(self, link: str):
        """Show a size's derivation whenever its node is shown (now, if it is): a size link clicked here or in
        Shapes & Errors."""
        target = size_link_target(link)
        if target is None:
            return
        node, axis = target
        self._derivation_key = (node, str(axis))
        if self.node_id == node:
            self._dimension_clicked(str(axis))

    def _dimension_hovered(self, link: str):
        self.shape_label.setToolTip(self._derivation(link) or
                                    "Point at a size to see how it is made; click it to keep the derivation")

    def _dimension_clicked(self, link: str):
        text = self._derivation(link)
        self._derivation_key = (self.node_id, link) if text else None
        self.derivation_label.setText(text)
        self.derivation_label.setVisible(bool(text))

    # ---- listening ----------------------------------------------------------------------------------------

    def _on_selection(self, node_ids):
        if len(node_ids) > 1:
            self.show_nodes(node_ids)
            return
        self.multi.hide()
        self.show_node(node_ids[0] if node_ids else None)

    def show_nodes(self, node_ids):
        """Several nodes: the params they share, edited together (gui/panels/multi_inspector.py)."""
        self.show_node(None, "")
        self.empty_label.hide()
        self.multi.show_nodes(list(node_ids))
        self.multi.show()

    def _on_edit(self, edit):
        if edit.reset:
            self.multi.hide()
            self.show_node(None)
            return
        if self.multi.isVisible():
            self.multi.refresh({c.name for c in edit.changes if c.kind == "param_changed"})
            return
        for change in edit.changes:
            self._on_document_changed(change)
        self._on_results_changed(edit.changed)

    def _on_document_changed(self, change):
        if self.node_id is None:
            return
        if change.kind == "param_changed" and change.node == self.node_id and self.node_id in self.controller.doc:
            params = self.controller.doc.params(self.node_id)
            for name in (change.name, "strides") if change.name == "pool_size" else (change.name,):
                if name in self.rows:
                    self.rows[name].show_value(params)
        elif change.kind == "node_renamed" and change.old_id == self.node_id:
            self.node_id = change.node  # follow the node through renames (and their undo)
            self._show_id()
        elif change.kind == "node_removed" and change.node == self.node_id:
            self.show_node(None)

    def _on_results_changed(self, node_ids):
        if self.node_id in node_ids:
            self._show_result()

    # ---- editing ------------------------------------------------------------------------------------------

    def _commit_id(self):
        if self.node_id is None:
            return
        new_id = self.id_edit.text()
        if new_id == self.node_id:
            self._id_refused("")
            return
        try:
            check_node_id(new_id)
        except GraphError as exc:
            self._id_refused(str(exc))
            return
        if new_id in self.controller.doc:
            self._id_refused(f"{new_id!r} is already the id of a {self.controller.doc.layer(new_id)} node; "
                             "every node needs its own id")
            return
        old_id = self.node_id
        if self.controller.push(Rename(old_id, new_id)):
            self._id_refused("")
            if self.controller.selected == [old_id]:
                self.controller.select([new_id])

    def _id_refused(self, message: str):
        self.id_message.setText(message)
        self.id_message.setVisible(bool(message))
        self.id_edit.setProperty("invalid", bool(message))
        self.id_edit.style().unpolish(self.id_edit)
        self.id_edit.style().polish(self.id_edit)

    def _commit_param(self, row: ParamRow, value):
        node, param, doc = self.node_id, row.param, self.controller.doc
        try:
            stored = doc.check_param(node, param.name, value)
        except GraphError as exc:
            row.show_message(_without_prefix(str(exc), node, param.name))
            return
        current = doc.params(node).get(param.name, UNSET)
        unchanged = (stored == current and type(stored) is type(current)) if current is not UNSET \
            else param.is_default(stored)
        if unchanged:
            row.show_value(doc.params(node))
            return
        if not self.controller.push(edit_definition(doc, node, param.name, stored)):  # every use of a block
            row.show_message("the document refused this value (see the status bar)")

    def _reset_param(self, row: ParamRow):
        if self.node_id is not None and row.param.name in self.controller.doc.params(self.node_id):
            self.controller.push(edit_definition(self.controller.doc, self.node_id, row.param.name, UNSET))


def _linked_shape(shape) -> str:
    """'(None, <a>28</a>, <a>28</a>, <a>96</a>)': each dimension a link named by its axis."""
    if shape is None:
        return "-"
    parts = ["None" if d is None else f"<a href='{axis}'>{d}</a>" for axis, d in enumerate(shape)]
    return f"({', '.join(parts)}{',' if len(shape) == 1 else ''})"


def _without_prefix(message: str, node: str, name: str) -> str:
    """The document names the node and param; next to the field they are obvious."""
    for prefix in (f"{node}: {name}: ", f"{node}: "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message
