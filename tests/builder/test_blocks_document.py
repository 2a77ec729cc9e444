"""Blocks in the document and the project file, and every block edit's undo (issue 20, done-when (5))."""

import itertools

import pytest

from builder.editing.block_edits import (
    InvalidBlock,
    UseAgain,
    create_block,
    detach,
    edit_definition,
    rename_block,
    set_collapsed,
    toggle_collapsed,
    ungroup,
)
from builder.editing.commands import Connect, Delete, History, Rename
from builder.files import project
from builder.files.project import ProjectError
from builder.model.block_checks import block_errors
from builder.model.blocks import (
    block_of,
    blocks_of,
    border_inputs,
    border_outputs,
    members,
    top_level_items,
    uses,
)
from builder.model.document import GraphDocument

CHAIN = ["image", "conv_a", "pool_a", "conv_b", "pool_b", "flat", "out"]


def chain_doc() -> GraphDocument:
    doc = GraphDocument()
    doc.add_node("image", "Input", {"shape": [28, 28, 1]}, position=(0, 0))
    doc.add_node("conv_a", "Conv2D", {"filters": 8, "kernel_size": [3, 3], "padding": "same"}, position=(200, 0))
    doc.add_node("pool_a", "MaxPooling2D", {}, position=(400, 0))
    doc.add_node("conv_b", "Conv2D", {"filters": 16, "kernel_size": [3, 3], "padding": "same"}, position=(600, 0))
    doc.add_node("pool_b", "MaxPooling2D", {}, position=(800, 0))
    doc.add_node("flat", "Flatten", {}, position=(1000, 0))
    doc.add_node("out", "Dense", {"units": 10}, position=(1200, 0))
    for a, b in itertools.pairwise(CHAIN):
        doc.connect(a, b)
    return doc


def file_text(doc) -> str:
    return project.dumps(doc.graph)


def test_create_block_ports_and_round_trip():
    doc = chain_doc()
    history = History(doc)
    block, command = create_block(doc, ["conv_a", "pool_a"], "stage_1")
    history.push(command)
    assert block == "stage_1" and members(doc.graph, block) == ["conv_a", "pool_a"]
    assert border_inputs(doc.graph, block) == ["image"] and border_outputs(doc.graph, block) == ["pool_a"]
    assert top_level_items(doc.graph) == ["stage_1", "image", "conv_b", "pool_b", "flat", "out"]
    text = file_text(doc)
    assert '"blocks": [\n    {"id": "stage_1", "members": ["conv_a", "pool_a"]}' in text
    again = project.parse(text)
    assert blocks_of(again) == blocks_of(doc.graph) and block_of(again, "pool_a") == "stage_1"
    assert project.dumps(again) == text


def test_old_files_load_and_have_no_blocks():
    graph = project.read("resources/examples/cnn_28x28_three_kernels.json")
    assert blocks_of(graph) == {} and "blocks" not in project.dumps(graph)


@pytest.mark.parametrize("section, expected", [
    ('"x"', "blocks: expected a list of blocks"),
    ('[{"id": "b", "members": ["nope"]}]', "blocks[0].members: no node has the id \"nope\""),
    ('[{"id": "b", "members": ["conv_a"], "kind": "layer"}]', "blocks[0].kind: expected \"group\", \"model\" or \"sequential\""),
    ('[{"id": "b", "members": ["conv_a"], "collapsed": 1}]', "blocks[0].collapsed: expected true or false"),
    ('[{"id": "b", "members": ["conv_a"]}, {"id": "c", "members": ["conv_a"]}]', "conv_a is already a member of 'b'"),
    ('[{"id": "b", "members": ["conv_a"], "parent": "b"}]', "block b: its parents form a loop"),
    ('[{"id": "b", "members": ["conv_a"], "parent": "zz"}]', "block b: its parent 'zz' is not a block"),
    ('[{"id": "b", "members": ["conv_a"], "shared": true}]', "block b: shared needs a definition"),
    ('[{"id": "b", "members": ["conv_a"], "colour": "red"}]', "blocks[0].'colour': unknown key"),
    ('[{"id": "a/b", "members": ["conv_a"]}]', "block 'a/b': not a valid name: Keras layer names cannot contain '/'"),
])
def test_bad_blocks_sections_are_refused_with_where(section, expected):
    text = file_text(chain_doc())
    broken = text[:text.rindex("}")].rstrip() + f',\n  "blocks": {section}\n}}\n'
    with pytest.raises(ProjectError) as info:
        project.parse(broken, "bad.json")
    assert expected in str(info.value)


def test_a_block_a_wire_leaves_and_reenters_is_refused():
    doc = chain_doc()
    with pytest.raises(InvalidBlock, match="leaves the block and comes back"):
        create_block(doc, ["conv_a", "conv_b"])


