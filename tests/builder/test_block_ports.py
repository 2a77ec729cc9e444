"""A collapsed block's card ports and the member behind each (issue 20: wires dropped on a card)."""

from builder.editing.block_edits import UseAgain, create_block
from builder.editing.commands import AddNode, Connect, History
from builder.model.block_ports import CardInput, card_inputs, card_outputs
from tests.builder.test_blocks_document import chain_doc


def test_card_inputs_are_the_tensors_entering_then_the_members_nothing_feeds():
    doc = chain_doc()
    history = History(doc)
    history.push(create_block(doc, ["conv_b", "pool_b"], "enc")[1])
    assert card_inputs(doc.graph, "enc") == [CardInput("pool_a", "conv_b", 0)]
    assert card_outputs(doc.graph, "enc") == ["pool_b"]
    use = UseAgain("enc")
    history.push(use)
    new = use.block_id
    assert card_inputs(doc.graph, new) == [CardInput(None, use.paste.renamed["conv_b"], 0)]  # open: wire it
    history.push(Connect("conv_a", card_inputs(doc.graph, new)[0].member, card_inputs(doc.graph, new)[0].port))
    assert card_inputs(doc.graph, new) == [CardInput("conv_a", use.paste.renamed["conv_b"], 0)]


def test_a_merge_member_takes_the_next_free_port():
    doc = chain_doc()
    history = History(doc)
    history.push(AddNode("cat", "Concatenate", {}))
    history.push(Connect("pool_a", "cat"))
    history.push(create_block(doc, ["cat"], "joiner")[1])
    assert card_inputs(doc.graph, "joiner") == [CardInput("pool_a", "cat", None)]
