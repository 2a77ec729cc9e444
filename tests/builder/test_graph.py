"""The graph document: refused edits change nothing and say why; applied edits emit events; merge ports,
renames and remove/restore keep the document exact."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from builder.catalog.specs import CATALOG
from builder.model.document import (
    UNSET,
    BadPort,
    CycleError,
    DuplicateId,
    EdgeIntoInput,
    GraphDocument,
    GraphError,
    InvalidName,
    InvalidParam,
    InvalidPosition,
    NoSuchEdge,
    PortTaken,
    UnknownLayer,
    UnknownNode,
    check_node_id,
)
from tests.builder.samples import Recorder, cnn_branches, dense_merges, snapshot

# ---- refusals --------------------------------------------------------------------------------------------

REFUSALS = {
    "unknown layer": (lambda d: d.add_node("x", "Dense2"), UnknownLayer, "unknown layer 'Dense2'"),
    "layer None": (lambda d: d.add_node("x", None), UnknownLayer, "unknown layer"),
    "duplicate id": (lambda d: d.add_node("merged", "Flatten"), DuplicateId, "already used by a Concatenate"),
    "id with slash": (lambda d: d.add_node("a/b", "Flatten"), InvalidName, "'/'"),
    "id with newline": (lambda d: d.add_node("a\nb", "Flatten"), InvalidName, "line breaks"),
    "id with carriage return": (lambda d: d.add_node("a\rb", "Flatten"), InvalidName, "invalid id"),
    "id with tab": (lambda d: d.add_node("a\tb", "Flatten"), InvalidName, "invalid id"),
    "id with line separator": (lambda d: d.add_node("a\u2028b", "Flatten"), InvalidName, "invalid id"),
    "id with NUL": (lambda d: d.add_node("a\x00b", "Flatten"), InvalidName, "invalid id"),
    "id with lone surrogate": (lambda d: d.add_node("a\ud800", "Flatten"), InvalidName, "invalid id"),
    "empty id": (lambda d: d.add_node("", "Flatten"), InvalidName, "non-empty"),
    "blank id": (lambda d: d.add_node("   ", "Flatten"), InvalidName, "non-empty"),
    "padded id": (lambda d: d.add_node(" x", "Flatten"), InvalidName, "start or end with a space"),
    "long id": (lambda d: d.add_node("x" * 101, "Flatten"), InvalidName, "100 characters"),
    "id not text": (lambda d: d.add_node(3, "Flatten"), InvalidName, "non-empty text"),
    "param not a number": (lambda d: d.add_node("x", "Dense", {"units": "ten"}), InvalidParam,
                           'x: units: expected a positive integer, got "ten"'),
    "param zero": (lambda d: d.add_node("x", "Dense", {"units": 0}), InvalidParam, "got 0"),
    "param bool for int": (lambda d: d.add_node("x", "Dense", {"units": True}), InvalidParam, "got True"),
    "param bad choice": (lambda d: d.add_node("x", "Conv2D", {"filters": 1, "kernel_size": 3, "padding": "full"}),
                         InvalidParam, "padding"),
    "rate of 1": (lambda d: d.add_node("x", "Dropout", {"rate": 1.0}), InvalidParam, "rate"),
    "unknown param": (lambda d: d.add_node("x", "Dense", {"units": 3, "unit": 3}), InvalidParam,
                      "Dense has no parameter 'unit'"),
    "missing required param": (lambda d: d.add_node("x", "Dense", {}), InvalidParam, "units is required"),
    "position NaN": (lambda d: d.add_node("x", "Flatten", position=(math.nan, 0)), InvalidPosition, "finite"),
    "position infinite": (lambda d: d.add_node("x", "Flatten", position=(0, math.inf)), InvalidPosition, "finite"),
    "position huge": (lambda d: d.add_node("x", "Flatten", position=(1e10, 0)), InvalidPosition, "finite"),
    "position text": (lambda d: d.add_node("x", "Flatten", position=("1", 0)), InvalidPosition, "finite"),
    "position one number": (lambda d: d.add_node("x", "Flatten", position=(1,)), InvalidPosition, "(x, y)"),
    "port taken": (lambda d: d.connect("image", "flat"), PortTaken, "flat already reads from merged"),
    "port taken explicit": (lambda d: d.connect("image", "flat", 0), PortTaken, "port 0 already reads from merged"),
    "same wire twice": (lambda d: d.connect("merged", "flat"), PortTaken, "already reads from merged"),
    "port out of range": (lambda d: d.connect("image", "flat", 1), BadPort, "1 input port"),
    "negative port": (lambda d: d.connect("image", "flat", -1), BadPort, "port -1"),
    "port as text": (lambda d: d.connect("image", "flat", "0"), BadPort, "port '0'"),
    "port as bool": (lambda d: d.connect("image", "merged", True), BadPort, "port True"),
    "merge port past the end": (lambda d: d.connect("image", "merged", 3), BadPort, "use port 2"),
    "merge port taken": (lambda d: d.connect("image", "merged", 0), PortTaken, "port 0 is already connected"),
    "edge into Input": (lambda d: d.connect("classes", "image"), EdgeIntoInput, "image is an Input"),
    "cycle": (lambda d: d.connect("classes", "merged"), CycleError, "cycle"),
    "self-loop": (lambda d: d.connect("merged", "merged"), CycleError, "cycle"),
    "connect unknown source": (lambda d: d.connect("ghost", "flat"), UnknownNode, "no node 'ghost'"),
    "connect unknown target": (lambda d: d.connect("image", "ghost"), UnknownNode, "no node 'ghost'"),
    "disconnect missing wire": (lambda d: d.disconnect("image", "flat", 0), NoSuchEdge, "no wire image -> flat"),
    "disconnect wrong port": (lambda d: d.disconnect("conv_3x3", "merged", 1), NoSuchEdge, "on port 1"),
    "disconnect unknown node": (lambda d: d.disconnect("ghost", "flat", 0), UnknownNode, "ghost"),
    "disconnect unknown target": (lambda d: d.disconnect("flat", "ghost", 0), UnknownNode, "ghost"),
    "set invalid value": (lambda d: d.set_param("classes", "units", -3), InvalidParam,
                          "classes: units: expected a positive integer, got -3"),
    "set unknown param": (lambda d: d.set_param("classes", "filters", 3), InvalidParam, "no parameter 'filters'"),
    "unset unknown param": (lambda d: d.set_param("classes", "filters"), InvalidParam, "no parameter 'filters'"),
    "unset required param": (lambda d: d.set_param("classes", "units", UNSET), InvalidParam,
                             "units is required by Dense"),
    "unset Input shape": (lambda d: d.set_param("image", "shape"), InvalidParam, "shape is required"),
    "set on unknown node": (lambda d: d.set_param("ghost", "units", 3), UnknownNode, "ghost"),
    "rename to used id": (lambda d: d.rename("flat", "merged"), DuplicateId, "already used"),
    "rename with slash": (lambda d: d.rename("flat", "a/b"), InvalidName, "'/'"),
    "rename with newline": (lambda d: d.rename("flat", "flat\n"), InvalidName, "invalid id"),
    "rename to empty": (lambda d: d.rename("flat", ""), InvalidName, "non-empty"),
    "rename unknown": (lambda d: d.rename("ghost", "spirit"), UnknownNode, "ghost"),
    "remove unknown": (lambda d: d.remove_node("ghost"), UnknownNode, "ghost"),
    "move unknown": (lambda d: d.move("ghost", (1, 2)), UnknownNode, "ghost"),
    "move to NaN": (lambda d: d.move("flat", (1, math.nan)), InvalidPosition, "finite"),
    "move to bools": (lambda d: d.move("flat", (True, False)), InvalidPosition, "finite"),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_refused_edit_raises_its_typed_error_and_changes_nothing(name):
    edit, error, message = REFUSALS[name]
    doc = cnn_branches()
    before, graph = snapshot(doc), doc.graph
    recorder = Recorder(doc)
    with pytest.raises(error) as caught:
        edit(doc)
    assert isinstance(caught.value, GraphError)
    assert message in str(caught.value)
    assert snapshot(doc) == before
    assert doc.graph is graph
    assert recorder.changes == []


def test_check_connect_answers_without_changing_anything():
    doc = cnn_branches()
    before = snapshot(doc)
    assert doc.check_connect("image", "merged") == 2
    assert doc.check_connect("image", "merged", 0, insert=True) == 0
    with pytest.raises(CycleError):
        doc.check_connect("flat", "conv_3x3")
    assert snapshot(doc) == before


@pytest.mark.parametrize("good", ["conv_3x3", "conv 3x3", "été", "a-b", 'say "hi"', "back\\slash", "class", "x" * 100,
                                  "🙂", "__import__('os').system('touch MARKER')"])
def test_ids_may_hold_any_printable_text_but_slash(good):
    assert check_node_id(good) == good
    doc = GraphDocument()
    doc.add_node(good, "Input", {"shape": [4]})
    assert doc.node_ids() == [good]


# ---- events ----------------------------------------------------------------------------------------------

def test_each_applied_mutation_emits_its_change():
    doc = GraphDocument()
    recorder = Recorder(doc)
    doc.add_node("x", "Input", {"shape": [4]})
    doc.add_node("d", "Dense")
    doc.connect("x", "d")
    doc.set_param("d", "units", 7)
    doc.set_param("d", "activation", UNSET)
    doc.move("d", (3, 4))
    doc.rename("d", "dense")
    doc.disconnect("x", "dense", 0)
    doc.remove_node("dense")
    doc.replace(nx.MultiDiGraph())
    summary = [(c.kind, c.node, c.source, c.port, c.old_id, c.name) for c in recorder.changes]
    assert summary == [
        ("node_added", "x", None, None, None, None),
        ("node_added", "d", None, None, None, None),
        ("edge_added", "d", "x", 0, None, None),
        ("param_changed", "d", None, None, None, "units"),
        ("param_changed", "d", None, None, None, "activation"),
        ("node_moved", "d", None, None, None, None),
        ("node_renamed", "dense", None, None, "d", None),
        ("edge_removed", "dense", "x", 0, None, None),
        ("node_removed", "dense", None, None, None, None),
        ("reset", None, None, None, None, None),
    ]


def test_remove_node_reports_its_wires_before_the_node_and_unsubscribe_stops_events():
    doc = cnn_branches()
    recorder = Recorder(doc)
    doc.remove_node("merged")
    assert recorder.kinds == ["edge_removed"] * 3 + ["node_removed"]
    doc.unsubscribe(recorder.changes.append)
    doc.add_node("late", "Flatten")
    assert len(recorder.changes) == 4


def test_new_node_gets_start_params_and_document_index():
    doc = cnn_branches()
    doc.add_node("d", "Dense")
    assert doc.params("d") == {"units": 32}
    doc.add_node("first", "Input", index=0)
    assert doc.params("first") == {"shape": [28, 28, 1]}
    assert doc.node_ids()[:2] == ["first", "image"] and doc.node_ids()[-1] == "d"
    assert doc.new_id("dense") == "dense_1"
    doc.add_node("dense_1", "Dense", {"units": 1})
    assert doc.new_id("dense") == "dense_2"


@pytest.mark.parametrize("layer", list(CATALOG))
def test_every_catalog_layer_can_be_placed_with_its_start_params(layer):
    doc = GraphDocument()
    doc.add_node("node", layer)
    assert set(doc.params("node")) == {p.name for p in CATALOG[layer].params if p.required}


def test_params_are_a_copy_and_stored_in_json_form():
    doc = GraphDocument()
    doc.add_node("c", "Conv2D", {"filters": 2, "kernel_size": (3, 3)})
    assert doc.params("c")["kernel_size"] == [3, 3]
    doc.params("c")["filters"] = 99
    assert doc.params("c")["filters"] == 2
    assert doc.set_param("c", "padding", "same") is UNSET
    assert doc.set_param("c", "padding", UNSET) == "same"
    assert "padding" not in doc.params("c")


# ---- merge layers ----------------------------------------------------------------------------------------

def merge_doc():
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [4]})
    for name in "abcd":
        doc.add_node(name, "Dense", {"units": 2})
        doc.connect("x", name)
    doc.add_node("m", "Concatenate")
    return doc


def test_merge_ports_append_close_gaps_and_shift_on_insert():
    doc = merge_doc()
    assert [doc.connect(s, "m") for s in "abc"] == [0, 1, 2]
    doc.disconnect("b", "m", 1)
    assert doc.inputs_of("m") == [("a", 0), ("c", 1)]
    assert doc.connect("d", "m", 0, insert=True) == 0
    assert doc.inputs_of("m") == [("d", 0), ("a", 1), ("c", 2)]
    assert doc.connect("b", "m", 3) == 3
    assert doc.connect("b", "m", 2, insert=True) == 2
    assert doc.inputs_of("m") == [("d", 0), ("a", 1), ("b", 2), ("c", 3), ("b", 4)]
    doc.disconnect("d", "m", 0)
    assert doc.inputs_of("m") == [("a", 0), ("b", 1), ("c", 2), ("b", 3)]


def test_one_node_may_feed_a_merge_twice_and_insert_does_not_shift_single_input_layers():
    doc = merge_doc()
    doc.add_node("sum", "Add")
    assert doc.connect("a", "sum") == 0 and doc.connect("a", "sum") == 1
    assert doc.inputs_of("sum") == [("a", 0), ("a", 1)]
    assert doc.outputs_of("a") == [("sum", 0), ("sum", 1)]
    doc.disconnect("a", "sum", 0)
    assert doc.inputs_of("sum") == [("a", 0)]
    doc.add_node("f", "Flatten")
    assert doc.connect("a", "f", 0, insert=True) == 0
    with pytest.raises(PortTaken):
        doc.connect("b", "f", 0, insert=True)


# ---- rename ----------------------------------------------------------------------------------------------

def test_rename_keeps_order_params_wires_positions_and_the_graph_object():
    doc = cnn_branches()
    graph, before = doc.graph, snapshot(doc)
    recorder = Recorder(doc)
    doc.rename("merged", "joined")
    assert doc.graph is graph
    assert doc.node_ids() == ["image", "conv_3x3", "conv_5x5", "joined", "flat", "classes"]
    assert doc.inputs_of("joined") == [("conv_3x3", 0), ("conv_5x5", 1)]
    assert doc.outputs_of("joined") == [("flat", 0)]
    assert doc.positions["joined"] == (440.0, 0.0) and "merged" not in doc.positions
    assert snapshot(doc) == before.replace('"merged"', '"joined"')
    doc.rename("joined", "joined")
    assert recorder.kinds == ["node_renamed"]
    doc.rename("joined", "merged")
    assert snapshot(doc) == before


def test_rename_keeps_a_merge_fed_twice_on_its_ports():
    doc = dense_merges()
    doc.rename("a", "alpha")
    assert doc.inputs_of("cat") == [("alpha", 0), ("b", 1), ("alpha", 2)]
    doc.rename("cat", "c")
    assert doc.inputs_of("c") == [("alpha", 0), ("b", 1), ("alpha", 2)]


# ---- remove / restore ------------------------------------------------------------------------------------

@pytest.mark.parametrize("make", [cnn_branches, dense_merges])
def test_remove_then_restore_each_node_gives_back_the_identical_document(make):
    doc = make()
    for node in doc.node_ids():
        before, graph = snapshot(doc), doc.graph
        record = doc.remove_node(node)
        assert node not in doc and node not in doc.positions
        assert snapshot(doc) != before
        doc.restore_node(record)
        assert snapshot(doc) == before, node
        assert doc.graph is graph


def test_restore_puts_a_middle_merge_input_back_on_its_port():
    doc = dense_merges()
    record = doc.remove_node("b")
    assert doc.inputs_of("cat") == [("a", 0), ("a", 1)]
    assert doc.inputs_of("sum") == [("a", 0)]
    doc.restore_node(record)
    assert doc.inputs_of("cat") == [("a", 0), ("b", 1), ("a", 2)]
    assert doc.inputs_of("sum") == [("a", 0), ("b", 1)]
    assert doc.params("b") == {"units": 8, "activation": "tanh", "use_bias": False}
    assert doc.node_ids().index("b") == 3


def test_removing_several_nodes_and_restoring_in_reverse_is_exact():
    doc = dense_merges()
    before = snapshot(doc)
    records = [doc.remove_node(n) for n in ("a", "cat", "b", "left")]
    assert doc.node_ids() == ["right", "sum", "head", "aux"]
    for record in reversed(records):
        doc.restore_node(record)
    assert snapshot(doc) == before


def test_restore_refuses_when_its_id_or_neighbours_changed_meanwhile():
    doc = cnn_branches()
    record = doc.remove_node("flat")
    doc.add_node("flat", "Dense", {"units": 1})
    with pytest.raises(DuplicateId):
        doc.restore_node(record)
    doc.remove_node("flat")
    doc.rename("classes", "head")
    before = snapshot(doc)
    with pytest.raises(UnknownNode):
        doc.restore_node(record)
    assert snapshot(doc) == before


def test_a_hand_built_graph_with_invalid_values_is_restored_as_it_was():
    graph = nx.MultiDiGraph()
    graph.add_node("x", layer="Input", params={"shape": [4]})
    graph.add_node("d", layer="Dense", params={"units": "ten", "color": "red"})
    graph.add_edge("x", "d", port=0)
    doc = GraphDocument(graph)
    before = snapshot(doc)
    record = doc.remove_node("d")
    doc.restore_node(record)
    assert snapshot(doc) == before and doc.graph is graph
    old = doc.set_param("d", "units", 5)
    doc.restore_param("d", "units", old)
    assert snapshot(doc) == before
    doc.disconnect("x", "d", 0)
    doc.restore_wire("x", "d", 0)
    assert snapshot(doc) == before


def test_positions_are_kept_in_the_graph_ui():
    doc = cnn_branches()
    assert doc.graph.graph["ui"]["positions"]["classes"] == (880.0, 0.5)
    doc.move("classes", None)
    assert "classes" not in doc.positions
    doc.move("flat", (1, 2))
    assert doc.ui["positions"]["flat"] == (1.0, 2.0)
