"""Copy/paste as project JSON, delete keeping wires, insert on a wire, add-and-connect: do, undo and redo give
back the identical document, and refused edits change nothing. No Qt."""

from __future__ import annotations

import pytest

from builder.editing.clipboard import NotASelection, Paste, copy_text, extract, fresh_id, read_selection
from builder.editing.compound import (
    DeleteKeepingWires,
    InsertOnWire,
    add_and_connect,
    insertion_problem,
    layers_accepting,
)
from builder.files import project
from builder.model.document import GraphDocument, GraphError
from tests.builder.samples import cnn_branches, dense_merges, do_undo_redo, snapshot

# ---- copy ---------------------------------------------------------------------------------------------------

def test_extract_keeps_wires_between_selected_and_relative_positions():
    doc = cnn_branches()
    graph = extract(doc, ["merged", "conv_3x3", "conv_5x5"])
    assert list(graph) == ["conv_3x3", "conv_5x5", "merged"]  # document order
    assert sorted(graph.edges(data="port")) == [("conv_3x3", "merged", 0), ("conv_5x5", "merged", 1)]
    assert graph.graph["ui"]["positions"] == {"conv_3x3": (0, 0), "conv_5x5": (0, 160), "merged": (220, 80)}
    assert graph.nodes["conv_3x3"]["params"]["padding"] == "same"


def test_extract_renumbers_merge_ports_without_gaps():
    doc = dense_merges()
    graph = extract(doc, ["b", "cat"])  # cat reads a (0), b (1), a (2): only b's wire is kept
    assert list(graph.edges(data="port")) == [("b", "cat", 0)]


def test_copy_text_is_a_readable_project():
    doc = cnn_branches()
    graph = read_selection(copy_text(doc, ["flat", "classes"]))
    assert list(graph) == ["flat", "classes"]
    assert project.to_dict(graph)["edges"] == [{"source": "flat", "target": "classes", "port": 0}]


@pytest.mark.parametrize("text", ["", "   ", "hello", "{}", '{"format": "keras-canvas", "version": 1, "nodes": []}',
                                  '{"format": "keras-canvas", "version": 1, "nodes": [{"id": "a", "layer": "Nope"}]}',
                                  "[1, 2]", None])
def test_text_that_is_not_a_selection_is_refused(text):
    with pytest.raises(NotASelection) as info:
        read_selection(text)
    assert "paste" in str(info.value)


# ---- ids ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("given, taken, expected", [
    ("conv_3x3", {"conv_3x3"}, "conv_3x3_2"),
    ("conv_3x3", {"conv_3x3", "conv_3x3_2"}, "conv_3x3_3"),
    ("conv_1", {"conv_1", "conv_2"}, "conv_3"),
    ("dense", set(), "dense"),
    ("x" * 100, {"x" * 100}, "x" * 98 + "_2"),
])
def test_fresh_id(given, taken, expected):
    assert fresh_id(given, taken) == expected


# ---- paste --------------------------------------------------------------------------------------------------

def test_paste_into_same_document_gets_fresh_ids_wires_and_positions():
    doc = cnn_branches()
    command = Paste(copy_text(doc, ["conv_3x3", "conv_5x5", "merged"]), at=(100, 500))
    do_undo_redo(doc, command)
    assert command.added == ["conv_3x3_2", "conv_5x5_2", "merged_2"]
    assert doc.inputs_of("merged_2") == [("conv_3x3_2", 0), ("conv_5x5_2", 1)]
    assert doc.positions["conv_3x3_2"] == (100, 500) and doc.positions["merged_2"] == (320, 580)
    assert doc.params("conv_5x5_2") == doc.params("conv_5x5")


def test_paste_into_another_document_keeps_free_ids():
    text = copy_text(cnn_branches(), ["flat", "classes"])
    other = GraphDocument()
    other.add_node("flat", "Flatten")
    command = Paste(text, at=(0, 0))
    do_undo_redo(other, command)
    assert command.added == ["flat_2", "classes"]
    assert other.inputs_of("classes") == [("flat_2", 0)]


