"""Generic nodes in the window: the "shape computed by Keras" marker (node face, tooltip, inspector), the stale
state after an edit upstream, and Keras recomputing it in the worker process without an undo step. The model
files and Keras's own counts come from tests/keras_probe.py; the test process never imports Keras."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from builder.editing.commands import SetParam
from builder.files import project
from gui.canvas import geometry
from gui.canvas.face import KERAS_SHAPE_NOTE, STALE_TEXT
from gui.keras_service import READY
from gui.theme import canvas_palette, status_colour

TIMEOUT_MS = 300_000  # only catches a hang: a busy 2-core machine can take a minute to start TensorFlow


@pytest.fixture
def imported(window, keras_models):
    """The window showing chain.keras (x -> conv -> act (RMSNormalization) -> noise (RMSNormalization) -> pool -> head) as
    File > Import… opens it; returns the project text as imported."""
    window.files.open_imported(project.read(keras_models / "chain.json"), keras_models / "chain.keras")
    return project.dumps(window.controller.doc.graph)


def load_keras(qtbot, window):
    if window.keras.state != READY:
        with qtbot.waitSignal(window.keras.state_changed, timeout=TIMEOUT_MS,
                              check_params_cb=lambda state, _detail: state == READY):
            window.keras.start_loading()


def paint(item) -> QImage:
    image = QImage(int(geometry.NODE_WIDTH) + 8, int(item.height) + 8, QImage.Format.Format_ARGB32)
    image.fill(QColor("#000000"))
    painter = QPainter(image)
    painter.translate(4, 4)
    item.paint(painter, QStyleOptionGraphicsItem())
    painter.end()
    return image


def badge_fill(item) -> QColor:
    """The colour inside the K badge, left of its letter (see NodeItem._paint_keras_badge)."""
    x = geometry.NODE_WIDTH - geometry.TEXT_MARGIN - 8 - 6 + 4
    return paint(item).pixelColor(int(x), int(geometry.HEADER_HEIGHT / 2) + 4)


def test_generic_nodes_say_their_shape_comes_from_keras(window, imported, qtbot):
    scene = window.canvas.canvas_scene
    act, conv = scene.node_item("act"), scene.node_item("conv")
    face = act.face()
    assert (face.keras, face.status, face.summary) == ("ok", "ok", KERAS_SHAPE_NOTE)
    assert face.shape == "(None, 7, 7, 8)" and face.params == "392 params"
    assert "shape computed by Keras for the input it gets now" in act.toolTip()
    assert conv.face().keras is None  # a catalog layer has its own shape rule
    assert badge_fill(act) == canvas_palette().keras_badge
    assert badge_fill(conv) != canvas_palette().keras_badge

    window.controller.select(["noise"])
    details = window.inspector.keras_details
    assert details.isVisibleTo(window.inspector)
    assert details.class_label.text() == "keras.layers.RMSNormalization"
    assert details.origin_label.text() == ("Shape computed by Keras for input (None, 7, 7, 8): "
                                           "keras.layers.RMSNormalization is outside the catalog.")
    assert details.config_view.isReadOnly() and '"epsilon": 0.1' in details.config_view.toPlainText()
    assert window.inspector.no_params_label.text() == ("No typed params: its Keras arguments are the "
                                                          "config above (read-only).")
    window.controller.select(["conv"])  # a catalog node with imported config: shown read-only, no origin line
    assert details.isVisibleTo(window.inspector) and not details.origin_label.isVisibleTo(window.inspector)
    assert "HeNormal" in details.config_view.toPlainText()
    window.controller.select(["pool"])
    assert not details.isVisibleTo(window.inspector)


def test_an_edit_upstream_makes_it_stale_then_keras_recomputes_it_without_an_undo_step(window, imported, qtbot,
                                                                                        keras_models):
    load_keras(qtbot, window)
    refresher, results = window.generic_shapes, window.controller.results
    asked = []
    refresher.asked.connect(asked.append)
    with qtbot.waitSignal(refresher.applied, timeout=TIMEOUT_MS):
        window.controller.push(SetParam("x", "shape", [9, 9, 4]))
        act = window.canvas.canvas_scene.node_item("act")
        assert results["act"].stale and results["head"].blocked_by == "act"  # at once, before Keras answers
        face = act.face()
        assert (face.status, face.keras, face.shape) == ("stale", "stale", STALE_TEXT)
        assert "(None, 9, 9, 8)" in act.toolTip()
        assert act.outline_pen().style() == Qt.PenStyle.DashLine and badge_fill(act) == canvas_palette().stale
        window.controller.select(["act"])
        assert "recomputing with Keras" in window.inspector.keras_details.origin_label.text()
    # act first, then noise (blocked by act until then, stale in its turn)
    qtbot.waitUntil(lambda: results["head"].shape == (None, 3), timeout=TIMEOUT_MS)
    assert asked == [["act"], ["noise"]]
    assert results["act"].params == 9 * 9 * 8 and not results["noise"].stale
    keras_count = json.loads((keras_models / "facts.json").read_text())["chain_9x9"]["params"]
    assert sum(r.params for r in results.values()) == keras_count
    assert window.controller.undo_stack.count() == 1  # only the person's edit
    assert window.canvas.canvas_scene.node_item("act").face().keras == "ok"

    window.controller.undo_stack.undo()  # back to 7×7: the remembered shapes return at once, Keras not asked
    qtbot.waitUntil(lambda: results["head"].shape == (None, 3))
    assert project.dumps(window.controller.doc.graph) == imported and not window.files.modified
    window.controller.undo_stack.redo()
    qtbot.waitUntil(lambda: results["head"].shape == (None, 3))
    assert results["act"].params == 9 * 9 * 8
    assert asked == [["act"], ["noise"]]


def test_stale_nodes_wait_for_keras_then_are_recomputed(window, imported, qtbot):
    assert window.keras.state != READY
    window.controller.push(SetParam("x", "shape", [5, 5, 4]))
    qtbot.wait(50)
    assert window.controller.results["act"].stale and window.generic_shapes.in_flight is None
    # Shown as stale, not as a mistake: in the Shapes & Errors table and in the minimap.
    assert window.shapes_panel.row_texts()["act"][4] == "stale: Keras recomputes"
    row = list(window.shapes_panel.row_texts()).index("act")
    model = window.shapes_panel.table.model()
    brush = model.data(model.index(row, 4), Qt.ItemDataRole.ForegroundRole)
    assert brush.color() == status_colour("stale") != status_colour("error")
    load_keras(qtbot, window)
    qtbot.waitUntil(lambda: window.controller.results["head"].shape == (None, 3), timeout=TIMEOUT_MS)
    assert window.controller.results["act"].params == 5 * 5 * 8


def test_an_answer_for_inputs_that_changed_meanwhile_is_not_applied(window, imported, qtbot):
    refresher, doc = window.generic_shapes, window.controller.doc
    window.controller.push(SetParam("x", "shape", [6, 6, 4]))  # Keras not loaded: nothing is asked yet
    qtbot.wait(20)
    late = {"node": "act", "layer": "RMSNormalization", "config": {"axis": [1, 2, 3]}, "inputs": [[None, 5, 5, 8]],
            "keras_shape": {"shape": [None, 5, 5, 8], "trainable": 200, "non_trainable": 0,
                            "inputs": [[None, 5, 5, 8]]}}
    refresher._on_answers([late])
    assert doc.graph.nodes["act"]["keras_shape"]["inputs"] == [[None, 7, 7, 8]]  # not applied: act gets 6×6
    assert window.controller.results["act"].stale
    window.controller.push(SetParam("x", "shape", [5, 5, 4]))  # now it is Keras's answer for these inputs
    qtbot.waitUntil(lambda: not window.controller.results["act"].stale)
    assert doc.graph.nodes["act"]["keras_shape"] == late["keras_shape"]


def test_keras_refusing_the_new_input_puts_its_message_on_the_node(window, qtbot):
    from builder.model.document import GraphDocument

    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [2, 6, 6, 2]})
    config = {"filters": 4, "kernel_size": [3, 3]}  # ConvLSTM2D: outside the catalog (Conv3D, once used here, is in)
    computed = {"shape": [None, 4, 4, 4], "trainable": 880, "non_trainable": 0,
                "inputs": [[None, 2, 6, 6, 2]]}  # as Keras computed it at import (tests/builder checks recompute)
    doc.add_node("c3", "ConvLSTM2D", {}, config=config, keras_shape=computed)
    doc.connect("x", "c3")
    window.controller.replace_document(doc.graph)
    assert window.controller.results["c3"].params == 880
    load_keras(qtbot, window)
    with qtbot.waitSignal(window.generic_shapes.applied, timeout=TIMEOUT_MS):
        window.controller.push(SetParam("x", "shape", [6, 6, 2]))  # 4D: ConvLSTM2D needs 5D
    result = window.controller.results["c3"]
    assert not result.stale
    assert result.error.startswith("c3: Keras refuses ConvLSTM2D on input (None, 6, 6, 2): ValueError: ")
    assert "expected ndim=5, found ndim=4" in result.error
    item = window.canvas.canvas_scene.node_item("c3")
    assert (item.face().status, item.face().keras) == ("error", "error")
    window.controller.select(["c3"])
    assert window.inspector.keras_details.origin_label.text() == ("Keras refuses keras.layers.ConvLSTM2D on input "
                                                                  "(None, 6, 6, 2).")
