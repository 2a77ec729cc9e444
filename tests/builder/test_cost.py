"""Costs per node and totals by the documented conventions, and the project file's budgets section."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import builder
from builder.cost import budget_problems, graph_costs, model_totals
from builder.cost.layer_costs import dtype_bytes
from builder.cost.totals import clear_memos
from builder.files import project
from builder.files.project import ProjectError
from tests.builder.graph_strategy import describe, graphs
from tests.builder.small_graphs import wired_graph
from tests.conftest import EXAMPLES


def test_the_issue_s_conventions_with_their_numbers():
    graph = wired_graph(("x", "Input", {"shape": [28, 28, 1]}), ("conv", "Conv2D", {"filters": 32, "kernel_size": 3}),
                   ("seq", "Input", {"shape": [10, 16]}), ("dense", "Dense", {"units": 8}),
                   ("lstm", "LSTM", {"units": 32}), ("pool", "MaxPooling2D", {}),
                   edges=[("x", "conv", 0), ("seq", "dense", 0), ("seq", "lstm", 0), ("conv", "pool", 0)])
    costs = graph_costs(graph)
    # Conv2D: out_h × out_w × kernel_h × kernel_w × (in_channels / groups) × filters
    assert costs["conv"].macs == 26 * 26 * 3 * 3 * 1 * 32
    assert costs["conv"].flops == 2 * costs["conv"].macs + 26 * 26 * 32
    assert costs["conv"].param_bytes == 320 * 4 and costs["conv"].activation_bytes == 26 * 26 * 32 * 4
    # Dense on (batch, 10, 16): input features × units × positions
    assert costs["dense"].macs == 16 * 8 * 10
    # LSTM: steps × 4 gates × units × (features + units)
    assert costs["lstm"].macs == 10 * 4 * 32 * (16 + 32)
    # pooling: no MACs; a comparison per window value
    assert (costs["pool"].macs, costs["pool"].flops) == (0, 13 * 13 * 32 * 4)
    assert costs["x"] == (0, 0, 0, 28 * 28 * 1 * 4)


def test_unknown_sizes_give_none_and_totals_leave_those_nodes_out():
    graph = wired_graph(("seq", "Input", {"shape": [None, 16]}), ("lstm", "LSTM", {"units": 4}),
                   ("dense", "Dense", {"units": 2}), edges=[("seq", "lstm", 0), ("lstm", "dense", 0)])
    results = builder.infer(graph)
    costs = graph_costs(graph, results)
    assert costs["lstm"].macs is None and costs["lstm"].activation_bytes == 4 * 4
    assert costs["seq"].activation_bytes is None
    totals = model_totals(results, costs)
    assert totals.uncounted == ("lstm",)
    assert totals.macs == 4 * 2 and totals.params == results["lstm"].params + results["dense"].params
    assert totals.at_batch(32)["macs"] == 32 * 8 and totals.at_batch(32)["param_bytes"] == totals.param_bytes


def test_nodes_without_a_shape_have_no_cost():
    graph = builder.load(EXAMPLES / "shape_mismatch.json")
    costs = graph_costs(graph)
    assert costs["merged"] is None and costs["flatten"] is None and costs["conv_3x3"].macs == 26 * 26 * 9 * 32


def test_dtype_bytes():
    assert dtype_bytes(None) == (4, 4)
    assert dtype_bytes({"dtype": "float16"}) == (2, 2)
    assert dtype_bytes({"dtype": {"module": "keras", "class_name": "DTypePolicy",
                                  "config": {"name": "mixed_bfloat16"}}}) == (4, 2)


def _project(budgets) -> dict:
    data = json.loads((EXAMPLES / "cnn_28x28_three_kernels.json").read_text())
    if budgets is not None:
        data["budgets"] = budgets
    return data


def test_budgets_are_read_validated_written_and_checked():
    graph = project.from_dict(_project({"max_params": 1_000_000, "max_macs": 100_000_000}))
    assert graph.graph["budgets"] == {"max_params": 1_000_000, "max_macs": 100_000_000}
    assert project.from_bytes(project.dumps(graph).encode()).graph["budgets"] == graph.graph["budgets"]
    results = builder.infer(graph)
    problems = budget_problems(graph.graph["budgets"], model_totals(results, graph_costs(graph, results)))
    assert problems == [("over budget: the model has 9,637,962 parameters, more than budgets.max_params = "
                        "1,000,000; make the model smaller or raise the budget")]
    assert "budgets" not in project.to_dict(project.from_dict(_project(None)))  # old files: no section, as before


@pytest.mark.parametrize("budgets, message", [
    ({"max_params": 0}, "budgets.max_params: expected an integer from 1 to"),
    ({"max_macs": "lots"}, "budgets.max_macs: expected an integer"),
    ({"max_flops": 3}, "budgets.'max_flops': unknown key"),
    ([1, 2], "budgets: expected an object"),
    ({"max_params": True}, "budgets.max_params: expected an integer"),
])
def test_bad_budgets_are_refused_with_where_they_are(budgets, message):
    with pytest.raises(ProjectError) as caught:
        project.from_dict(_project(budgets))
    assert message in str(caught.value)


def test_costs_after_an_edit_equal_a_full_recomputation():
    from builder.cost.totals import costs_after_edit
    from builder.inference.engine import ShapeInference
    from builder.model.document import GraphDocument

    doc = GraphDocument(builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))
    doc.add_node("gap", "GlobalAveragePooling2D", {})
    doc.connect("merged", "gap")
    engine = ShapeInference(doc)
    engine.update()
    costs = graph_costs(doc.graph, engine.results)
    doc.set_param("image", "shape", [32, 32, 1])  # every size changes; the pooling's output does not
    changed = engine.update()
    assert "gap" not in changed  # its result is the same: only what arrives changed
    assert costs_after_edit(doc.graph, engine.results, costs, changed) == graph_costs(doc.graph, engine.results)


def test_an_imported_layer_outside_the_catalog_has_no_macs_whatever_its_name():
    graph = wired_graph(("x", "Input", {"shape": [4, 8, 8, 2]}), ("c", "ConvLSTM2D", {}), edges=[("x", "c", 0)])
    graph.nodes["c"]["config"] = {"filters": 3, "kernel_size": [3, 3]}
    graph.nodes["c"]["keras_shape"] = {"shape": [None, 6, 6, 3], "trainable": 552, "non_trainable": 0,
                                       "inputs": [[None, 4, 8, 8, 2]]}
    results = builder.infer(graph)
    assert results["c"].shape == (None, 6, 6, 3)
    cost = graph_costs(graph, results)["c"]
    assert (cost.macs, cost.flops, cost.param_bytes) == (None, None, 552 * 4)


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(graphs())
def test_remembered_costs_equal_costs_computed_afresh(graph):
    """Costs are remembered by the engine's result objects and by (layer, params, shapes), across graphs (the
    examples before this one filled the memos): emptied, they must give the same costs."""
    results = builder.infer(graph)
    remembered = graph_costs(graph, results)
    again = graph_costs(graph, builder.infer(graph))  # a second pass: most results are the same objects
    clear_memos()
    assert remembered == again == graph_costs(graph, results), describe(graph)


def test_op_nodes_cost_by_their_conventions():
    graph = wired_graph(("a", "Input", {"shape": [6, 4]}), ("b", "Input", {"shape": [1, 4]}),
                        ("m", "Input", {"shape": [4, 5]}), ("mm", "ops.matmul", {}), ("add", "ops.add", {}),
                        ("half", "ops.multiply", {"x2": 0.5}), ("mean", "ops.mean", {"axis": [-1]}),
                        ("sum", "ops.sum", {"axis": [1], "keepdims": True}),
                        ("top", "ops.max", {"axis": [-1], "initial": 0.0}), ("sm", "ops.softmax", {}),
                        ("flat", "ops.reshape", {"newshape": [-1, 24]}), ("r", "ops.relu", {}),
                        edges=[("a", "mm", 0), ("m", "mm", 1), ("a", "add", 0), ("b", "add", 1), ("a", "half", 0),
                               ("a", "mean", 0), ("a", "sum", 0), ("a", "top", 0), ("a", "sm", 0),
                               ("a", "flat", 0), ("a", "r", 0)])
    costs = graph_costs(graph)
    assert costs["mm"] == (6 * 5 * 4, 2 * 6 * 5 * 4, 0, 6 * 5 * 4)  # output values × the shared size
    assert (costs["add"].macs, costs["add"].flops) == (0, 24)  # one per output value, broadcast (1, 4) included
    assert costs["half"].flops == 24 and costs["mean"].flops == 24  # a number operand; adds + divisions
    assert costs["sum"].flops == 24 - 4 and costs["top"].flops == (24 - 6) + 6  # initial: one more per output
    assert costs["sm"].flops == 5 * 24
    assert costs["flat"] == costs["r"] == (0, 0, 0, 24 * 4)


def test_softmax_counts_wherever_it_is_and_a_recurrent_layer_s_activation_does_not():
    graph = wired_graph(("x", "Input", {"shape": [6]}), ("d", "Dense", {"units": 3, "activation": "softmax"}),
                        ("s", "Input", {"shape": [5, 2]}), ("r", "SimpleRNN", {"units": 3, "activation": "softmax"}),
                        edges=[("x", "d", 0), ("s", "r", 0)])
    costs = graph_costs(graph)
    assert costs["d"].flops == 2 * 18 + 3 + 5 * 3
    assert costs["r"].flops == 2 * costs["r"].macs + 5 * 3  # its biases (steps × units), no softmax


def test_an_imported_op_outside_the_catalog_gets_its_bytes_and_says_why_its_macs_are_unknown():
    from builder.cost import why_unknown

    graph = wired_graph(("x", "Input", {"shape": [8, 6]}), ("c", "ops.cumsum", {}), edges=[("x", "c", 0)])
    graph.nodes["c"]["config"] = {"axis": 1}
    graph.nodes["c"]["keras_shape"] = {"shape": [None, 8, 6], "inputs": [[None, 8, 6]]}
    results = builder.infer(graph)
    cost = graph_costs(graph, results)["c"]
    assert cost == (None, None, 0, 8 * 6 * 4)
    assert "imported from Keras outside the catalog" in why_unknown("ops.cumsum", results["c"].shape)
    assert model_totals(results, graph_costs(graph, results)).uncounted == ("c",)


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["filters", "units", "shape", "padding"])),
                      min_size=1, max_size=6))
def test_totals_and_costs_kept_across_edits_equal_them_summed_afresh(edits):
    """graph_costs and model_totals answer a pass from the last one's where result objects are the same
    (builder/cost/totals.py): after every edit, including ones that make sizes unknown (nodes leave the totals
    for `uncounted`) or that block half the model, they must equal what nothing remembered gives."""
    from benchmarks.graphs import generated_graph
    from builder.cost.totals import _summed
    from builder.inference.engine import ShapeInference

    doc = generated_graph(60, seed=5)
    engine = ShapeInference(doc)
    engine.update()
    model_totals(engine.results, graph_costs(doc.graph, engine.results))
    layers = {"filters": "Conv2D", "units": "Dense", "padding": "Conv2D"}
    for pick, param in edits:
        if param == "shape":
            doc.set_param("image", "shape", [16, 16, 8] if pick % 2 else [None, None, 8])
        else:
            nodes = [n for n in doc.graph if doc.layer(n) == layers[param]]
            value = {"filters": [4, 8, 16], "units": [3, 8], "padding": ["same", "valid"]}[param]
            doc.set_param(nodes[pick % len(nodes)], param, value[pick % len(value)])
        engine.update()
        costs = graph_costs(doc.graph, engine.results)
        totals = model_totals(engine.results, costs)
        clear_memos()
        fresh = graph_costs(doc.graph, engine.results)
        assert costs == fresh
        assert totals == _summed(engine.results, fresh)
    engine.close()