def test_paste_of_a_merge_with_its_inputs_twice():
    doc = dense_merges()
    command = Paste(copy_text(doc, ["a", "cat", "sum"]), at=(0, 900))
    do_undo_redo(doc, command)
    assert doc.inputs_of("cat_2") == [("a_2", 0), ("a_2", 1)]


def test_paste_brings_an_imported_nodes_config_and_keras_shape_through_the_documents_checks():
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [3, 5]})
    stored = {"shape": [None, 3, 5], "trainable": 15, "non_trainable": 0, "inputs": [[None, 3, 5]]}
    doc.add_node("act", "RMSNormalization", {}, config={"axis": [1, 2]}, keras_shape=stored)  # outside the catalog
    doc.connect("x", "act")
    seen = []  # what a listener finds when it hears of each pasted node: the node complete, not half of it
    doc.subscribe(lambda change: change.kind == "node_added" and seen.append(dict(doc.graph.nodes[change.node])))
    paste = Paste(read_selection(copy_text(doc, ["x", "act"])))
    paste.do(doc)
    pasted = next(data for data in seen if data["layer"] == "RMSNormalization")
    assert pasted["config"] == {"axis": [1, 2]} and pasted["keras_shape"] == stored


def test_paste_without_positions_places_nodes_in_a_row():
    graph = extract(dense_merges(), ["b", "cat"])  # neither has a position
    doc = GraphDocument()
    command = Paste(graph, at=(10, 20))
    do_undo_redo(doc, command)
    assert doc.positions["b"][0] != doc.positions["cat"][0]


def test_paste_that_fails_changes_nothing():
    doc = cnn_branches()
    before = snapshot(doc)
    command = Paste(copy_text(doc, ["image", "conv_3x3"]), at=(2e9, 0))  # beyond the largest position
    with pytest.raises(GraphError):
        command.do(doc)
    assert snapshot(doc) == before


# ---- delete keeping wires -------------------------------------------------------------------------------------

def test_delete_keeping_wires_bridges_a_single_input_node():
    doc = cnn_branches()
    do_undo_redo(doc, DeleteKeepingWires(["flat"]))
    assert doc.inputs_of("classes") == [("merged", 0)]


def test_delete_keeping_wires_into_a_merge_keeps_the_port():
    doc = cnn_branches()
    do_undo_redo(doc, DeleteKeepingWires(["conv_3x3"]))
    assert doc.inputs_of("merged") == [("image", 0), ("conv_5x5", 1)]


def test_delete_keeping_wires_through_a_chain_and_a_merge():
    doc = cnn_branches()
    do_undo_redo(doc, DeleteKeepingWires(["merged", "flat"]))  # merged has two inputs: nothing to keep
    assert doc.inputs_of("classes") == []
    doc = cnn_branches()
    doc.add_node("drop", "Dropout", {"rate": 0.5})
    doc.disconnect("flat", "classes", 0)
    doc.connect("flat", "drop")
    doc.connect("drop", "classes")
    do_undo_redo(doc, DeleteKeepingWires(["drop", "flat"]))
    assert doc.inputs_of("classes") == [("merged", 0)]


def test_delete_keeping_wires_of_unknown_node_is_refused():
    doc = cnn_branches()
    before = snapshot(doc)
    with pytest.raises(GraphError):
        DeleteKeepingWires(["nope"]).do(doc)
    assert snapshot(doc) == before


# ---- insert on a wire -----------------------------------------------------------------------------------------

def test_insert_on_wire_puts_the_node_between_the_ends():
    doc = cnn_branches()
    doc.add_node("drop", "Dropout", {"rate": 0.25}, position=(0, 400))
    assert insertion_problem(doc, "drop", ("flat", "classes", 0)) is None
    do_undo_redo(doc, InsertOnWire("drop", ("flat", "classes", 0)))
    assert doc.inputs_of("drop") == [("flat", 0)] and doc.inputs_of("classes") == [("drop", 0)]


