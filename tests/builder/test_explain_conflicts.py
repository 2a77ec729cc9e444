"""The sizes an error is about (builder.explain.conflicting_sizes): which axes conflict, the size each input
brings, and the derivation of each on the node that made it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

import builder
from builder.explain import conflicting_sizes
from builder.inference.engine import infer
from tests.builder.graph_strategy import describe, graphs
from tests.builder.small_graphs import wired_graph
from tests.conftest import EXAMPLES


def _by_axis(conflicts):
    return {c.what: [(s.source, s.axis, s.size) for s in c.sizes] for c in conflicts}


def test_the_seed_s_mismatch_links_each_branch_s_size_to_its_formula():
    graph = builder.load(EXAMPLES / "shape_mismatch.json")
    conflicts = conflicting_sizes(graph, "merged")
    assert [c.what for c in conflicts] == ["axis 1", "axis 2"]  # not axis 3, the joined one
    assert conflicts[0].text() == "26 vs 24 vs 22"
    assert [(s.source, s.line) for s in conflicts[0].sizes] == [
        ("conv_3x3", "26 = floor((28 − 3) / 1) + 1"), ("conv_5x5", "24 = floor((28 − 5) / 1) + 1"),
        ("conv_7x7", "22 = floor((28 − 7) / 1) + 1")]


def test_summed_axes_broadcasting_and_one_input():
    graph = wired_graph(("a", "Input", {"shape": [3, 4]}), ("b", "Input", {"shape": [5, 6]}),
                        ("one", "Input", {"shape": [1, 6]}), ("dot", "Dot", {"axes": [2, 1]}),
                        ("mm", "ops.matmul", {}), ("add", "Add", {}), ("x", "Input", {"shape": [4, 4, 1]}),
                        ("conv", "Conv2D", {"filters": 2, "kernel_size": 5}),
                        edges=[("a", "dot", 0), ("b", "dot", 1), ("a", "mm", 0), ("b", "mm", 1),
                               ("one", "add", 0), ("a", "add", 1), ("x", "conv", 0)])
    assert _by_axis(conflicting_sizes(graph, "dot")) == {"the summed axes": [("a", 2, 4), ("b", 1, 5)]}
    assert _by_axis(conflicting_sizes(graph, "mm")) == {"the summed axes": [("a", 2, 4), ("b", 1, 5)]}
    # (1, 6) against (3, 4): the 1 broadcasts, so only the last axis conflicts
    assert _by_axis(conflicting_sizes(graph, "add")) == {"axis 2": [("one", 2, 6), ("a", 2, 4)]}
    # a window that does not fit: the input's sizes the message names
    assert _by_axis(conflicting_sizes(graph, "conv")) == {"axis 1": [("x", 1, 4)], "axis 2": [("x", 2, 4)]}
    assert conflicting_sizes(graph, "a") == ()  # no error, nothing to link


def test_an_op_node_s_sizes_and_the_joined_axis_of_ops_concatenate():
    graph = wired_graph(("a", "Input", {"shape": [3, 4]}), ("b", "Input", {"shape": [5, 2]}), ("plus", "ops.add", {}),
                        ("join", "ops.concatenate", {"axis": 1}),
                        edges=[("a", "plus", 0), ("b", "plus", 1), ("a", "join", 0), ("b", "join", 1)])
    assert _by_axis(conflicting_sizes(graph, "plus")) == {"axis 1": [("a", 1, 3), ("b", 1, 5)],
                                                          "axis 2": [("a", 2, 4), ("b", 2, 2)]}
    assert _by_axis(conflicting_sizes(graph, "join")) == {"axis 2": [("a", 2, 4), ("b", 2, 2)]}  # not axis 1


def test_a_rank_mismatch_is_about_no_one_size():
    graph = wired_graph(("a", "Input", {"shape": [3, 4]}), ("b", "Input", {"shape": [12]}),
                        ("c", "Concatenate", {}), edges=[("a", "c", 0), ("b", "c", 1)])
    assert infer(graph)["c"].error and conflicting_sizes(graph, "c") == ()


@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(graphs())
def test_every_linked_size_is_the_source_s_size_and_its_line_derives_it(graph):
    results = infer(graph)
    for node in results:
        for conflict in conflicting_sizes(graph, node, results):
            sizes = {s.size for s in conflict.sizes}
            assert len(conflict.sizes) == 1 or len(sizes) > 1, describe(graph)
            for size in conflict.sizes:
                assert results[size.source].shape[size.axis] == size.size, describe(graph)
                assert size.line.split(" ")[0].rstrip(":") == f"{size.size:,}", (size, describe(graph))
