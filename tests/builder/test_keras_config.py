"""Untyped Keras config carried by nodes, and generic nodes: validated as plain JSON, saved, exported, built."""

from __future__ import annotations

import json

import pytest

from builder.files import project
from builder.inference.engine import infer
from builder.keras.code_export import export_code
from builder.model.document import GraphDocument, InvalidParam


def doc_with_config() -> GraphDocument:
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [4, 4, 2]})
    doc.add_node("conv", "Conv2D", {"filters": 3, "kernel_size": 1},
                 config={"kernel_initializer": {"class_name": "Zeros", "config": {}}})
    # A layer outside the catalog (GaussianNoise was one until issue 17).
    doc.add_node("noise", "RMSNormalization", {}, config={"epsilon": 0.1},
                 keras_shape={"shape": [None, 4, 4, 3], "trainable": 3, "non_trainable": 0})
    doc.connect("x", "conv")
    doc.connect("conv", "noise")
    return doc


def test_config_and_generic_nodes_round_trip_and_export():
    doc = doc_with_config()
    text = project.dumps(doc.graph)
    again = project.parse(text)
    assert project.dumps(again) == text
    assert list(again.nodes(data=True)) == list(doc.graph.nodes(data=True))
    results = infer(again)
    assert results["noise"].shape == (None, 4, 4, 3) and results["noise"].error is None
    code = export_code(again)
    assert 'kernel_initializer={"class_name": "Zeros", "config": {}}' in code
    assert 'layers.RMSNormalization(epsilon=0.1, name="noise")(conv)' in code


@pytest.mark.parametrize(("config", "fragment"), [
    ({"filters": 4}, "typed param"),
    ({"name": "other"}, "typed param"),
    ({"bad key": 1}, "not a Keras argument name"),
    ({"x": float("nan")}, "finite number"),
    ({"x": {1: 2}}, "keys must be text"),
    ({"x": {1, 2}}, "plain JSON"),
])
def test_bad_config_is_refused(config, fragment):
    doc = GraphDocument()
    with pytest.raises(InvalidParam, match=fragment):
        doc.add_node("conv", "Conv2D", {"filters": 3, "kernel_size": 1}, config=config)
    assert "conv" not in doc.graph


def test_project_reader_reports_bad_config_and_keras_shape():
    data = json.loads(project.dumps(doc_with_config().graph))
    data["nodes"][1]["config"] = {"filters": 2}
    data["nodes"][2]["keras_shape"] = {"shape": "big"}
    with pytest.raises(project.ProjectError) as caught:
        project.from_dict(data)
    text = str(caught.value)
    assert "nodes[1].config.filters" in text and "nodes[2].keras_shape.shape" in text


def test_catalog_layer_takes_no_stored_shape_and_generic_needs_one():
    doc = GraphDocument()
    with pytest.raises(InvalidParam, match="only layers outside the catalog"):
        doc.add_node("d", "Dense", {"units": 2}, keras_shape={"shape": [None, 2]})
    doc.add_node("x", "Input", {"shape": [3]})
    doc.add_node("noise", "RMSNormalization", {}, config={"epsilon": 0.1})
    doc.connect("x", "noise")
    assert "holds no shape computed by Keras" in infer(doc.graph)["noise"].error


def test_build_passes_config_to_keras(keras):
    from builder.keras.build import build_model

    model = build_model(doc_with_config())
    assert type(model.get_layer("conv").kernel_initializer).__name__ == "Zeros"
    assert model.get_layer("noise").epsilon == 0.1


def test_deleting_an_imported_node_and_undoing_keeps_its_keras_config():
    from builder.editing.commands import Delete, History
    from builder.files.project import dumps
    from builder.model.document import GraphDocument

    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [4]})
    doc.add_node("dense", "Dense", {"units": 3}, config={"kernel_initializer": {"class_name": "Zeros", "config": {}}})
    doc.connect("x", "dense")
    before = dumps(doc.graph)
    history = History(doc)
    history.push(Delete(["dense"]))
    history.undo()
    assert dumps(doc.graph) == before
    assert doc.graph.nodes["dense"]["config"] == {"kernel_initializer": {"class_name": "Zeros", "config": {}}}
