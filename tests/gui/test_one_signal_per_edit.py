"""One edit, one signal: every push, undo step, redo step and new document runs inference once and emits one
`edited` with what every view needs (the document's events, the results that changed, the ids removed,
whether the wiring changed); a refused push changes nothing, emits nothing and returns the document's message."""

import pytest

from builder.editing.commands import AddNode, Connect, Delete, Rename, SetParam
from builder.model.document import GraphDocument
from gui.controller import EditorController

EDITS = [
    ("add x", AddNode("x", "Input", {"shape": [8]}), {"x"}, set(), True),
    ("add dense", AddNode("dense", "Dense", {"units": 4}), {"dense"}, set(), True),
    ("connect", Connect("x", "dense"), {"dense"}, set(), True),
    ("set units", SetParam("dense", "units", 6), {"dense"}, set(), False),
    ("rename", Rename("dense", "head"), {"head"}, {"dense"}, True),
    ("delete x", Delete(["x"]), {"head"}, {"x"}, True),
]


@pytest.fixture
def counted(qtbot):
    controller = EditorController()
    runs, edits = [], []
    real_update = controller.engine.update
    controller.engine.update = lambda: (runs.append(1), real_update())[1]
    controller.edited.connect(edits.append)
    return controller, runs, edits


def test_each_push_and_each_undo_and_redo_step_runs_inference_once_and_emits_once(counted):
    controller, runs, edits = counted
    for name, command, changed, removed, wiring in EDITS:
        runs.clear(), edits.clear()
        assert controller.push(command), name
        assert (len(runs), len(edits)) == (1, 1), name
        edit = edits[0]
        assert changed <= edit.changed and edit.removed == removed, name
        assert edit.wiring_changed == wiring and not edit.reset and edit.undo_step, name
        assert [c.kind for c in edit.changes], name  # the document's own events come with it
    stack = controller.undo_stack
    for _ in EDITS:
        runs.clear(), edits.clear()
        stack.undo()
        assert (len(runs), len(edits)) == (1, 1)
    assert len(controller.doc) == 0
    runs.clear(), edits.clear()
    stack.setIndex(len(EDITS))  # redo everything at once (the History dock's click): one per step
    assert (len(runs), len(edits)) == (len(EDITS), len(EDITS))
    assert controller.doc.node_ids() == ["head"]


def test_a_refused_push_emits_nothing_and_returns_the_documents_message(counted):
    controller, runs, edits = counted
    controller.push(AddNode("x", "Input", {"shape": [8]}))
    runs.clear(), edits.clear()
    refusals = []
    controller.refused.connect(refusals.append)
    pushed = controller.push(AddNode("x", "Dense", {"units": 3}))  # the id is taken
    assert not pushed and pushed.refusal == refusals[0] and "x" in pushed.refusal
    assert (runs, edits) == ([], []) and controller.undo_stack.count() == 1


def test_a_new_document_is_one_reset_edit(counted):
    controller, runs, edits = counted
    doc = GraphDocument()
    doc.add_node("a", "Input", {"shape": [3]})
    controller.replace_document(doc.graph)
    assert (len(runs), len(edits)) == (1, 1)
    assert edits[0].reset and edits[0].wiring_changed and not edits[0].undo_step
    assert edits[0].changed == {"a"}


def test_a_keras_shape_stored_by_the_app_is_an_edit_but_not_the_persons(counted):
    controller, runs, edits = counted
    controller.push(AddNode("x", "Input", {"shape": [8]}))
    runs.clear(), edits.clear()
    controller.refresh()
    assert (len(runs), len(edits)) == (1, 1) and not edits[0].undo_step


def test_in_the_window_one_edit_updates_the_status_bar_once(window, monkeypatch):
    calls = []
    real = window.status.show_counts
    monkeypatch.setattr(window.status, "show_counts", lambda results: (calls.append(1), real(results)))
    window.controller.push(AddNode("x", "Input", {"shape": [8]}))
    window.controller.push(AddNode("d", "Dense", {"units": 2}))
    window.controller.undo_stack.undo()
    assert len(calls) == 3 and window.status.params_label.text() == "Params: 0"


def test_the_code_preview_reuses_the_results_inference_already_computed(window, monkeypatch):
    from builder.keras import plan
    from tests.gui.conftest import open_example

    open_example(window, "dense_branches")
    runs = []
    real_infer = plan.infer
    monkeypatch.setattr(plan, "infer", lambda graph: (runs.append(1), real_infer(graph))[1])
    window.code_preview.regenerate()
    assert runs == [] and "layers.Concatenate(" in window.code_preview.text


def test_an_insertion_check_infers_only_the_trial_when_given_the_results(monkeypatch):
    from builder.editing import compound
    from builder.editing.compound import insertion_problem
    from builder.inference.engine import infer
    from tests.builder.samples import dense_merges

    doc = dense_merges()
    doc.add_node("extra", "Dense", {"units": 3})
    runs = []
    monkeypatch.setattr(compound, "infer", lambda graph: (runs.append(1), infer(graph))[1])
    results = infer(doc.graph)
    insertion_problem(doc, "extra", doc.edges()[0], results)
    assert len(runs) == 1  # the trial only; the document's own results were given
