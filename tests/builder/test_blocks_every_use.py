"""Structural edits inside one use of a definition are made in every use, as one undo step (issue 20)."""

import pytest

from builder.editing.block_edits import InvalidBlock, UseAgain, create_block, rename_block
from builder.editing.commands import AddNode, Connect, Delete, Disconnect, History, Macro
from builder.editing.every_use import in_every_use
from builder.editing.use_naming import naming_rule
from builder.files import project
from builder.model.block_checks import block_errors, structure
from builder.model.blocks import block_of, members
from tests.builder.test_blocks_document import chain_doc


def file_text(doc) -> str:
    return project.dumps(doc.graph)


@pytest.fixture
def two_uses():
    """enc = conv_b -> pool_b, fed by pool_a; enc_2 a copy of it, fed by conv_a."""
    doc = chain_doc()
    history = History(doc)
    history.push(create_block(doc, ["conv_b", "pool_b"], "enc")[1])
    again = UseAgain("enc", shared=False)
    history.push(again)
    history.push(Connect("conv_a", again.paste.renamed["conv_b"]))
    history.push(rename_block(doc, again.block_id, "enc_2"))
    assert members(doc.graph, "enc_2") == ["conv_b_2", "pool_b_2"] and block_errors(doc.graph) == {}
    return doc, history


def push_checked(doc, history, command):
    """Push `command` in every use; undo must give the file back exactly, and redo the edited one."""
    before = file_text(doc)
    history.push(in_every_use(doc, command))
    after = file_text(doc)
    history.undo()
    assert file_text(doc) == before
    history.redo()
    assert file_text(doc) == after


def test_deleting_a_layer_in_one_use_deletes_it_in_every_use(two_uses):
    doc, history = two_uses
    push_checked(doc, history, Delete(["pool_b"]))
    assert "pool_b_2" not in doc and members(doc.graph, "enc_2") == ["conv_b_2"]
    assert doc.inputs_of("conv_b_2") == [("conv_a", 0)]  # the use's own input stays
    assert block_errors(doc.graph) == {}


def test_a_layer_inserted_on_an_inner_wire_joins_and_is_copied_with_the_uses_naming(two_uses):
    doc, history = two_uses
    insert = Macro("Insert bn", [AddNode("bn", "BatchNormalization", {}, (700, 60)), Disconnect("conv_b", "pool_b", 0),
                                 Connect("conv_b", "bn"), Connect("bn", "pool_b")])
    push_checked(doc, history, insert)
    assert block_of(doc.graph, "bn") == "enc" and block_of(doc.graph, "bn_2") == "enc_2"
    assert doc.inputs_of("bn_2") == [("conv_b_2", 0)] and doc.inputs_of("pool_b_2") == [("bn_2", 0)]
    assert members(doc.graph, "enc") == ["conv_b", "pool_b", "bn"]  # bn was added last
    assert members(doc.graph, "enc_2") == ["conv_b_2", "pool_b_2", "bn_2"]  # uses correspond in document order
    shift = (doc.positions["conv_b_2"][0] - doc.positions["conv_b"][0],
             doc.positions["conv_b_2"][1] - doc.positions["conv_b"][1])
    assert doc.positions["bn_2"] == (700 + shift[0], 60 + shift[1])
    assert structure(doc.graph, "enc") == structure(doc.graph, "enc_2") and block_errors(doc.graph) == {}


def test_wires_from_the_blocks_input_follow_new_inputs_from_outside_are_refused(two_uses):
    doc, history = two_uses
    add = Macro("Add cat", [AddNode("cat", "Concatenate", {}, (900, 0)), Connect("pool_b", "cat")])
    history.push(in_every_use(doc, add, joins={"cat": "enc"}))
    assert block_of(doc.graph, "cat_2") == "enc_2" and doc.inputs_of("cat_2") == [("pool_b_2", 0)]
    push_checked(doc, history, Connect("pool_a", "cat"))  # enc's input: enc_2's input (conv_a) in enc_2
    assert doc.inputs_of("cat_2") == [("pool_b_2", 0), ("conv_a", 1)]
    before = file_text(doc)
    with pytest.raises(InvalidBlock, match="image is outside enc.*detach enc first"):
        in_every_use(doc, Connect("image", "cat")).do(doc)
    assert file_text(doc) == before


def test_unplugging_one_uses_input_leaves_the_other_uses_wired(two_uses):
    doc, history = two_uses
    push_checked(doc, history, Disconnect("pool_a", "conv_b", 0))
    assert doc.inputs_of("conv_b_2") == [("conv_a", 0)] and doc.inputs_of("conv_b") == []


def test_edits_outside_any_use_and_in_uses_that_no_longer_match_change_only_themselves(two_uses):
    doc, history = two_uses
    push_checked(doc, history, Delete(["flat"]))
    assert members(doc.graph, "enc_2") == ["conv_b_2", "pool_b_2"]
    doc.remove_node("pool_b_2")  # a use that no longer matches (shown as an error) is left alone
    push_checked(doc, history, Delete(["pool_b"]))
    assert members(doc.graph, "enc_2") == ["conv_b_2"]


