"""Op nodes in the window: the palette's Operations group (searchable), the node face that says "no parameters",
the inspector's note on the three ways to write a merge, the export dialog's ops style, and a generic op whose
shape Keras recomputes in the worker process after an edit upstream. The test process never imports Keras."""

from __future__ import annotations

from builder.catalog.ops import OP_SPECS
from builder.editing.commands import AddNode, Connect, SetParam
from builder.files import project
from tests.gui.conftest import open_example
from tests.gui.test_generic_nodes import TIMEOUT_MS, load_keras


def test_the_palette_lists_ops_under_operations_and_finds_them(palette):
    tree = palette.tree
    groups = {tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    operations = groups["Operations"]
    assert [operations.child(i).text(0) for i in range(operations.childCount())] == [s.name for s in OP_SPECS]
    assert tree.topLevelItem(tree.topLevelItemCount() - 1) is operations  # after the layers
    palette.search.setText("ops concat")
    assert palette.visible_layers() == ["ops.concatenate"]
    palette.search.setText("matrix")
    assert palette.visible_layers() == ["ops.matmul"]
    assert "no weights" in palette.items["ops.add"].toolTip(0)


def _ops_graph(window):
    """Input -> Dense twice -> ops.concatenate -> ops.add (x2 = 1.0), built as a person would, one edit each."""
    push = window.controller.push
    for step in (AddNode("a", "Input", {"shape": [4]}, (0, 0)), AddNode("d1", "Dense", {"units": 3}, (200, 0)),
                 AddNode("d2", "Dense", {"units": 2}, (200, 150)), AddNode("joined", "ops.concatenate", None, (400, 0)),
                 AddNode("plus", "ops.add", {"x2": 1.0}, (600, 0)), Connect("a", "d1"), Connect("a", "d2"),
                 Connect("d1", "joined"), Connect("d2", "joined"), Connect("joined", "plus")):
        assert push(step)


def test_op_nodes_say_no_parameters_and_the_inspector_explains_the_forms(window):
    _ops_graph(window)
    results = window.controller.results
    assert results["joined"].shape == (None, 5) and results["plus"].shape == (None, 5)
    face = window.canvas.canvas_scene.node_item("joined").face()
    assert (face.shape, face.params, face.summary) == ("(None, 5)", "no parameters", "axis -1")
    window.controller.select(["joined"])
    inspector = window.inspector
    assert inspector.params_label.text() == "no parameters (an op)"
    assert "creates no layer and no name" in inspector.help_label.text()
    assert "layers.Concatenate" in inspector.help_label.text()
    window.controller.select(["plus"])
    assert inspector.editor("x2") is not None
    assert window.controller.push(SetParam("plus", "x2", None)) and results["plus"].error
    assert "takes 2 operands" in results["plus"].error


def test_a_merge_layer_inspector_names_the_three_forms(window):
    open_example(window, "cnn_28x28_three_kernels")
    merge = next(n for n in window.controller.doc.node_ids() if window.controller.doc.layer(n) == "Concatenate")
    window.controller.select([merge])
    text = window.inspector.help_label.text()
    assert "layers.Concatenate(...)([a, b])" in text and "layers.concatenate([a, b], ...)" in text
    assert "keras.ops.concatenate(...)" in text and "model.summary()" in text


def test_the_export_dialog_offers_the_ops_style(window):
    open_example(window, "cnn_28x28_three_kernels")
    dialog = window.exports.export_python()
    dialog.style_combo.setCurrentIndex(dialog.style_combo.findData("ops"))
    code = dialog.view.toPlainText()
    assert "keras.ops.concatenate([" in code and "layers.Concatenate(" not in code
    assert "no name, not in model.summary()" in dialog.style_note.text()
    assert dialog.save_button.isEnabled()
    dialog.style_combo.setCurrentIndex(dialog.style_combo.findData("layer"))
    assert "named layer in model.summary()" in dialog.style_note.text()
    dialog.close()


def test_a_generic_op_is_recomputed_by_keras_in_the_worker(window, qtbot):
    """ops.clip has no rule here: its shape is Keras's, stored at import; an edit upstream makes it stale, and
    the Keras worker (the app's own) computes it again."""
    text = project.dumps(project.from_dict({
        "format": project.FORMAT, "version": project.VERSION,
        "nodes": [{"id": "x", "layer": "Input", "params": {"shape": [8, 6]}},
                  {"id": "clipped", "layer": "ops.clip", "params": {}, "config": {"x_min": 0.0, "x_max": 2.0},
                   "keras_shape": {"shape": [None, 8, 6], "trainable": 0, "non_trainable": 0,
                                   "inputs": [[None, 8, 6]]}},
                  {"id": "head", "layer": "Dense", "params": {"units": 3}}],
        "edges": [{"source": "x", "target": "clipped", "port": 0}, {"source": "clipped", "target": "head", "port": 0}]}))
    window.files.open_imported(project.parse(text), "clip.keras")
    results = window.controller.results
    assert results["head"].shape == (None, 8, 3)
    face = window.canvas.canvas_scene.node_item("clipped").face()
    assert (face.params, face.keras) == ("no parameters", "ok")  # marked: its shape is Keras's
    window.controller.select(["clipped"])
    details = window.inspector.keras_details
    assert details.class_label.text() == "keras.ops.clip"
    assert details.origin_label.text() == ("Shape computed by Keras for input (None, 8, 6): keras.ops.clip has no "
                                           "shape rule here.")
    load_keras(qtbot, window)
    with qtbot.waitSignal(window.generic_shapes.applied, timeout=TIMEOUT_MS):
        window.controller.push(SetParam("x", "shape", [5, 7]))
        assert results["clipped"].stale
    qtbot.waitUntil(lambda: results["head"].shape == (None, 5, 3), timeout=TIMEOUT_MS)
    assert results["clipped"].shape == (None, 5, 7)
    assert window.controller.undo_stack.count() == 1  # only the person's edit


def test_the_inspector_of_an_op_fits_the_default_dock_width(qtbot):
    """The forms note and "no parameters" wrap or stay short: nothing is clipped at the dock's default width."""
    from gui.controller import EditorController
    from gui.panels.inspector import Inspector

    controller = EditorController()
    controller.replace_document(project.parse(project.dumps(project.from_dict({
        "format": project.FORMAT, "version": project.VERSION,
        "nodes": [{"id": "x", "layer": "Input", "params": {"shape": [4]}},
                  {"id": "joined", "layer": "ops.concatenate", "params": {"axis": -1}}],
        "edges": [{"source": "x", "target": "joined", "port": 0}]}))))
    inspector = Inspector(controller)
    qtbot.addWidget(inspector)
    inspector.resize(330, 900)
    inspector.show()
    controller.select(["joined"])
    qtbot.wait(10)  # let the layout settle (no timing is asserted)
    viewport = inspector.viewport().width()
    for widget in (inspector.help_label, inspector.params_label, inspector.id_edit, inspector.rows["axis"].reset_button):
        right = widget.mapTo(inspector.viewport(), widget.rect().topRight()).x()
        assert right <= viewport, f"{widget.objectName() or type(widget).__name__} ends at {right} of {viewport}"
