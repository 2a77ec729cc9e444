"""Bad values in the inspector (issue 5): for every param of every catalog layer (so every param kind), typing
or pasting a negative, zero, empty, non-numeric or absurdly large value either is a valid value for that param
(an axis may be -5, a padding 0) or is refused with a message next to the field, the document unchanged.
Combo boxes and check boxes offer only valid values. And a file that is not a project, dropped on the window,
is refused politely."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

import builder
from builder.catalog.specs import CATALOG
from builder.editing.commands import AddNode
from builder.files.project import dumps
from builder.model.document import GraphError
from gui.controller import EditorController
from gui.panels.inspector import Inspector
from gui.panels.param_editors import BoolEditor, ChoiceEditor, GuardedSpinBox, PairEditor, parse_sizes
from gui.panels.wrapped_layer_editor import WrappedLayerEditor
from tests.gui.conftest import load_example

BAD_TEXTS = ["-5", "0", "", "abc", "1e400", "99999999999999999999", "-0.5", "[1, -2]", "None"]
PARAMS = [(layer, p.name) for layer, spec in sorted(CATALOG.items()) for p in spec.params]


@pytest.fixture(scope="module")
def _kinds_covered():
    return {CATALOG[layer].param(name).kind for layer, name in PARAMS}


def test_every_param_kind_is_covered(_kinds_covered):
    assert {"int", "float", "bool", "choice", "ints", "axis", "shape", "target"} <= _kinds_covered


def _parsed(text):
    """What a person meant by the text, or a marker for "not a value"."""
    try:
        return json.loads(text)
    except ValueError:
        return object()


def _paste(qtbot, spin, text):
    spin.setFocus()
    spin.lineEdit().selectAll()
    if text:
        QGuiApplication.clipboard().setText(text)
        qtbot.keyClick(spin, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    else:
        qtbot.keyClick(spin, Qt.Key.Key_Delete)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def _type(qtbot, line, text):
    line.setFocus()
    line.setText(text)
    qtbot.keyClick(line, Qt.Key.Key_Return)


@pytest.mark.parametrize("layer, name", PARAMS, ids=[f"{layer}.{name}" for layer, name in PARAMS])
def test_bad_values_are_refused_next_to_the_field_or_valid(qtbot, layer, name):
    controller = EditorController()
    assert controller.push(AddNode("node", layer))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    inspector.show()
    controller.select(["node"])
    row = inspector.rows[name]
    editor = row.editor
    doc = controller.doc

    def valid(value) -> bool:
        try:
            doc.check_param("node", name, value)
            return True
        except GraphError:
            return False

    if isinstance(editor, ChoiceEditor):
        assert all(valid(v) for v in editor.values)  # nothing else can be chosen
        return
    if isinstance(editor, BoolEditor):
        assert valid(True) and valid(False)
        return
    if isinstance(editor, WrappedLayerEditor):  # every layer it lists can be chosen, from its start params
        assert all(valid(None if v is None else {"layer": v, "params": CATALOG[v].start_params()})
                   for v in editor.values)
        if not editor.editors:  # None shown (Bidirectional's backward_layer): no field to type into
            return
    spins = [w for w in editor.findChildren(GuardedSpinBox)]
    param = CATALOG[layer].param(name)
    for text in BAD_TEXTS:
        row.show_value(doc.params("node"))  # a fresh field, as after selecting the node
        if isinstance(editor, PairEditor) and editor.auto is not None:
            editor.set_value(2)  # show numbers (not "auto") so that they can be typed over
        before, steps = dumps(doc.graph), controller.undo_stack.count()
        if spins:
            _paste(qtbot, spins[0], text)
        else:
            _type(qtbot, editor.line, text)
        if dumps(doc.graph) == before:
            value = None if text == "" and param.nullable else _parsed(text)  # empty: None, where allowed
            if text == "" and valid(value) and not spins:
                continue
            if not valid(value) or text == "":
                assert row.message, f"{layer}.{name}: {text!r} refused without a message"
                assert controller.undo_stack.count() == steps
        else:
            stored = doc.params("node")[name]
            assert valid(stored) and not row.message, f"{layer}.{name}: {text!r} stored as {stored!r}"
            typed = parse_sizes(text) if param.kind in ("shape", "target") else _parsed(text)
            assert valid(typed) or (spins and text == "None"), f"{layer}.{name}: {text!r} was accepted"
            controller.undo_stack.undo()


# ---- dropping files on the window -------------------------------------------------------------------------

def _drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    for kind in (QDragEnterEvent, QDropEvent):
        event = kind(QPoint(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(window, event)
        assert event.isAccepted()


def test_dropping_a_file_that_is_not_a_project_is_refused_politely(window, dialogs, tmp_path):
    before = dumps(window.controller.doc.graph)
    picture = tmp_path / "holiday.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    _drop(window, picture)
    assert dumps(window.controller.doc.graph) == before and not dialogs.errors
    assert "Cannot open holiday.png" in window.statusBar().currentMessage()
    fake = tmp_path / "notes.json"
    fake.write_text('{"title": "my notes"}')
    _drop(window, fake)
    assert dumps(window.controller.doc.graph) == before
    assert dialogs.errors[-1][0] == "Cannot open notes.json" and "not a Keras Canvas project" in dialogs.errors[-1][1]


def test_dropping_a_project_opens_it(window, dialogs, tmp_path):
    path = tmp_path / "mine.json"
    builder.save(load_example("dense_branches"), path)
    _drop(window, path)
    assert window.files.path == path.resolve() and len(window.controller.doc) > 0