def test_insert_on_a_merge_wire_keeps_the_port():
    doc = cnn_branches()
    doc.add_node("pool", "MaxPooling2D", {"pool_size": 1})
    do_undo_redo(doc, InsertOnWire("pool", ("conv_3x3", "merged", 0)))
    assert doc.inputs_of("merged") == [("pool", 0), ("conv_5x5", 1)]


def test_insertion_that_breaks_shapes_is_reported_and_changes_nothing():
    doc = cnn_branches()
    doc.add_node("pool", "MaxPooling2D", {})  # halves 28x28: the Concatenate's inputs no longer match
    before = snapshot(doc)
    problem = insertion_problem(doc, "pool", ("conv_3x3", "merged", 0))
    assert problem and "merged" in problem
    doc.add_node("flat2", "Flatten", {})
    assert "flat2" in insertion_problem(doc, "flat2", ("image", "conv_3x3", 0))
    doc.remove_node("flat2")
    assert snapshot(doc) == before


def test_insert_of_a_wired_node_or_an_input_is_refused():
    doc = cnn_branches()
    assert insertion_problem(doc, "flat", ("image", "conv_3x3", 0))
    doc.add_node("other", "Input", {"shape": [3]})
    assert "Input" in insertion_problem(doc, "other", ("flat", "classes", 0))


# ---- add and connect ------------------------------------------------------------------------------------------

def test_add_and_connect_from_an_output_and_into_an_input():
    doc = cnn_branches()
    node, command = add_and_connect(doc, "Dense", (1000, 0), source="classes")
    do_undo_redo(doc, command)
    assert node == "dense_1" and doc.inputs_of(node) == [("classes", 0)]
    doc.disconnect("flat", "classes", 0)
    node, command = add_and_connect(doc, "Flatten", (500, 0), target=("classes", 0))
    do_undo_redo(doc, command)
    assert doc.inputs_of("classes") == [(node, 0)]


def test_layers_accepting_a_tensor():
    images = layers_accepting((None, 28, 28, 1))
    assert "Conv2D" in images and "Flatten" in images and "Concatenate" in images and "Input" not in images
    vectors = layers_accepting((None, 10))
    assert "Dense" in vectors and "Conv2D" not in vectors and "MaxPooling2D" not in vectors
    assert "Input" not in layers_accepting(None)


# ---- align, distribute, find ------------------------------------------------------------------------------------

def test_align_modes():
    from builder.layout.align import align

    rects = {"a": (0, 0, 100, 50), "b": (40, 100, 100, 80)}
    assert align(rects, "left") == {"a": (0, 0), "b": (0, 100)}
    assert align(rects, "right") == {"a": (40, 0), "b": (40, 100)}
    assert align(rects, "top") == {"a": (0, 0), "b": (40, 0)}
    assert align(rects, "bottom") == {"a": (0, 130), "b": (40, 100)}
    assert align(rects, "centre_x") == {"a": (20, 0), "b": (20, 100)}
    assert align(rects, "centre_y") == {"a": (0, 65), "b": (40, 50)}
    with pytest.raises(ValueError):
        align(rects, "diagonal")


def test_distribute_gives_equal_gaps_and_keeps_the_ends():
    from builder.layout.align import distribute

    rects = {"a": (0, 0, 100, 10), "b": (120, 5, 100, 10), "c": (500, 9, 100, 10)}
    assert distribute(rects, "x") == {"a": (0, 0), "b": (250, 5), "c": (500, 9)}
    assert distribute({"a": (0, 0, 1, 1), "b": (9, 9, 1, 1)}, "y") == {"a": (0, 0), "b": (9, 9)}


def test_find_nodes_by_id_or_layer():
    from builder.layout.align import find_nodes

    doc = cnn_branches()
    assert find_nodes(doc, "conv") == ["conv_3x3", "conv_5x5"]
    assert find_nodes(doc, "CONCAT") == ["merged"]
    assert find_nodes(doc, "flat") == ["flat"]
    assert find_nodes(doc, "dense") == ["classes"]
    assert find_nodes(doc, "  ") == [] and find_nodes(doc, "zzz") == []
