"""Undoable edits: do, undo and redo of every command give back the identical document (the same saved text),
refused commands change nothing, and random sequences of edits undo and redo exactly."""

from __future__ import annotations

import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.catalog.specs import CATALOG
from builder.editing.commands import AddNode, Connect, Delete, Disconnect, History, Macro, Move, Rename, SetParam
from builder.model.document import UNSET, GraphDocument, GraphError, InvalidPosition, NoSuchEdge, UnknownNode
from tests.builder.samples import Mirror, Recorder, cnn_branches, dense_merges, snapshot

COMMANDS = {
    "add": lambda: AddNode("extra", "Dense", {"units": 4}, position=(5, 6)),
    "add with start params": lambda: AddNode("extra", "Conv2D"),
    "connect": lambda: Connect("image", "merged"),
    "connect merge at port 0": lambda: Connect("image", "merged", 0, insert=True),
    "connect merge same source twice": lambda: Connect("conv_5x5", "merged", 1, insert=True),
    "disconnect": lambda: Disconnect("conv_3x3", "merged", 0),
    "disconnect last": lambda: Disconnect("flat", "classes", 0),
    "delete one": lambda: Delete(["conv_3x3"]),
    "delete several nodes and wires": lambda: Delete(["merged", "image"], [("flat", "classes", 0),
                                                                           ("conv_3x3", "merged", 0)]),
    "delete wires": lambda: Delete(wires=[("conv_3x3", "merged", 0), ("conv_5x5", "merged", 1)]),
    "set param": lambda: SetParam("classes", "units", 5),
    "set new param": lambda: SetParam("conv_5x5", "strides", [2, 1]),
    "reset param": lambda: SetParam("conv_3x3", "padding", UNSET),
    "reset first param": lambda: SetParam("conv_3x3", "kernel_size", 2),
    "reset absent param": lambda: SetParam("classes", "use_bias", UNSET),
    "rename": lambda: Rename("merged", "joined"),
    "rename same": lambda: Rename("merged", "merged"),
    "move one": lambda: Move({"flat": (1.25, -3)}),
    "move new position": lambda: Move({"flat": (1, 2), "image": (-7.5, 0)}, text="Auto layout"),
    "macro": lambda: Macro("Add and wire", [AddNode("drop", "Dropout", {"rate": 0.25}), Connect("flat", "drop"),
                                            SetParam("drop", "rate", 0.5), Rename("drop", "dropout")]),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_do_undo_redo_gives_back_the_identical_document(name):
    doc = cnn_branches()
    doc.move("flat", None)
    start = snapshot(doc)
    history = History(doc)
    history.push(COMMANDS[name]())
    done = snapshot(doc)
    if name not in ("rename same", "reset absent param"):
        assert done != start
    for _ in range(2):
        history.undo()
        assert snapshot(doc) == start
        history.redo()
        assert snapshot(doc) == done


def test_commands_on_merges_fed_twice_undo_exactly():
    doc = dense_merges()
    Mirror(doc)
    start = snapshot(doc)
    history = History(doc)
    steps = [Disconnect("a", "cat", 0), Delete(["b"]), Connect("left", "cat", 1), Delete(["a"], [("left", "cat", 1)]),
             Rename("cat", "c"), Delete(["c", "sum"])]
    states = [start]
    for step in steps:
        history.push(step)
        states.append(snapshot(doc))
    for state in reversed(states[:-1]):
        history.undo()
        assert snapshot(doc) == state
    for state in states[1:]:
        history.redo()
        assert snapshot(doc) == state


def test_command_texts_name_the_edit():
    assert AddNode("d", "Dense").text == "Add Dense d"
    assert Delete(["a"]).text == "Delete a"
    assert Delete(["a", "b"], [("x", "y", 0)]).text == "Delete 2 nodes and 1 wire"
    assert Delete(wires=[("x", "y", 0), ("x", "z", 0)]).text == "Delete 2 wires"
    assert SetParam("d", "units", UNSET).text == "Set d.units = default"
    assert Move({"a": (0, 0), "b": (1, 1)}).text == "Move 2 nodes"


REFUSED = {
    "add duplicate": lambda: AddNode("flat", "Flatten"),
    "connect into Input": lambda: Connect("flat", "image"),
    "disconnect missing": lambda: Disconnect("image", "flat", 0),
    "delete unknown node after known": lambda: Delete(["flat", "ghost"]),
    "delete missing wire after real one": lambda: Delete(wires=[("flat", "classes", 0), ("image", "flat", 0)]),
    "delete wire with bad port": lambda: Delete(wires=[("flat", "classes", 0), ("merged", "flat", "0")]),
    "set invalid": lambda: SetParam("classes", "units", 0),
    "unset required": lambda: SetParam("classes", "units", UNSET),
    "rename taken": lambda: Rename("flat", "classes"),
    "move unknown after known": lambda: Move({"flat": (1, 1), "ghost": (2, 2)}),
    "move NaN after good": lambda: Move({"flat": (1, 1), "image": (math.nan, 2)}),
    "macro refused in the middle": lambda: Macro("x", [AddNode("d", "Dense"), Connect("flat", "d"),
                                                       Rename("flat", "f"), Connect("d", "image")]),
    "macro with a broken argument": lambda: Macro("x", [AddNode("d", "Dense"), Move({"d": None}),
                                                        Move({"d": "here"})]),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused_command_changes_nothing(name):
    doc = cnn_branches()
    before = snapshot(doc)
    history = History(doc)
    with pytest.raises((GraphError, ValueError, TypeError)):
        history.push(REFUSED[name]())
    assert snapshot(doc) == before
    assert history.done == []


def test_macro_rollback_emits_balanced_events_and_raises_the_refusal():
    doc = cnn_branches()
    recorder = Recorder(doc)
    with pytest.raises(NoSuchEdge):
        Macro("x", [AddNode("d", "Dense"), Disconnect("image", "d", 0)]).do(doc)
    assert recorder.kinds == ["node_added", "node_removed"]
    with pytest.raises(UnknownNode):
        Delete(["ghost"]).do(doc)
    with pytest.raises(InvalidPosition):
        Move({"flat": (0, math.inf)}).do(doc)


def test_history_redo_stack_is_cleared_by_a_new_edit():
    doc = cnn_branches()
    history = History(doc)
    history.push(SetParam("classes", "units", 3))
    history.undo()
    history.push(SetParam("classes", "units", 4))
    assert history.undone == [] and doc.params("classes")["units"] == 4


# ---- random sequences ------------------------------------------------------------------------------------

LAYERS = sorted(CATALOG)
VALUES = {
    "int": [1, 3, 64, 0, -2, "8"], "float": [0.0, 0.25, 0.9, 1.0, -1.0, math.nan], "bool": [True, False, 1],
    "choice": ["same", "valid", "relu", "tanh", "softmax", None, "bogus"], "ints": [1, 2, [2, 3], [1, 1], 0, [1]],
    "axis": [-1, 1, 2, -2, 99, 1.5], "shape": [[8], [4, 4, 2], [None, 3], [0], "x"],
    "target": [[-1], [2, -1], [4, 4, 2], [-1, -1]], "pads": [0, 1, [1, 2], [[0, 1], [2, 0]], -1, [1]],
    "dims": [[1], [2, 1], [1, 2, 3], [1, 1], [0]],
}


def _node(data, doc):
    ids = doc.node_ids()
    return data.draw(st.sampled_from(ids + ["ghost"])) if ids else "ghost"


def _edge(data, doc):
    edges = doc.edges()
    if edges and data.draw(st.integers(0, 9)) > 0:
        return data.draw(st.sampled_from(edges))
    return (_node(data, doc), _node(data, doc), data.draw(st.integers(0, 3)))


def _position(data):
    return (data.draw(st.floats(-2000, 2000, allow_nan=False)), data.draw(st.integers(-500, 500)))


def draw_command(data, doc, depth=0):
    kind = data.draw(st.sampled_from(["add", "add", "connect", "connect", "connect", "disconnect", "delete", "set",
                                      "set", "rename", "move", "macro" if depth == 0 else "add"]))
    if kind == "add":
        layer = data.draw(st.sampled_from(LAYERS))
        fresh = doc.new_id(layer.lower())
        node_id = data.draw(st.sampled_from([fresh, fresh, fresh, "n", "x y", "bad/id"]))
        return AddNode(node_id, layer, position=data.draw(st.none() | st.just(_position(data))))
    if kind == "connect":
        graph = doc.graph
        open_ports = [n for n in graph if graph.nodes[n]["layer"] in ("Concatenate", "Add")
                      or (graph.in_degree(n) == 0 and graph.nodes[n]["layer"] != "Input")]
        target = data.draw(st.sampled_from(open_ports)) if open_ports and data.draw(st.booleans()) \
            else _node(data, doc)
        port = data.draw(st.sampled_from([None, None, None, 0, 1, 2, -1]))
        return Connect(_node(data, doc), target, port, data.draw(st.booleans()))
    if kind == "disconnect":
        return Disconnect(*_edge(data, doc))
    if kind == "delete":
        nodes = data.draw(st.lists(st.sampled_from(doc.node_ids() or ["ghost"]), max_size=3))
        wires = [_edge(data, doc) for _ in range(data.draw(st.integers(0, 3)))]
        return Delete(nodes, wires)
    if kind == "set":
        node = _node(data, doc)
        spec = CATALOG.get(doc.layer(node)) if node in doc else CATALOG["Dense"]
        if not spec.params:
            return SetParam(node, "units", 3)
        param = data.draw(st.sampled_from(spec.params))
        value = data.draw(st.sampled_from([UNSET, param.default, *VALUES.get(param.kind, [None, 1, "x"])]))
        return SetParam(node, param.name, None if value is not UNSET and value is param.default is None else value)
    if kind == "rename":
        return Rename(_node(data, doc), data.draw(st.sampled_from(["renamed", "r2", "n", "x y", "", "a/b"])))
    if kind == "move":
        nodes = data.draw(st.lists(st.sampled_from(doc.node_ids() or ["ghost"]), min_size=1, max_size=3))
        return Move({n: _position(data) for n in nodes})
    return Macro("macro", [draw_command(data, doc, depth + 1) for _ in range(data.draw(st.integers(1, 3)))])


# The default suite runs SEQUENCES x STEPS; the documented long run (issue 5) is 300 sequences of 40 steps:
#     .venv/bin/python -m pytest -m slow tests/builder/test_commands.py -s
# (KC_UNDO_LONG_SEQUENCES / KC_UNDO_LONG_STEPS change it; KC_UNDO_SEQUENCES / KC_UNDO_STEPS the default run).
SEQUENCES = int(os.environ.get("KC_UNDO_SEQUENCES", "50"))
STEPS = int(os.environ.get("KC_UNDO_STEPS", "20"))
LONG_SEQUENCES = int(os.environ.get("KC_UNDO_LONG_SEQUENCES", "300"))
LONG_STEPS = int(os.environ.get("KC_UNDO_LONG_STEPS", "40"))
_long_run = {"sequences": 0, "steps": 0, "refused": 0}


def check_random_sequence(data, start, steps):
    doc = {"empty": GraphDocument, "cnn": cnn_branches, "merges": dense_merges}[start]()
    Mirror(doc)  # every event describes a document whose nodes have all been announced
    history = History(doc)
    states = [snapshot(doc)]
    refused = 0
    for _ in range(steps):
        command = draw_command(data, doc)
        try:
            history.push(command)
        except (GraphError, ValueError, TypeError):
            assert snapshot(doc) == states[-1], f"refused {type(command).__name__} changed the document"
            refused += 1
            continue
        states.append(snapshot(doc))
    for state in reversed(states[:-1]):
        history.undo()
        assert snapshot(doc) == state
    assert snapshot(doc) == states[0]
    for state in states[1:]:
        history.redo()
        assert snapshot(doc) == state
    assert snapshot(doc) == states[-1]
    return len(states) - 1, refused


@settings(max_examples=SEQUENCES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), start=st.sampled_from(["empty", "cnn", "merges"]))
def test_random_edit_sequences_undo_and_redo_exactly(data, start):
    check_random_sequence(data, start, STEPS)


@pytest.mark.slow
@settings(max_examples=LONG_SEQUENCES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), start=st.sampled_from(["empty", "cnn", "merges"]))
def test_long_run_of_random_edit_sequences(data, start):
    done, refused = check_random_sequence(data, start, LONG_STEPS)
    _long_run["sequences"] += 1
    _long_run["steps"] += done
    _long_run["refused"] += refused


@pytest.mark.slow
def test_long_run_report():
    if _long_run["sequences"]:
        print(f"\nundo long run: {_long_run['sequences']} sequences of {LONG_STEPS} drawn steps, "
              f"{_long_run['steps']} applied and {_long_run['refused']} refused, all undone and redone exactly")


def test_undo_of_a_large_deletion_is_exact():
    # How fast it is belongs to the benchmark (house rule: no test times the machine).
    doc = GraphDocument()
    doc.add_node("x", "Input", {"shape": [4]})
    previous = "x"
    for i in range(5000):
        doc.add_node(f"d{i}", "Dense", {"units": 2})
        doc.connect(previous, f"d{i}")
        previous = f"d{i}"
    start = snapshot(doc)
    history = History(doc)
    history.push(Delete([f"d{i}" for i in range(1, 1000, 2)]))
    history.undo()
    history.push(Rename("d10", "renamed"))
    history.undo()
    assert snapshot(doc) == start
