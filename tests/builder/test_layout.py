"""Automatic layout: columns by topological depth, parallel branches in separate rows, the same answer every
time."""

from __future__ import annotations

import networkx as nx

from builder.layout.auto_layout import COLUMN_WIDTH, ROW_HEIGHT, auto_layout
from builder.model.document import GraphDocument
from tests.builder.samples import cnn_branches, dense_merges


def columns(positions):
    return {node: round(x / COLUMN_WIDTH) for node, (x, _y) in positions.items()}


def rows(positions):
    return {node: y / ROW_HEIGHT for node, (_x, y) in positions.items()}


def test_columns_follow_the_longest_path_from_a_source():
    doc = cnn_branches()
    doc.add_node("skip", "Flatten")
    doc.connect("image", "skip")
    doc.add_node("late", "Concatenate")
    doc.connect("skip", "late")
    doc.connect("flat", "late")
    assert columns(auto_layout(doc)) == {"image": 0, "conv_3x3": 1, "conv_5x5": 1, "skip": 1, "merged": 2,
                                         "flat": 3, "classes": 4, "late": 4}


def test_branches_get_their_own_rows_and_a_merge_sits_between_them():
    doc = GraphDocument()
    doc.add_node("image", "Input", {"shape": [28, 28, 1]})
    for kernel in (3, 5, 7):
        doc.add_node(f"conv_{kernel}x{kernel}", "Conv2D", {"filters": 8, "kernel_size": kernel, "padding": "same"})
        doc.connect("image", f"conv_{kernel}x{kernel}")
    doc.add_node("merged", "Concatenate")
    for kernel in (3, 5, 7):
        doc.connect(f"conv_{kernel}x{kernel}", "merged")
    positions = auto_layout(doc)
    assert rows(positions) == {"image": 0, "conv_3x3": -1, "conv_5x5": 0, "conv_7x7": 1, "merged": 0}
    assert positions["conv_3x3"] == (COLUMN_WIDTH, -ROW_HEIGHT)


def test_two_input_chains_stay_level_and_apart():
    positions = auto_layout(dense_merges())
    row = rows(positions)
    assert row["left"] != row["right"]
    assert row["a"] == row["left"] and row["b"] == row["right"]
    assert len(set(positions.values())) == len(positions)  # no two nodes on one spot


def test_layout_is_deterministic_and_covers_every_node():
    doc = dense_merges()
    first = auto_layout(doc)
    assert first == auto_layout(doc) == auto_layout(doc.graph) == auto_layout(nx.MultiDiGraph(doc.graph))
    assert list(first) == doc.node_ids()
    assert all(isinstance(v, float) for xy in first.values() for v in xy)


def test_cycles_and_empty_graphs_do_not_break_it():
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [2]})
    graph.add_node("a", layer="Dense", params={"units": 2})
    graph.add_node("b", layer="Dense", params={"units": 2})
    graph.add_node("c", layer="Dense", params={"units": 2})
    graph.add_edge("a", "b", port=0)
    graph.add_edge("b", "a", port=0)
    graph.add_edge("b", "c", port=0)
    col = columns(auto_layout(graph))
    assert col["x"] == 0 and col["a"] == col["b"] == col["c"] == 1
    assert auto_layout(nx.MultiDiGraph()) == {}
    assert auto_layout(GraphDocument()) == {}


def chain_of_diamonds(blocks: int) -> GraphDocument:
    """`blocks` diamonds in a row (split into two Dense branches, Add them): 2 columns per block; 2 tensors cross
    into an Add (its two branches), 1 into the next block (the Add's output, read by both branches)."""
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [4]})
    last = "x"
    for b in range(blocks):
        for branch in ("l", "r"):
            doc.add_node(f"{branch}{b}", "Dense", {"units": 4})
            doc.connect(last, f"{branch}{b}")
        doc.add_node(f"add{b}", "Add")
        doc.connect(f"l{b}", f"add{b}")
        doc.connect(f"r{b}", f"add{b}")
        last = f"add{b}"
    return doc


def bands(positions):
    """Nodes grouped by band: a band starts where x goes back to 0."""
    found = []
    for node, (x, _y) in positions.items():
        if x == 0 or not found:
            found.append([])
        found[-1].append(node)
    return found


def test_a_deep_model_is_wrapped_into_bands_about_as_wide_as_high():
    doc = GraphDocument()
    doc.add_node("n0", "Input", {"shape": [4]})
    for i in range(1, 800):
        doc.add_node(f"n{i}", "Dense", {"units": 4})
        doc.connect(f"n{i - 1}", f"n{i}")
    positions = auto_layout(doc)
    xs, ys = [x for x, _y in positions.values()], [y for _x, y in positions.values()]
    width, height = max(xs) - min(xs) + COLUMN_WIDTH, max(ys) - min(ys) + ROW_HEIGHT
    assert 1.0 < width / height < 2.5  # one strip would be 800 columns wide and one row high
    assert len(set(positions.values())) == 800
    found = bands(positions)
    assert len(found) > 5
    for band in found:  # a band reads left to right, one column further per step of the chain
        assert [positions[n][0] for n in band] == [i * COLUMN_WIDTH for i in range(len(band))]
    tops = [positions[band[0]][1] for band in found]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # bands stacked top to bottom
    assert positions == auto_layout(doc)


def test_bands_end_between_blocks_where_fewest_wires_cross():
    doc = chain_of_diamonds(40)  # 81 columns
    positions = auto_layout(doc)
    found = bands(positions)
    assert len(found) > 2
    for band in found[1:]:
        assert band[0].startswith(("l", "r")), band[:3]  # each band opens with a block, not inside one
    ys = {n: y for n, (_x, y) in positions.items()}
    for b in range(40):  # within a block the two branches keep their own rows
        assert ys[f"l{b}"] != ys[f"r{b}"]


def test_a_graph_of_up_to_forty_columns_keeps_one_strip():
    assert len(bands(auto_layout(chain_of_diamonds(19)))) == 1  # 39 columns
    assert len(bands(auto_layout(chain_of_diamonds(20)))) > 1  # 41
