"""Bad values in the inspector (issue 5): for every param of every catalog layer (so every param kind), typing
or pasting a negative, zero, empty, non-numeric or absurdly large value either is a valid value for that param
(an axis may be -5, a padding 0) or is refused with a message next to the field, the document unchanged.
Combo boxes and check boxes offer only valid values. And a file that is not a project, dropped on the window,
is refused politely."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from builder.catalog import CATALOG
from builder.commands import AddNode
from builder.graph import GraphError
from builder.project import dumps
from gui.controller import EditorController
from gui.panels.inspector import Inspector
from gui.panels.param_editors import BoolEditor, ChoiceEditor, GuardedSpinBox, PairEditor

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
    if isinstance(editor, PairEditor) and editor.auto is not None:
        editor.set_value(2)  # show numbers (not "auto") so that they can be typed over
    spins = [w for w in editor.findChildren(GuardedSpinBox)]
    for text in BAD_TEXTS:
        row.show_value(doc.params("node"))  # a fresh field, as after selecting the node
        before, steps = dumps(doc.graph), controller.undo_stack.count()
        if spins:
            _paste(qtbot, spins[0], text)
        else:
            _type(qtbot, editor.line, text)
        if dumps(doc.graph) == before:
            value = _parsed(text)
            if not valid(value) or text == "":
                assert row.message, f"{layer}.{name}: {text!r} refused without a message"
                assert controller.undo_stack.count() == steps
        else:
            stored = doc.params("node")[name]
            assert valid(stored) and not row.message, f"{layer}.{name}: {text!r} stored as {stored!r}"
            typed = _parsed(text)
            assert valid(typed) or (spins and text == "None"), f"{layer}.{name}: {text!r} was accepted"
            controller.undo_stack.undo()


# ---- dropping files on the window -------------------------------------------------------------------------

def _drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    target = window.canvas.viewport()
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    return event


def test_dropping_a_file_that_is_not_a_project_is_refused_politely(window, dialogs, tmp_path):
    before = dumps(window.controller.doc.graph)
    picture = tmp_path / "holiday.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    _drop(window, picture)
    assert dumps(window.controller.doc.graph) == before
    told = [m for _t, m in dialogs.errors] + [window.statusBar().currentMessage()]
    assert any("holiday.png" in m for m in told), told
