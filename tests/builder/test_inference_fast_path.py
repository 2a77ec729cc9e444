"""The full pass's shortcuts (a node seen before with the same params and input shapes takes the remembered
result: one-input layers, and merges with wires on ports 0..n-1) give exactly what checking every node in full
gives, on generated models, on random graphs, and on merges wired every odd way."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.graphs import generated_graph
from builder.inference import engine
from builder.inference.engine import infer
from tests.builder.graph_strategy import graphs


def every_node_in_full(graph, monkeypatch):
    """infer() with the shortcuts off: they only answer for ids the engine has seen pass, so none pass."""
    with monkeypatch.context() as patch:
        patch.setattr(engine, "_GOOD_IDS", set())
        return infer(graph)


def assert_shortcuts_agree(graph, monkeypatch):
    full = every_node_in_full(graph, monkeypatch)
    infer(graph)  # the memos filled
    assert infer(graph) == full


def test_a_generated_model_gives_the_same_results(monkeypatch):
    assert_shortcuts_agree(generated_graph(400, seed=3).graph, monkeypatch)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(graph=graphs(), extra=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.sampled_from(
    [0, 1, 2, 3, True, "0", None])), max_size=3))
def test_random_graphs_with_odd_wires_give_the_same_results(graph, extra, monkeypatch):
    nodes = list(graph)
    for a, b, port in extra:  # a second wire on a used port, a gap, a bool, a text or no port at all
        graph.add_edge(nodes[a % len(nodes)], nodes[b % len(nodes)], port=port)
    assert_shortcuts_agree(graph, monkeypatch)


@pytest.mark.parametrize("ports", [(0, 1), (1, 0), (0, 2), (0, 0), (0, True), (0, 1, 2), (1, 2), (0,)])
def test_merges_wired_on_any_ports_give_the_same_results(ports, monkeypatch):
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [4, 8]})
    for layer in ("Add", "Concatenate"):
        for copy in range(2):  # the second copy is answered from what the first left
            merge = f"{layer}_{copy}"
            graph.add_node(merge, layer=layer, params={})
            for i, port in enumerate(ports):
                source = f"{merge}_in{i}"
                graph.add_node(source, layer="Dense", params={"units": 8})
                graph.add_edge("x", source, port=0)
                graph.add_edge(source, merge, port=port)
    graph.add_edge("x", "Add_1", port=len(ports))  # the same source on two ports of one merge
    assert_shortcuts_agree(graph, monkeypatch)


def test_a_layer_with_a_notice_keeps_its_warning_when_seen_again():
    """Normalization before it is adapted warns on its own (a spec notice); the remembered result of an equal
    node lacks that warning, so such a node is never answered from memory (a second pass lost it)."""
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [3, 2]})
    graph.add_node("norm", layer="Normalization", params={})
    graph.add_edge("x", "norm", port=0)
    first, again = infer(graph)["norm"], infer(graph)["norm"]
    assert first.warnings and again == first


def test_a_node_with_the_same_warnings_again_keeps_its_result_object_so_its_cost_is_remembered():
    # The costs' memo (builder/cost/totals.py) is keyed by result objects; a Dense with a warning (here after a
    # rank-3 tensor) used to get a new object on every pass and so had its cost computed again each time.
    from builder.cost.totals import graph_costs

    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [4, 8]})
    graph.add_node("dense", layer="Dense", params={"units": 3})
    graph.add_edge("x", "dense", port=0)
    first, second = infer(graph), infer(graph)
    assert first["dense"].warnings and second["dense"] is first["dense"]
    assert graph_costs(graph, second)["dense"] is graph_costs(graph, first)["dense"]
    graph.nodes["dense"]["params"] = {"units": 5}  # another result: another object, other warnings' owner
    third = infer(graph)
    assert third["dense"] is not first["dense"] and third["dense"].shape == (None, 4, 5)
