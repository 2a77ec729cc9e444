"""Compare sees blocks (issue 20): blocks added, removed and renamed, nodes joining or leaving one, a use of a
definition detached or made, in the diff, its report, its JSON and `python main.py diff`; collapsing is view
state and no difference."""

from __future__ import annotations

import copy
import json

import main
from builder.diff.model_diff import diff_graphs
from builder.diff.report import diff_dict, diff_text, totals_text
from builder.editing.block_edits import UseAgain, create_block, detach, rename_block, set_collapsed, ungroup
from builder.editing.commands import History
from builder.files import project
from tests.builder.test_blocks_document import chain_doc


def with_block():
    doc = chain_doc()
    History(doc).push(create_block(doc, ["conv_a", "pool_a"], "stage")[1])
    return doc


def after(doc, *commands):
    """A copy of `doc` with the commands (each built from the copy) pushed."""
    other = copy.deepcopy(doc)
    history = History(other)
    for make in commands:
        history.push(make(other))
    return other


def test_collapsing_is_no_difference_and_a_rename_is_one():
    doc = with_block()
    assert diff_graphs(doc.graph, after(doc, lambda d: set_collapsed(d, ["stage"], True)).graph).same
    diff = diff_graphs(doc.graph, after(doc, lambda d: rename_block(d, "stage", "stem")).graph)
    assert not diff.same and diff.blocks.renamed == {"stage": "stem"} and not diff.blocks.joined
    assert "blocks renamed (1):\n  'stage' → 'stem'" in diff_text(diff)
    assert diff_dict(diff)["blocks"]["renamed"] == {"stage": "stem"}
    assert "1 block changed" in totals_text(diff)


def test_blocks_added_removed_and_members_joining_or_leaving():
    doc = with_block()
    grown = after(doc, lambda d: create_block(d, ["conv_b", "pool_b"], "stage_2")[1])
    diff = diff_graphs(doc.graph, grown.graph)
    assert diff.blocks.added == ["stage_2"] and diff_graphs(grown.graph, doc.graph).blocks.removed == ["stage_2"]
    moved = copy.deepcopy(doc)
    moved.graph.nodes["pool_a"].pop("block")  # pool_a leaves stage, conv_b joins it
    moved.graph.nodes["conv_b"]["block"] = "stage"
    diff = diff_graphs(doc.graph, moved.graph)
    assert diff.blocks.joined == {"stage": ["conv_b"]} and diff.blocks.left == {"stage": ["pool_a"]}
    assert "block members (1):\n  'stage': joined ['conv_b']; left ['pool_a']" in diff_text(diff)
    gone = after(doc, lambda d: ungroup(d, "stage"))
    assert diff_graphs(doc.graph, gone.graph).blocks.removed == ["stage"]


def test_a_use_made_and_detached_shows_as_a_definition_change():
    doc = with_block()
    use = UseAgain("stage")
    reused = after(doc, lambda _d: use)
    diff = diff_graphs(doc.graph, reused.graph)
    assert diff.blocks.added == [use.block_id] and diff.blocks.changed == {"stage": {"definition": (None, "stage")}}
    detached = after(reused, lambda d: detach(d, use.block_id))
    diff = diff_graphs(reused.graph, detached.graph)
    # the one use left is a block of its own again: both changed
    assert diff.blocks.changed == {b: {"definition": ("stage", None)} for b in ("stage", use.block_id)}
    assert f"'{use.block_id}': definition \"stage\" → None" in diff_text(diff)


def test_the_command_line_reports_blocks(tmp_path, capsys):
    doc = with_block()
    project.write(doc.graph, tmp_path / "a.json")
    project.write(after(doc, lambda d: rename_block(d, "stage", "stem")).graph, tmp_path / "b.json")
    code = main.main(["diff", str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--json"])
    assert code == 1 and json.loads(capsys.readouterr().out)["blocks"]["renamed"] == {"stage": "stem"}


def test_the_summary_lists_blocks_but_not_whether_they_are_collapsed():
    from builder.diff.summary import summary_text

    doc = with_block()
    text = summary_text(doc.graph)
    assert "# block stage (group): conv_a, pool_a\n" in text
    assert summary_text(after(doc, lambda d: set_collapsed(d, ["stage"], True)).graph) == text
