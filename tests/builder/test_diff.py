"""The diff's rules on hand-made graphs: defaults left out or spelled out are the same, a layer or config change
is a change, twins are told apart by their wiring, a renamed and edited node is a rename with changes, the model's
input order counts, errors that appear or go are named, and the other version follows this one's layout."""

from __future__ import annotations

import copy

import networkx as nx

from builder.diff.follow_layout import follow_layout
from builder.diff.model_diff import diff_graphs
from builder.diff.report import diff_text, signed, totals_text
from tests.builder.diff_edits import relabel


def chain(*layers) -> nx.MultiDiGraph:
    """x -> n1 -> n2 ... with (layer, params) per node after the Input."""
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [8]})
    previous = "x"
    for index, (layer, params) in enumerate(layers, start=1):
        graph.add_node(f"n{index}", layer=layer, params=dict(params))
        graph.add_edge(previous, f"n{index}", port=0)
        previous = f"n{index}"
    return graph


def test_a_default_spelled_out_is_the_same_as_one_left_out():
    a = chain(("Dense", {"units": 4}))
    b = chain(("Dense", {"units": 4, "use_bias": True, "activation": None}))
    assert diff_graphs(a, b).same


def test_layer_and_config_changes_are_changes():
    a = chain(("Dense", {"units": 4}))
    b = copy.deepcopy(a)
    b.nodes["n1"]["layer"] = "Dropout"
    b.nodes["n1"]["params"] = {"rate": 0.5}
    b.nodes["n1"]["config"] = {"seed": 3}
    changes = diff_graphs(a, b).changed["n1"]
    assert changes == {"layer": ("Dense", "Dropout"), "units": (4, None), "rate": (None, 0.5),
                       "config.seed": (None, 3)}


def test_twins_are_told_apart_by_their_wiring():
    """Two identical branches, both renamed: each rename goes to the branch that reads the same input."""
    a = nx.MultiDiGraph()
    a.add_node("p", layer="Input", params={"shape": [8]})
    a.add_node("q", layer="Input", params={"shape": [8]})
    for name, source in (("left", "p"), ("right", "q")):
        a.add_node(name, layer="Dense", params={"units": 4})
        a.add_edge(source, name, port=0)
    a.add_node("sum", layer="Add", params={})
    a.add_edge("left", "sum", port=0)
    a.add_edge("right", "sum", port=1)
    diff = diff_graphs(a, relabel(a, {"left": "l2", "right": "r2"}))
    assert diff.renamed == {"left": "l2", "right": "r2"} and not diff.rewired


def test_renamed_and_edited_is_a_rename_with_changes():
    a = chain(("Dense", {"units": 4}), ("Dense", {"units": 2}))
    b = relabel(a, {"n1": "hidden"})
    b.nodes["hidden"]["params"]["units"] = 16
    diff = diff_graphs(a, b)
    assert diff.renamed == {"n1": "hidden"} and diff.changed == {"hidden": {"units": (4, 16)}}
    assert diff.shape_changes == {"hidden": ([None, 4], [None, 16])}
    assert diff.param_changes == {"hidden": (36, 144), "n2": (10, 34)}


def test_the_order_of_model_inputs_counts():
    a = nx.MultiDiGraph()
    for name in ("i1", "i2"):
        a.add_node(name, layer="Input", params={"shape": [4]})
    a.add_node("cat", layer="Concatenate", params={})
    a.add_edge("i1", "cat", port=0)
    a.add_edge("i2", "cat", port=1)
    b = nx.MultiDiGraph()
    for node in ("i2", "i1", "cat"):
        b.add_node(node, **a.nodes[node])
    b.add_edges_from(a.edges(data=True))
    diff = diff_graphs(a, b)
    assert diff.inputs == (["i1", "i2"], ["i2", "i1"]) and not diff.same


def test_errors_that_appear_and_go_are_named():
    a = chain(("Dense", {"units": 4}), ("Reshape", {"target_shape": [2, 2]}))
    b = copy.deepcopy(a)
    b.nodes["n1"]["params"]["units"] = 5
    diff = diff_graphs(a, b)
    assert list(diff.errors_appeared) == ["n2"] and diff.shape_changes["n2"] == ([None, 2, 2], None)
    back = diff_graphs(b, a)
    assert list(back.errors_fixed) == ["n2"]
    assert "errors appeared (1):\n  n2: " in diff_text(diff)


def test_removed_nodes_show_where_they_were_next_to_their_neighbours():
    a = chain(("Dense", {"units": 4}), ("Dense", {"units": 3}), ("Dense", {"units": 2}))
    a.graph["ui"] = {"positions": {"x": [0, 0], "n1": [300, 0], "n2": [600, 0], "n3": [900, 0]}}
    b = copy.deepcopy(a)
    b.remove_node("n2")
    b.add_edge("n1", "n3", port=0)
    b.graph["ui"]["positions"] = {"x": [1000, 500], "n1": [1300, 500], "n3": [1900, 500]}  # moved as a whole
    diff = diff_graphs(a, b)
    placed = follow_layout(a, diff.matched, b.graph["ui"]["positions"])
    assert placed["n1"] == (1300, 500) and placed["n2"] == (1600, 500)


def test_totals_line_and_signs():
    a = chain(("Dense", {"units": 4}))
    b = copy.deepcopy(a)
    b.nodes["n1"]["params"]["units"] = 2
    assert totals_text(diff_graphs(a, b)) == \
        "0 added, 0 removed, 1 changed, 0 renamed, 0 rewired · params 36 → 18 (−18)"
    assert (signed(0), signed(5), signed(-1234)) == ("±0", "+5", "−1,234")
