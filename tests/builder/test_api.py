"""The Python API and the walk shared by the Keras build and the code export: refusals with inference's
messages, inputs and outputs in document order, merge inputs in port order, fresh layers on every build,
and plain hand-built networkx graphs working everywhere."""

from __future__ import annotations

import networkx as nx
import pytest

import builder
from builder.keras.build import keras_kwargs
from builder.keras.plan import ModelError, make_plan
from builder.model.document import GraphDocument
from tests.builder.samples import cnn_branches, dense_merges, snapshot


def hand_built() -> nx.MultiDiGraph:
    """Two Dense branches merged, written with plain networkx; the merge's wires are added port 1 first."""
    graph = nx.MultiDiGraph()
    graph.add_node("features", layer="Input", params={"shape": [16]})
    graph.add_node("relu_branch", layer="Dense", params={"units": 8, "activation": "relu"})
    graph.add_node("tanh_branch", layer="Dense", params={"units": 4, "activation": "tanh"})
    graph.add_node("merged", layer="Concatenate", params={"axis": -1})
    graph.add_node("out", layer="Dense", params={"units": 1, "activation": "sigmoid"})
    graph.add_edge("features", "relu_branch", port=0)
    graph.add_edge("features", "tanh_branch", port=0)
    graph.add_edge("relu_branch", "merged", port=1)
    graph.add_edge("tanh_branch", "merged", port=0)
    graph.add_edge("merged", "out", port=0)
    return graph


def broken() -> GraphDocument:
    doc = cnn_branches()
    doc.set_param("conv_5x5", "padding", "valid")
    doc.add_node("lonely", "Dense", {"units": 2})
    doc.add_node("bad_rate", "Reshape", {"target_shape": [5, -1]}, index=1)
    doc.connect("image", "bad_rate")
    return doc


# ---- refusals --------------------------------------------------------------------------------------------

def test_a_graph_with_errors_is_refused_with_inference_messages_in_document_order():
    doc = broken()
    messages = [builder.infer(doc)[n].error for n in doc.node_ids() if builder.infer(doc)[n].error]
    assert len(messages) == 3 and messages[0].startswith("bad_rate:") and messages[2].startswith("lonely:")
    for action in (make_plan, builder.build_model, builder.export_code):
        with pytest.raises(ModelError) as caught:
            action(doc)
        assert caught.value.errors == messages
        assert str(caught.value) == "the graph has errors:\n" + "\n".join(f"  {m}" for m in messages)


def test_graphs_with_nothing_to_build_are_refused():
    doc = GraphDocument()
    with pytest.raises(ModelError, match="no Input node"):
        make_plan(doc)
    doc.add_node("x", "Input", {"shape": [3]})
    with pytest.raises(ModelError, match="no layer after its Inputs"):
        make_plan(doc)
    doc.add_node("d", "Dense", {"units": 2})
    with pytest.raises(ModelError, match="d: Dense has no input"):
        builder.build_model(doc)


def test_hand_built_graph_with_a_bad_id_is_refused():
    graph = hand_built()
    nx.relabel_nodes(graph, {"merged": "a/b"}, copy=False)
    with pytest.raises(ModelError, match="invalid id 'a/b'"):
        make_plan(graph)


# ---- the plan --------------------------------------------------------------------------------------------

def test_plan_inputs_and_outputs_follow_document_order_and_merges_port_order():
    doc = dense_merges()
    doc.add_node("late_input", "Input", {"shape": [2]}, index=0)  # unused: still a model input
    plan = make_plan(doc)
    assert plan.inputs == ("late_input", "left", "right")
    assert plan.outputs == ("head", "aux")
    steps = {step.id: step for step in plan.steps}
    assert steps["cat"].sources == ("a", "b", "a")
    assert steps["sum"].sources == ("a", "b")
    order = [step.id for step in plan.steps]
    for source, target, _port in doc.edges():
        assert order.index(source) < order.index(target)
    assert make_plan(hand_built()).steps[3].sources == ("tanh_branch", "relu_branch")