def test_every_block_edit_undoes_exactly():
    doc = chain_doc()
    history = History(doc)
    states = [file_text(doc)]

    def push(command):
        history.push(command)
        states.append(file_text(doc))

    _block, command = create_block(doc, ["conv_a", "pool_a"], "stage")
    push(command)
    _outer, command = create_block(doc, ["conv_a", "pool_a", "conv_b"], "outer")
    push(command)
    assert blocks_of(doc.graph)["stage"]["parent"] == "outer" and block_of(doc.graph, "conv_b") == "outer"
    push(rename_block(doc, "stage", "stage_one"))
    push(set_collapsed(doc, ["stage_one"], True))
    push(toggle_collapsed(doc, "outer"))
    push(ungroup(doc, "outer"))
    assert blocks_of(doc.graph)["stage_one"]["parent"] is None and block_of(doc.graph, "conv_b") is None
    copy_use = UseAgain("stage_one", shared=False)
    push(copy_use)
    assert uses(doc.graph, "stage_one") == ["stage_one", copy_use.block_id]
    push(Connect("pool_a", copy_use.paste.renamed["conv_a"]))
    push(edit_definition(doc, "conv_a", "filters", 32))
    assert doc.params(copy_use.paste.renamed["conv_a"])["filters"] == 32
    push(detach(doc, copy_use.block_id))
    assert blocks_of(doc.graph)[copy_use.block_id]["definition"] is None
    push(Rename("conv_a", "first_conv"))
    assert block_of(doc.graph, "first_conv") == "stage_one"
    push(Delete(["pool_a"]))
    for expected in reversed(states[:-1]):
        history.undo()
        assert file_text(doc) == expected
    for expected in states[1:]:
        history.redo()
        assert file_text(doc) == expected


def test_shared_uses_must_keep_equal_params_and_structure():
    doc = chain_doc()
    history = History(doc)
    _block, command = create_block(doc, ["conv_b", "pool_b"], "enc")
    history.push(command)
    use = UseAgain("enc", shared=True)
    history.push(use)
    history.push(Connect("pool_a", use.paste.renamed["conv_b"]))
    assert block_errors(doc.graph) == {}
    history.push(edit_definition(doc, use.paste.renamed["conv_b"], "filters", 4))
    assert {doc.params(n)["filters"] for n in ("conv_b", use.paste.renamed["conv_b"])} == {4}
    doc.set_param("conv_b", "filters", 5)  # a plain edit of one use only
    assert "must have the params of" in block_errors(doc.graph)[use.block_id]
    with pytest.raises(InvalidBlock, match="are shared"):
        UseAgain("enc", shared=False).do(doc)


def test_partly_selected_inner_block_is_refused():
    doc = chain_doc()
    History(doc).push(create_block(doc, ["conv_a", "pool_a"], "inner")[1])
    with pytest.raises(InvalidBlock, match="selected only in part"):
        create_block(doc, ["pool_a", "conv_b"])


def test_using_a_block_with_a_nested_block_again_copies_the_nesting():
    doc = chain_doc()
    history = History(doc)
    history.push(create_block(doc, ["conv_a", "pool_a"], "inner")[1])
    history.push(create_block(doc, ["conv_a", "pool_a", "conv_b"], "outer", kind="model")[1])
    before = file_text(doc)
    use = UseAgain("outer", shared=True)
    history.push(use)
    meta = blocks_of(doc.graph)
    copied_inner = blocks_of(doc.graph)[block_of(doc.graph, use.paste.renamed["conv_a"])]
    assert meta[use.block_id]["kind"] == "model" and copied_inner["parent"] == use.block_id
    assert members(doc.graph, use.block_id) == [use.paste.renamed[n] for n in ("conv_a", "pool_a", "conv_b")]
    history.undo()
    assert file_text(doc) == before


def test_copying_a_whole_block_pastes_a_block():
    from builder.editing.clipboard import Paste, copy_text

    doc = chain_doc()
    history = History(doc)
    history.push(create_block(doc, ["conv_a", "pool_a"], "inner")[1])
    history.push(create_block(doc, ["conv_a", "pool_a", "conv_b"], "outer")[1])
    before = file_text(doc)
    text = copy_text(doc, ["conv_a", "pool_a", "conv_b", "pool_b"])  # outer whole, pool_b outside any block
    assert '"blocks": [' in text
    paste = Paste(text, at=(0, 500))
    history.push(paste)
    meta = blocks_of(doc.graph)
    assert meta["outer_2"]["parent"] is None and meta["inner_2"]["parent"] == "outer_2"
    assert members(doc.graph, "outer_2") == [paste.renamed[n] for n in ("conv_a", "pool_a", "conv_b")]
    assert block_of(doc.graph, paste.renamed["pool_b"]) is None
    partly = copy_text(doc, ["conv_a", "conv_b"])  # inner and outer in part: plain nodes
    assert '"blocks"' not in partly
    history.undo()
    assert file_text(doc) == before


def test_blocks_nested_too_deep_are_refused():
    text = file_text(chain_doc())
    chain = [{"id": f"b{i}", "members": ["conv_a"] if i == 40 else [], **({"parent": f"b{i - 1}"} if i else {})}
             for i in range(41)]
    import json

    broken = text[:text.rindex("}")].rstrip() + f',\n  "blocks": {json.dumps(chain)}\n}}\n'
    with pytest.raises(ProjectError, match="blocks nest at most 32 deep"):
        project.parse(broken, "deep.json")
