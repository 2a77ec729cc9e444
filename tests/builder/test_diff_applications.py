"""The diff on real models: keras.applications imports (weights=None) with a few nodes renamed, a block removed
and a param changed report exactly those edits, and the shapes and counts that changed are the ones Keras gives
the two models. MobileNetV2 (small input, alpha 0.35) runs in the default suite; DenseNet121 with -m slow."""

from __future__ import annotations

import copy
import json

import pytest

import main
from builder.diff.model_diff import diff_graphs
from builder.files import project
from builder.keras.build import build_model
from builder.keras.importer import model_to_graph
from builder.model.document import GraphDocument


@pytest.fixture(scope="module")
def mobilenet(keras, tmp_path_factory):
    """(the imported document, the .keras file it came from), built once for the module."""
    model = keras.applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, weights=None, classes=10)
    path = tmp_path_factory.mktemp("mnv2") / "mnv2.keras"
    model.save(path)
    doc = model_to_graph(model)
    keras.backend.clear_session()
    return doc, path


def edited_copy(doc: GraphDocument, renames: dict, block: list, reconnect: tuple | None,
                param: tuple) -> GraphDocument:
    edited = GraphDocument()
    edited.replace(copy.deepcopy(doc.graph))
    for node in block:
        edited.remove_node(node)
    if reconnect:
        edited.connect(*reconnect)
    edited.set_param(*param)
    for old, new in renames.items():
        edited.rename(old, new)
    return edited


def keras_facts(graph) -> dict:
    model = build_model(graph)
    return {layer.name: (list(layer.output.shape), int(layer.count_params())) for layer in model.layers}


MNV2_BLOCK = ["block_2_expand", "block_2_expand_BN", "block_2_expand_relu", "block_2_depthwise",
              "block_2_depthwise_BN", "block_2_depthwise_relu", "block_2_project", "block_2_project_BN", "block_2_add"]
MNV2_RENAMES = {"Conv1": "stem_conv", "bn_Conv1": "stem_bn", "block_5_project": "block_5_squeeze",
                "out_relu": "head_relu"}


def test_mobilenet_renames_a_removed_block_and_a_param_change_come_back_exactly(mobilenet, keras):
    doc, _path = mobilenet
    edited = edited_copy(doc, MNV2_RENAMES, MNV2_BLOCK, ("block_1_project_BN", "block_3_expand", 0),
                         ("predictions", "units", 7))
    diff = diff_graphs(doc, edited)
    assert diff.renamed == MNV2_RENAMES
    assert diff.removed == MNV2_BLOCK and diff.added == []
    assert diff.changed == {"predictions": {"units": (10, 7)}}
    assert diff.rewired == {"block_3_expand": (["block_2_add"], ["block_1_project_BN"])}
    assert diff.inputs is None and diff.outputs is None and not diff.same
    # Keras is the judge of the consequences: the layers whose shape or count differ between the two built models.
    before, after = keras_facts(doc.graph), keras_facts(edited.graph)
    keras.backend.clear_session()
    to_a = diff.to_a
    differing = {name: (before[to_a[name]], facts) for name, facts in after.items() if before[to_a[name]] != facts}
    assert set(differing) == set(diff.shape_changes) | set(diff.param_changes) == {"predictions"}
    assert diff.shape_changes["predictions"] == ([None, 10], [None, 7])
    assert diff.param_changes["predictions"] == (differing["predictions"][0][1], differing["predictions"][1][1])
    assert diff.total_params == (sum(p for _s, p in before.values()), sum(p for _s, p in after.values()))
    removed_weights = sum(before[n][1] for n in MNV2_BLOCK)
    head = before["predictions"][1] - after["predictions"][1]
    assert diff.total_params[0] - diff.total_params[1] == removed_weights + head


def test_diff_command_imports_a_keras_file_and_compares_it_with_a_project(mobilenet, tmp_path, capsys):
    doc, path = mobilenet
    edited = edited_copy(doc, {"Conv1": "stem_conv"}, [], None, ("predictions", "units", 7))
    target = tmp_path / "edited.json"
    project.write(edited.graph, target)
    code = main.main(["diff", str(path), str(target), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["renamed"] == {"Conv1": "stem_conv"} and data["changed"] == {"predictions": {"units": [10, 7]}}
    assert data["added"] == data["removed"] == [] and data["rewired"] == {}
    assert data["shape_changes"] == {"predictions": [[None, 10], [None, 7]]}
    assert main.main(["diff", str(path), str(path)]) == 0
    assert "are the same model" in capsys.readouterr().out


@pytest.mark.slow
def test_densenet121_renames_a_removed_unit_and_a_param_change_come_back_exactly(keras):
    """DenseNet121 repeats identical layers in every block: only their wiring tells them apart."""
    doc = model_to_graph(keras.applications.DenseNet121(weights=None))
    keras.backend.clear_session()
    unit = [f"conv5_block16_{part}" for part in ("0_bn", "0_relu", "1_conv", "1_bn", "1_relu", "2_conv", "concat")]
    renames = {"conv1_conv": "stem", "conv1_bn": "stem_bn", "conv3_block7_1_conv": "c3b7_squeeze",
               "pool4_conv": "transition4_conv"}
    edited = edited_copy(doc, renames, unit, ("conv5_block15_concat", "bn", 0), ("predictions", "units", 100))
    diff = diff_graphs(doc, edited)
    assert diff.renamed == renames and diff.removed == unit and diff.added == []
    assert diff.changed == {"predictions": {"units": (1000, 100)}}
    assert diff.rewired == {"bn": (["conv5_block16_concat"], ["conv5_block15_concat"])}
    assert diff.shape_changes == {"bn": ([None, 7, 7, 1024], [None, 7, 7, 992]),
                                  "relu": ([None, 7, 7, 1024], [None, 7, 7, 992]),
                                  "avg_pool": ([None, 1024], [None, 992]), "predictions": ([None, 1000], [None, 100])}
