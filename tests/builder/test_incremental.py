"""Incremental inference gives exactly what a fresh inference gives, after any edit, undo or redo."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.graphs import deepest_param_node, generated_graph
from builder.editing.commands import History
from builder.inference.engine import ShapeInference, infer
from builder.model.document import GraphDocument, GraphError
from tests.builder.samples import cnn_branches, dense_merges
from tests.builder.test_commands import draw_command

SEQUENCES = int(os.environ.get("KC_INCREMENTAL_SEQUENCES", "60"))


def assert_same_as_fresh(engine, doc):
    fresh = infer(doc.graph)
    assert set(engine.results) == set(fresh)
    for node, result in fresh.items():
        assert engine.results[node] == result, node


@settings(max_examples=SEQUENCES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), start=st.sampled_from(["empty", "cnn", "merges"]))
def test_incremental_results_equal_fresh_inference_through_edits_undo_and_redo(data, start):
    doc = {"empty": GraphDocument, "cnn": cnn_branches, "merges": dense_merges}[start]()
    engine = ShapeInference(doc)
    engine.update()
    history = History(doc)
    for _ in range(25):
        try:
            history.push(draw_command(data, doc))
        except (GraphError, ValueError, TypeError):
            pass
        engine.update()
        assert_same_as_fresh(engine, doc)
    while history.done:
        history.undo()
        engine.update()
    assert_same_as_fresh(engine, doc)
    while history.undone:
        history.redo()
    engine.update()
    assert_same_as_fresh(engine, doc)


def test_update_reports_exactly_the_nodes_whose_results_changed():
    doc = generated_graph(200)
    engine = ShapeInference(doc)
    engine.update()
    before = dict(engine.results)
    node = deepest_param_node(doc)
    doc.set_param(node, "filters", 4)
    changed = engine.update()
    assert changed == {n for n in engine.results if engine.results[n] != before.get(n)}
    assert node in changed


def test_a_change_that_keeps_the_shape_stops_at_the_first_unchanged_node():
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [8, 8, 4]})
    doc.add_node("conv", "Conv2D", {"filters": 4, "kernel_size": 3, "padding": "same"})
    doc.add_node("pool", "MaxPooling2D", {"pool_size": 2})
    doc.add_node("flat", "Flatten", {})
    for a, b in (("x", "conv"), ("conv", "pool"), ("pool", "flat")):
        doc.connect(a, b)
    engine = ShapeInference(doc)
    engine.update()
    computed = []
    original = engine._compute
    engine._compute = lambda graph, node: computed.append(node) or original(graph, node)
    doc.set_param("conv", "kernel_size", 5)  # same output shape, more weights
    assert engine.update() == {"conv"}
    assert computed == ["conv"]
    doc.set_param("conv", "filters", 6)  # new shape: everything after it changes
    computed.clear()
    assert engine.update() == {"conv", "pool", "flat"}
    assert computed == ["conv", "pool", "flat"]


def test_values_equal_in_python_but_of_other_types_are_judged_each_on_its_own():
    """1 == True == 1.0 in Python; as Keras params they differ, whatever was inferred before."""
    import networkx as nx

    for good, bad in (({"units": 2, "use_bias": True}, {"units": 2, "use_bias": 1}),
                      ({"units": 2}, {"units": 2.0}),
                      ({"units": 2, "activation": None}, {"units": 2, "activation": 0})):
        for params in (good, bad):
            graph = nx.MultiDiGraph()
            graph.add_node("x", layer="Input", params={"shape": [3]})
            graph.add_node("d", layer="Dense", params=params)
            graph.add_edge("x", "d", port=0)
            error = infer(graph)["d"].error
            assert (error is None) == (params is good), (params, error)


def test_an_engine_takes_the_full_pass_another_ran_on_its_graph():
    """The window infers a large file in a background thread, then hands the results to the document's engine
    (ShapeInference.adopt): the same results as its own pass, every node reported changed once, and later edits
    recomputed incrementally as usual."""
    import pytest

    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [8, 8, 4]})
    doc.add_node("conv", "Conv2D", {"filters": 4, "kernel_size": 3})
    doc.add_node("flat", "Flatten", {})
    doc.connect("x", "conv")
    doc.connect("conv", "flat")
    own = ShapeInference(doc.graph)
    own.update()
    engine = ShapeInference(doc)
    engine.adopt(own)
    assert engine.update() == {"x", "conv", "flat"} and engine.results == own.results
    assert engine.update() == set()
    doc.set_param("conv", "filters", 6)
    assert engine.update() == {"conv", "flat"} and engine.results["flat"].shape == (None, 216)
    with pytest.raises(ValueError, match="this engine's graph"):
        ShapeInference(GraphDocument()).adopt(own)
