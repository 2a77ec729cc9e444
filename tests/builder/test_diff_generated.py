"""Generated edits on generated graphs come back exactly from the diff: the matching is the truth the edits kept,
and added, removed, renamed, changed and rewired are exactly what was done (tests/builder/diff_edits.py)."""

from __future__ import annotations

import copy

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.diff.matching import content_key, inputs_in_order
from builder.diff.model_diff import diff_graphs
from tests.builder.diff_edits import apply_edits, relabel
from tests.builder.graph_strategy import describe, graphs


@st.composite
def edited_graphs(draw):
    a = draw(graphs(min_nodes=3, max_nodes=12))
    nodes = list(a)
    picks = st.lists(st.sampled_from(nodes), max_size=3)
    rewires = st.lists(st.tuples(st.sampled_from(nodes), st.integers(0, 3), st.sampled_from(nodes)), max_size=2)
    b, truth = apply_edits(a, draw(picks), draw(picks), draw(picks), draw(st.lists(st.sampled_from(nodes),
                                                                                        max_size=2)), draw(rewires))
    return a, b, truth


def expected_rewired(a, b, mapping) -> dict:
    out = {}
    for old, new in mapping.items():
        before = [mapping.get(s, s) for s in inputs_in_order(a, old)]
        after = inputs_in_order(b, new)
        if before != after:
            out[new] = (before, after)
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_graphs())
def test_generated_edits_come_back_exactly(case):
    a, b, truth = case
    diff = diff_graphs(a, b)
    where = f"\nA:\n{describe(a)}\nB:\n{describe(b)}"
    assert diff.matched == truth.mapping, where
    assert diff.removed == [n for n in a if n not in truth.mapping], where
    assert sorted(diff.added) == sorted(truth.added), where
    assert diff.renamed == {x: y for x, y in truth.mapping.items() if x != y}, where
    assert {n: set(c) for n, c in diff.changed.items()} == truth.changed, where
    assert diff.rewired == expected_rewired(a, b, truth.mapping), where
    no_edit = not (diff.removed or diff.added or diff.renamed or diff.changed or diff.rewired)
    assert diff.same == (no_edit and diff.inputs is None and diff.outputs is None), where


@settings(max_examples=60, deadline=None)
@given(graphs(min_nodes=2, max_nodes=12))
def test_a_graph_is_the_same_as_its_copy_and_as_itself_renamed_nowhere(a):
    diff = diff_graphs(a, copy.deepcopy(a))
    assert diff.same and diff.matched == {n: n for n in a}
    assert not (diff.shape_changes or diff.param_changes or diff.errors_appeared or diff.errors_fixed)


@settings(max_examples=60, deadline=None)
@given(graphs(min_nodes=3, max_nodes=12))
def test_renaming_every_node_but_one_is_all_renames(a):
    """A chain of renames resolves one link per round from the one node that kept its id."""
    keep = next(iter(a))
    contents = {}
    for node in a:
        contents.setdefault(content_key(a, node), []).append(node)
    unique = {n for group in contents.values() if len(group) == 1 for n in group}
    connected = nx.node_connected_component(a.to_undirected(), keep)
    mapping = {n: f"r_{n}" for n in a if n != keep and n in unique and n in connected}
    diff = diff_graphs(a, relabel(a, mapping))
    assert diff.renamed == mapping and not (diff.added or diff.removed or diff.changed or diff.rewired)
