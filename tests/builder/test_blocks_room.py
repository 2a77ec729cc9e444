"""Opening a block pushes its neighbours out of the frame's way; closing it pulls them back (issue 20), each one
undo step, undone exactly, and known after a save and a reopen."""

from builder.editing.block_edits import create_block, set_collapsed
from builder.editing.block_room import ROOM_KEY, open_or_close
from builder.editing.commands import History, Move
from builder.files import project
from builder.model.document import GraphDocument
from tests.builder.test_blocks_document import chain_doc


def collapsed_stage():
    doc = chain_doc()
    history = History(doc)
    history.push(create_block(doc, ["conv_a", "pool_a", "conv_b"], "stage")[1])
    history.push(set_collapsed(doc, ["stage"], True))
    return doc, history


def test_closing_pulls_back_what_opening_pushed_one_step_each_undone_exactly():
    doc, history = collapsed_stage()
    start = project.dumps(doc.graph)
    history.push(open_or_close(doc, "stage"))
    opened = project.dumps(doc.graph)
    pushed = [n for n in ("pool_b", "flat", "out") if doc.positions[n] != chain_doc().positions[n]]
    assert pushed and ROOM_KEY in doc.ui
    history.push(open_or_close(doc, "stage"))
    assert all(doc.positions[n] == chain_doc().positions[n] for n in pushed)
    assert project.dumps(doc.graph) == start  # back as it was before opening, room record gone
    history.undo()
    assert project.dumps(doc.graph) == opened
    history.undo()
    assert project.dumps(doc.graph) == start


def test_a_node_moved_while_open_stays_and_a_reopened_file_still_pulls_back():
    doc, history = collapsed_stage()
    history.push(open_or_close(doc, "stage"))
    history.push(Move({"out": (5000.0, 900.0)}))
    reopened = GraphDocument(project.parse(project.dumps(doc.graph)))
    History(reopened).push(open_or_close(reopened, "stage"))
    assert reopened.positions["out"] == (5000.0, 900.0)  # the person put it there: it stays
    assert reopened.positions["flat"] == chain_doc().positions["flat"]


def test_what_stands_above_stays_and_the_block_moves_down_under_its_title_bar():
    doc = chain_doc()
    history = History(doc)
    history.push(Move({"flat": (620.0, -130.0)}))  # just above the card: the frame's title bar would meet it
    history.push(create_block(doc, ["conv_b", "pool_b"], "stage")[1])
    history.push(set_collapsed(doc, ["stage"], True))
    start = project.dumps(doc.graph)
    history.push(open_or_close(doc, "stage"))
    assert doc.positions["flat"] == (620.0, -130.0)
    assert doc.positions["conv_b"] == (600.0, 38.0) and doc.positions["pool_b"] == (800.0, 38.0)  # -20 + 12 + 46
    history.push(open_or_close(doc, "stage"))
    assert project.dumps(doc.graph) == start
