"""The full pass's shortcuts (a node seen before with the same params and input shapes takes the remembered
result: one-input layers, and merges with wires on ports 0..n-1) give exactly what checking every node in full
gives, on generated models, on random graphs, and on merges wired every odd way."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmarks.graphs import generated_graph
from builder.inference import engine
from builder.inference.engine import infer
from tests.builder.graph_strategy import graphs


def every_node_in_full(graph, monkeypatch):
    """infer() with the shortcuts off: every node computed by its layer's rules."""
    with monkeypatch.context() as patch:
        patch.setattr(engine, "SHORTCUTS", False)
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


# Ids made of the pieces each test of check_node_id is about: spaces (ASCII and not) at either end, a tab, a
# line separator, '/', lengths about the limit; and ids that are not texts.
_ID_PIECES = st.sampled_from(["a", "_1", " ", "\t", "\u3000", "\u2028", "/", "é", "x" * 50])


@settings(max_examples=300, deadline=None)
@given(ids=st.lists(st.one_of(st.lists(_ID_PIECES, max_size=4).map("".join), st.text(max_size=4), st.integers()),
                    max_size=5, unique=True))
@example(ids=["a "]).via("trailing space")
@example(ids=[" a", "ok"]).via("leading space")
@example(ids=["x" * 100, "y" * 101]).via("length limit")
def test_ids_checked_all_at_once_fail_exactly_where_check_node_id_fails(ids):
    from builder.model import node_checks

    expected = set()
    for node_id in ids:
        try:
            node_checks.check_node_id(node_id)
        except node_checks.InvalidName:
            expected.add(node_id)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(node_checks, "GOOD_IDS", set())
        assert node_checks.remember_good_ids(ids) == expected
        assert node_checks.GOOD_IDS == set(ids) - expected


def test_a_bad_id_in_a_graph_seen_for_the_first_time_is_reported_on_its_node():
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [4]})
    graph.add_node("bad/id", layer="ReLU", params={})
    graph.add_node("after", layer="ReLU", params={})
    graph.add_edge("x", "bad/id", port=0)
    graph.add_edge("bad/id", "after", port=0)
    for _pass in range(2):  # the second pass finds the good ids remembered
        results = infer(graph)
        assert "cannot contain '/'" in results["bad/id"].error
        assert results["after"].blocked_by == "bad/id" and results["x"].shape == (None, 4)
