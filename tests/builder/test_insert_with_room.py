"""Adding a layer between others with room made (builder/editing/insert_with_room.py, builder/layout/make_room.py):
one undo step, the new node overlapping nothing, refusals changing nothing."""

import pytest

import builder
from builder.editing.commands import History
from builder.editing.insert_with_room import DuplicateKeepingInputs, add_after, add_on_wire, merge_after
from builder.files import project
from builder.layout.make_room import DEFAULT_SIZE, make_room
from builder.model.document import GraphDocument, GraphError
from tests.conftest import EXAMPLES


@pytest.fixture
def seed():
    return GraphDocument(builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"))


def overlapping(doc) -> list[tuple[str, str]]:
    w, h = DEFAULT_SIZE
    pos = doc.positions
    nodes = list(pos)
    return [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]
            if abs(pos[a][0] - pos[b][0]) < w and abs(pos[a][1] - pos[b][1]) < h]


def check_one_step(doc, command):
    history = History(doc)
    before = project.dumps(doc.graph)
    history.push(command)
    after = project.dumps(doc.graph)
    history.undo()
    assert project.dumps(doc.graph) == before
    history.redo()
    assert project.dumps(doc.graph) == after


def test_insert_on_a_wire_shifts_what_follows_so_nothing_overlaps(seed):
    x = (seed.positions["flatten"][0] + seed.positions["dense"][0]) / 2  # 140 units apart: no room for 200
    node, command = add_on_wire(seed, "Dropout", (x, 0.0), ("flatten", "dense", 0))
    check_one_step(seed, command)
    assert seed.inputs_of(node) == [("flatten", 0)] and seed.inputs_of("dense") == [(node, 0)]
    assert overlapping(seed) == []
    assert seed.positions["dense"][0] >= x + DEFAULT_SIZE[0]  # pushed right, with classes after it
    assert seed.positions["classes"][0] - seed.positions["dense"][0] == 280
    assert seed.positions["image"] == (0, 0)  # upstream stays


def test_insert_after_rewires_what_the_node_fed(seed):
    node, command = add_after(seed, "merged", "BatchNormalization", (seed.positions["merged"][0] + 100, 0.0))
    check_one_step(seed, command)
    assert seed.inputs_of("flatten") == [(node, 0)] and seed.inputs_of(node) == [("merged", 0)]
    assert overlapping(seed) == []


def test_insert_after_keeps_merge_ports(seed):
    node, command = add_after(seed, "conv_5x5", "Dropout", (400.0, 60.0))
    check_one_step(seed, command)
    assert [s for s, _p in seed.inputs_of("merged")] == ["conv_3x3", node, "conv_7x7"]


def test_merge_after_wires_every_selected_node_in_order(seed):
    node, command = merge_after(seed, ["conv_3x3", "conv_5x5", "conv_7x7"], "Add", (560.0, 300.0))
    check_one_step(seed, command)
    assert [s for s, _p in seed.inputs_of(node)] == ["conv_3x3", "conv_5x5", "conv_7x7"]
    assert builder.infer(seed.graph)[node].shape == (None, 28, 28, 32)


def test_a_refused_insert_changes_nothing(seed):
    before = project.dumps(seed.graph)
    with pytest.raises(GraphError):
        add_on_wire(seed, "Input", (700.0, 0.0), ("merged", "flatten", 0))
    assert project.dumps(seed.graph) == before


def test_duplicate_keeping_inputs_wires_the_copy_from_the_same_sources(seed):
    command = DuplicateKeepingInputs(seed, ["conv_7x7"], (280.0, 300.0))
    check_one_step(seed, command)
    (copy,) = command.added
    assert seed.inputs_of(copy) == [("image", 0)] and seed.params(copy) == seed.params("conv_7x7")
    merged = DuplicateKeepingInputs(seed, ["merged"], (560.0, 300.0))
    History(seed).push(merged)
    assert [s for s, _p in seed.inputs_of(merged.added[0])] == ["conv_3x3", "conv_5x5", "conv_7x7"]


def test_make_room_moves_the_node_off_a_parallel_branch():
    graph = builder.load(EXAMPLES / "cnn_28x28_three_kernels.json")
    positions = {**graph.graph["ui"]["positions"], "conv_3x3": [280, -150]}
    graph.add_node("extra", layer="Dense", params={"units": 2})
    positions["extra"] = (290.0, 10.0)  # on conv_5x5, which is not downstream of it
    moved = make_room(graph, positions, "extra")
    assert set(moved) == {"extra"} and moved["extra"][0] == 290.0 and moved["extra"][1] > 10.0


def test_trying_an_edit_never_moves_the_real_nodes(seed):
    from builder.editing.insert_with_room import insertion_problem_after

    before = project.dumps(seed.graph)
    node, command = add_on_wire(seed, "Dropout", (900.0, 0.0), ("flatten", "dense", 0))
    assert insertion_problem_after(seed, command, node, ("flatten", "dense", 0)) is None
    assert project.dumps(seed.graph) == before
