"""`check`'s table read from the results (how the command prints a large graph: each result object's cells made
once) is the table read from check_dict's rows, line for line, whatever the graph holds: errors, blocked
nodes, warnings, cycles, odd wires."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.inference.engine import infer
from builder.inference.report import check_dict, check_summary, check_table
from tests.builder.graph_strategy import describe, graphs


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(graph=graphs(), extra=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=2))
def test_the_table_from_results_is_the_table_from_the_rows(graph, extra):
    nodes = list(graph)
    for a, b in extra:  # a wire that may close a cycle or double a port
        graph.add_edge(nodes[a % len(nodes)], nodes[b % len(nodes)], port=0)
    results = infer(graph)
    from_rows = check_table(graph, check_dict(graph, results))
    from_results = check_table(graph, check_summary(graph, results), results)
    assert from_results == from_rows, describe(graph)
