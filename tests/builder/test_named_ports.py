"""Layers whose inputs have names (attention's query, value and optional key): inference, the project format,
the exported script, the build and the import all keep each tensor in its part."""

from __future__ import annotations

import json

import pytest

from builder.files import project
from builder.inference.engine import infer
from builder.keras.code_export import export_code
from builder.model.document import GraphDocument


def attention_doc(layer="MultiHeadAttention", params=None, key=True) -> GraphDocument:
    doc = GraphDocument()
    doc.add_node("q", "Input", {"shape": [5, 8]})
    doc.add_node("v", "Input", {"shape": [7, 6]})
    doc.add_node("k", "Input", {"shape": [7, 4]})
    doc.add_node("att", layer, {"num_heads": 2, "key_dim": 3} if params is None else params)
    doc.connect("q", "att", 0)
    doc.connect("v", "att", 1)
    if key:
        doc.connect("k", "att", 2)
    return doc


def test_multi_head_attention_reads_each_port_for_its_part():
    result = infer(attention_doc().graph)["att"]
    assert result.shape == (None, 5, 8)
    # query 8 -> 2×3, key 4 -> 2×3, value 6 -> 2×3, output 2×3 -> 8, each with a bias
    assert result.params == (8 * 6 + 6) + (4 * 6 + 6) + (6 * 6 + 6) + (6 * 8 + 8)


def test_the_key_is_optional_and_the_value_is_not():
    assert infer(attention_doc(key=False).graph)["att"].shape == (None, 5, 8)
    doc = attention_doc(key=False)
    doc.disconnect("v", "att", 1)
    doc.connect("k", "att", 2)
    assert infer(doc.graph)["att"].error == ("att: MultiHeadAttention has nothing on its value; connect a tensor "
                                             "to it")


def test_project_files_name_the_ports_and_read_names_or_numbers():
    text = project.dumps(attention_doc().graph)
    edges = json.loads(text)["edges"]
    assert [(e["source"], e["port"]) for e in edges] == [("q", "query"), ("v", "value"), ("k", "key")]
    assert project.dumps(project.parse(text)) == text
    numbered = json.loads(text)
    for edge, port in zip(numbered["edges"], (0, 1, 2)):
        edge["port"] = port
    assert project.dumps(project.from_dict(numbered)) == text
    numbered["edges"][0]["port"] = "question"
    with pytest.raises(project.ProjectError, match=r'edges\[0\]\.port: att has no port named "question"'):
        project.from_dict(numbered)


def test_export_passes_each_tensor_in_its_part():
    code = export_code(attention_doc().graph)
    assert 'layers.MultiHeadAttention(num_heads=2, key_dim=3, name="att")(q, v, key=k)' in code
    doc = attention_doc("Attention", {}, key=False)
    doc.set_param("q", "shape", [5, 6])
    code = export_code(doc.graph)
    assert 'layers.Attention(name="att")([q, v])' in code


@pytest.mark.parametrize(("layer", "params", "key"), [
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 3, "value_dim": 2, "output_shape": 5}, True),
    ("Attention", {"use_scale": True, "score_mode": "concat"}, False),
    ("AdditiveAttention", {}, False),
])
def test_build_export_and_import_agree_with_keras(keras, tmp_path, layer, params, key):
    from builder import build_model
    from builder.keras.importer import import_model

    doc = attention_doc(layer, params, key)
    if layer != "MultiHeadAttention":  # the query and the key need the same size to be compared
        doc.set_param("q", "shape", [5, 6])
    ours = infer(doc.graph)["att"]
    model = build_model(doc.graph)
    assert tuple(model.get_layer("att").output.shape) == ours.shape
    assert model.get_layer("att").count_params() == ours.params
    namespace = {}
    exec(compile(export_code(doc.graph), "exported.py", "exec"), namespace)  # noqa: S102 -- our own export
    assert namespace["build_model"]().count_params() == model.count_params()
    path = tmp_path / "attention.keras"
    model.save(path)
    imported = import_model(path).graph
    assert imported.nodes["att"]["layer"] == layer and "keras_shape" not in imported.nodes["att"]
    wires = sorted((p, u) for u, _v, p in imported.in_edges("att", data="port"))
    assert wires == [(0, "q"), (1, "v"), *([(2, "k")] if key else [])]
