"""The parameter totals and error counts the status bar and the shapes panel show are kept edit by edit
(gui/model_counts.py, issue 18): after every kind of edit, and its undo, they equal a count made afresh over all
results, a shared block's layers counted once."""

from __future__ import annotations

from builder.editing.block_edits import UseAgain, create_block
from builder.editing.commands import Connect, Delete, SetParam
from builder.inference.block_summary import shared_totals
from gui.controller import EditorController
from tests.builder.test_blocks_document import chain_doc


def _afresh(controller):
    results = controller.results
    trainable, frozen = shared_totals(controller.doc.graph, results)
    return (trainable, frozen, sum(1 for r in results.values() if r.error),
            sum(len(r.warnings) for r in results.values()))


def _kept(controller):
    counts = controller.counts
    return counts.trainable, counts.frozen, counts.errors, counts.warnings


def test_the_kept_counts_equal_a_fresh_count_after_each_edit_and_undo(qtbot):
    controller = EditorController()
    controller.replace_document(chain_doc().graph)
    assert _kept(controller) == _afresh(controller) and controller.counts.trainable > 0
    doc = controller.doc
    _block, command = create_block(doc, ["conv_b", "pool_b"], "enc")
    use = UseAgain("enc", shared=True)
    steps = [command, use, None, SetParam("conv_a", "filters", 6), SetParam("conv_a", "kernel_size", 99),
             SetParam("conv_a", "kernel_size", 3), Delete(["pool_a"])]
    seen = set()
    for step in steps:
        if step is None:  # the shared use's input, known once the use exists
            step = Connect("pool_a", use.paste.renamed["conv_b"])
        assert controller.push(step), step
        assert _kept(controller) == _afresh(controller), step.text
        seen.add(_kept(controller))
    assert any(errors for _t, _f, errors, _w in seen)  # a kernel larger than its input: an error, counted
    while controller.undo_stack.canUndo():
        controller.undo_stack.undo()
        assert _kept(controller) == _afresh(controller)