def test_new_ids_follow_how_the_uses_ids_differ():
    assert naming_rule([("block_1_expand", "block_2_expand"), ("block_1_project", "block_2_project")])("block_1_se") \
        == "block_2_se"
    assert naming_rule([("conv_b", "conv_b_2"), ("pool_b", "pool_b_2")])("bn") == "bn_2"
    assert naming_rule([("conv", "enc_conv"), ("pool", "enc_pool")])("bn") == "enc_bn"
    assert naming_rule([("conv_a", "conv_a_2"), ("conv_1", "conv_2")])("bn") == "bn"  # no one rule: pasted form


def test_a_layer_dropped_inside_an_open_block_joins_it_and_every_use(two_uses):
    doc, history = two_uses
    push_checked(doc, history, AddNode("extra", "Dense", {"units": 4}, (700, 100)))
    assert block_of(doc.graph, "extra") == "enc" and block_of(doc.graph, "extra_2") == "enc_2"
    assert doc.positions["extra_2"] == (700, 100 + 360)  # UseAgain put the use 360 below
    push_checked(doc, history, AddNode("far", "Dense", {"units": 4}, (3000, 2000)))
    assert block_of(doc.graph, "far") is None and "far_2" not in doc


def test_an_edit_the_other_uses_cannot_follow_can_detach_its_use_first(two_uses):
    from builder.editing.every_use import NeedsDetach, detach_then
    from builder.model.blocks import blocks_of

    doc, history = two_uses
    history.push(in_every_use(doc, AddNode("cat", "Concatenate", {}, (900, 0)), joins={"cat": "enc"}))
    with pytest.raises(NeedsDetach) as refused:
        in_every_use(doc, Connect("image", "cat")).do(doc)
    assert refused.value.block == "enc"
    push_checked(doc, history, detach_then(doc, Connect("image", "cat"), refused.value.block))
    assert doc.inputs_of("cat") == [("image", 0)] and "cat_2" in doc and doc.inputs_of("cat_2") == []
    assert blocks_of(doc.graph)["enc"]["definition"] is None
    assert history.done[-1].text == "Detach enc and connect image → cat"


def test_an_edit_inside_a_nested_block_of_a_use_is_made_in_the_other_uses_nested_block():
    doc = chain_doc()
    history = History(doc)
    history.push(create_block(doc, ["conv_b"], "inner")[1])
    history.push(create_block(doc, ["conv_b", "pool_b"], "outer")[1])
    again = UseAgain("outer")
    history.push(again)
    history.push(Connect("conv_a", "conv_b_2"))
    inner_copy = block_of(doc.graph, "conv_b_2")
    insert = Macro("Insert bn", [AddNode("bn", "BatchNormalization", {}, (700, 60)), Disconnect("conv_b", "pool_b", 0),
                                 Connect("conv_b", "bn"), Connect("bn", "pool_b")])
    push_checked(doc, history, in_every_use(doc, insert, joins={"bn": "inner"}))
    assert block_of(doc.graph, "bn_2") == inner_copy and doc.inputs_of("pool_b_2") == [("bn_2", 0)]
    assert block_errors(doc.graph) == {}


def test_a_layer_inserted_at_a_uses_exit_moves_the_other_uses_readers_too(two_uses):
    doc, history = two_uses
    history.push(Macro("Add tail", [AddNode("tail", "Flatten", {}), Connect("pool_b_2", "tail")]))
    insert = Macro("Insert bn", [AddNode("bn", "BatchNormalization", {}, (1000, 0)), Disconnect("pool_b", "flat", 0),
                                 Connect("pool_b", "bn"), Connect("bn", "flat")])
    push_checked(doc, history, in_every_use(doc, insert, joins={"bn": "enc"}))
    assert doc.inputs_of("flat") == [("bn", 0)] and doc.inputs_of("tail") == [("bn_2", 0)]
    assert doc.inputs_of("bn_2") == [("pool_b_2", 0)] and block_errors(doc.graph) == {}


def test_a_node_dragged_onto_a_wire_inside_a_use_joins_it_and_every_use_gets_a_copy(two_uses):
    doc, history = two_uses
    history.push(AddNode("bn", "BatchNormalization", {}, (3000, 900)))  # somewhere outside, unwired
    insert = Macro("Insert bn", [Disconnect("conv_b", "pool_b", 0), Connect("conv_b", "bn"), Connect("bn", "pool_b")])
    push_checked(doc, history, insert)
    assert block_of(doc.graph, "bn") == "enc" and block_of(doc.graph, "bn_2") == "enc_2"
    assert doc.inputs_of("pool_b_2") == [("bn_2", 0)] and block_errors(doc.graph) == {}


def test_deleting_the_exit_of_a_use_that_feeds_another_use_is_made_in_both():
    """Repeated blocks in a chain (enc feeds enc_2, as MobileNet's blocks do): deleting enc's last layer unplugs
    enc_2's input (its own wiring), and enc_2 still follows the edit."""
    doc = chain_doc()
    history = History(doc)
    history.push(create_block(doc, ["conv_b", "pool_b"], "enc")[1])
    again = UseAgain("enc")
    history.push(again)
    history.push(Connect("pool_b", "conv_b_2"))
    push_checked(doc, history, Delete(["pool_b"]))
    assert "pool_b_2" not in doc and doc.inputs_of("conv_b_2") == [] and members(doc.graph, again.block_id) == ["conv_b_2"]