def test_outputs_are_every_node_nothing_reads_in_document_order():
    doc = cnn_branches()
    doc.add_node("side", "Dense", {"units": 3}, index=2)
    doc.connect("image", "side")
    assert make_plan(doc).outputs == ("side", "classes")


def test_keras_kwargs_turn_lists_into_tuples():
    assert keras_kwargs({"kernel_size": [3, 5], "units": 2, "activation": None}) == \
        {"kernel_size": (3, 5), "units": 2, "activation": None}


# ---- the Keras build -------------------------------------------------------------------------------------

def test_build_model_names_orders_and_wires_as_the_document_says(keras):
    doc = dense_merges()
    doc.add_node("late_input", "Input", {"shape": [2]}, index=0)
    model = builder.build_model(doc)
    assert [t.name for t in model.inputs] == ["late_input", "left", "right"]
    assert [n[0] for n in model.get_config()["output_layers"]] == ["head", "aux"]
    assert {layer.name for layer in model.layers} == set(doc.node_ids())
    cat = model.get_layer("cat")
    assert [t._keras_history[0].name for t in cat._inbound_nodes[0].input_tensors] == ["a", "b", "a"]
    results = builder.infer(doc)
    for layer in model.layers:
        assert tuple(layer.output.shape) == results[layer.name].shape
    assert model.count_params() == sum(r.params for r in results.values())


def test_every_build_makes_fresh_layers(keras):
    graph = hand_built()
    first, second = builder.build_model(graph), builder.build_model(graph)
    assert first is not second
    for name in graph:
        assert first.get_layer(name) is not second.get_layer(name)
    assert [t._keras_history[0].name for t in first.get_layer("merged")._inbound_nodes[0].input_tensors] == \
        ["tanh_branch", "relu_branch"]
    assert first.count_params() == second.count_params() == (16 * 8 + 8) + (16 * 4 + 4) + (12 + 1)


# ---- the Python API on plain networkx graphs ------------------------------------------------------------

def test_a_hand_built_graph_works_with_the_whole_api(tmp_path, keras):
    graph = hand_built()
    path = tmp_path / "hand.json"
    builder.save(graph, path)
    loaded = builder.load(path)
    assert isinstance(loaded, nx.MultiDiGraph)
    assert list(loaded) == list(graph)
    assert sorted(loaded.edges(data="port")) == sorted(graph.edges(data="port"))
    assert snapshot(loaded) == snapshot(graph)
    results = builder.infer(graph)
    assert results["merged"].shape == (None, 12) and results["out"].params == 13
    assert builder.totals(results) == ((16 * 8 + 8) + (16 * 4 + 4) + 13, 0)
    code = builder.export_code(graph, style="function")
    assert 'merged = layers.concatenate([tanh_branch, relu_branch], axis=-1, name="merged")' in code
    assert builder.build_model(loaded).count_params() == 217


def test_a_document_edits_the_graph_it_wraps_in_place():
    graph = hand_built()
    doc = GraphDocument(graph)
    doc.rename("merged", "joined")
    doc.remove_node("tanh_branch")
    doc.add_node("first", "Input", {"shape": [1]}, index=0)
    assert doc.graph is graph and list(graph) == ["first", "features", "relu_branch", "joined", "out"]
    assert builder.infer(graph)["joined"].shape == (None, 8)


def test_the_api_takes_documents_and_graphs_alike(tmp_path):
    doc = cnn_branches()
    builder.save(doc, tmp_path / "doc.json")
    builder.save(doc.graph, tmp_path / "graph.json")
    assert (tmp_path / "doc.json").read_bytes() == (tmp_path / "graph.json").read_bytes()
    assert builder.export_code(doc) == builder.export_code(doc.graph)
    assert builder.infer(doc) == builder.infer(doc.graph)
    for name in builder.__all__:
        assert hasattr(builder, name)
    with pytest.raises(builder.ProjectError):
        builder.load(tmp_path / "missing.json")
