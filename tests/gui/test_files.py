"""New, Open, Save, Save As, Recent files, Examples, the unsaved-changes prompt, and unreadable files."""

import json

import pytest

import builder
from builder.editing.commands import AddNode, SetParam
from builder.files.project import dumps
from builder.layout.auto_layout import auto_layout
from gui.files import DEFAULT_EXAMPLE, EXAMPLES_DIR, example_files
from tests.gui.conftest import open_example


def snapshot(window) -> str:
    return dumps(window.controller.doc.graph)


def test_save_as_writes_the_document_and_marks_it_clean(window, dialogs, tmp_path):
    open_example(window, DEFAULT_EXAMPLE)
    assert window.windowTitle() == f"Keras Canvas — {DEFAULT_EXAMPLE}.json (example)"
    window.controller.push(SetParam("dense", "units", 64))
    assert window.windowTitle().endswith("*")
    target = tmp_path / "mine.json"
    dialogs.answers["save_path"].append(str(target))
    window.actions_by_name["save"].trigger()  # an example has no path of its own: Save asks where
    assert target.read_text() == snapshot(window)
    assert window.windowTitle() == "Keras Canvas — mine.json"
    assert window.files.recent_files()[0] == str(target)
    window.controller.push(SetParam("dense", "units", 32))
    window.actions_by_name["save"].trigger()  # now it has a path: no question
    assert builder.load(target).nodes["dense"]["params"]["units"] == 32
    assert dialogs.asked.count(("save_path", dialogs.asked[0][1])) == 1


def test_undo_back_to_the_saved_state_removes_the_star(window, dialogs, tmp_path):
    dialogs.answers["save_path"].append(str(tmp_path / "a.json"))
    window.files.save_as()
    window.controller.push(AddNode("x", "Input", {"shape": [3]}))
    assert window.windowTitle() == "Keras Canvas — a.json*"
    window.controller.undo_stack.undo()
    assert window.windowTitle() == "Keras Canvas — a.json"


def test_open_round_trip_and_recent_menu(window, dialogs, tmp_path):
    open_example(window, "two_inputs")
    expected = snapshot(window)
    path = tmp_path / "two.json"
    dialogs.answers["save_path"].append(str(path))
    assert window.files.save_as()
    assert window.files.new()
    assert window.controller.doc.node_ids() == [] and window.windowTitle() == "Keras Canvas — untitled.json"
    dialogs.answers["open_path"].append(str(path))
    window.actions_by_name["open"].trigger()
    assert snapshot(window) == expected and window.files.path == path.resolve()
    assert window.controller.undo_stack.count() == 0 and window.files.modified is False
    window.files.fill_recent_menu(window.recent_menu)
    entries = [a for a in window.recent_menu.actions() if a.toolTip() == str(path.resolve())]
    assert len(entries) == 1 and entries[0].text() == "&1 two.json"
    window.files.new()
    entries[0].trigger()
    assert snapshot(window) == expected


@pytest.mark.parametrize("content, fragment", [
    ("{ not json", "not valid JSON"),
    ('{"format": "keras-canvas", "version": 1, "nodes": [{"id": "d", "layer": "Dense", "params": {}}]}',
     "units: required by Dense"),
    ('{"format": "something-else"}', "this is not a Keras Canvas project"),
])
def test_unreadable_file_shows_the_readers_message_and_keeps_the_document(window, dialogs, tmp_path, content,
                                                                           fragment):
    open_example(window, "dense_branches")
    window.controller.push(SetParam("output", "units", 2))  # unsaved work must survive
    before, steps = snapshot(window), window.controller.undo_stack.count()
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert not window.files.open_path(bad)
    title, message = dialogs.errors[-1]
    assert title == "Cannot open bad.json" and fragment in message and str(bad) in message
    assert snapshot(window) == before and window.controller.undo_stack.count() == steps
    assert window.files.example == "dense_branches" and window.windowTitle().endswith("*")
    assert ("ask_save_changes", ("dense_branches.json (example)",)) not in dialogs.asked


def test_missing_file_is_reported(window, dialogs, tmp_path):
    assert not window.files.open_path(tmp_path / "nowhere.json")
    assert "cannot read the file" in dialogs.errors[-1][1]


@pytest.mark.parametrize("answer, opened, saved", [("cancel", False, False), ("discard", True, False),
                                                    ("save", True, True)])
def test_unsaved_changes_prompt_before_open(window, dialogs, tmp_path, answer, opened, saved):
    window.controller.push(AddNode("x", "Input", {"shape": [3]}))
    before = snapshot(window)
    dialogs.answers["ask_save_changes"].append(answer)
    if answer == "save":
        dialogs.answers["save_path"].append(str(tmp_path / "kept.json"))
    result = window.files.open_example("dense_branches")
    assert result is opened
    assert dialogs.asked[0] == ("ask_save_changes", ("untitled.json",))
    assert (snapshot(window) != before) is opened
    assert (tmp_path / "kept.json").exists() is saved
    if saved:
        assert (tmp_path / "kept.json").read_text() == before


def test_new_prompts_and_cancel_keeps_everything(window, dialogs):
    open_example(window, "dense_branches")
    window.controller.push(SetParam("output", "units", 2))
    before = snapshot(window)
    dialogs.answers["ask_save_changes"].append("cancel")
    window.actions_by_name["new"].trigger()
    assert snapshot(window) == before


def test_close_with_unsaved_changes_can_be_cancelled(window, dialogs, qtbot):
    window.controller.push(AddNode("x", "Input", {"shape": [3]}))
    dialogs.answers["ask_save_changes"].append("cancel")
    assert not window.close()
    assert window.isVisible()
    dialogs.answers["ask_save_changes"].append("discard")
    assert window.close()
    assert not window.keras.running


def test_graph_without_positions_is_laid_out_when_opened(window, tmp_path):
    data = json.loads((EXAMPLES_DIR / "cnn_two_kernels.json").read_text())
    data.pop("ui")
    path = tmp_path / "bare.json"
    path.write_text(json.dumps(data))
    assert window.files.open_path(path)
    doc = window.controller.doc
    assert doc.positions == auto_layout(builder.load(path))
    assert not window.files.modified  # placing nodes is not an edit of the person's


def test_save_failure_is_reported_and_the_document_stays_unsaved(window, dialogs, tmp_path):
    window.controller.push(AddNode("x", "Input", {"shape": [3]}))
    dialogs.answers["save_path"].append(str(tmp_path / "missing-folder" / "model.json"))
    assert not window.files.save_as()
    assert dialogs.errors[-1][0] == "Cannot save model.json"
    assert window.files.modified and window.windowTitle().endswith("*")


def test_examples_menu_lists_every_example_with_its_description(window):
    actions = {a.text(): a for a in window.examples_menu.actions()}
    files = {name: description for name, _path, description in example_files()}
    assert set(actions) == set(files) == {p.stem for p in EXAMPLES_DIR.glob("*.json")}
    assert actions["shape_mismatch"].toolTip() == files["shape_mismatch"]
    assert "padding='valid'" in actions["shape_mismatch"].toolTip()
    actions["shape_mismatch"].trigger()
    assert window.files.example == "shape_mismatch" and window.controller.results["merged"].error


def test_save_as_adds_the_suffix_suggestion(window, dialogs, tmp_path):
    open_example(window, "two_inputs")
    window.files.save_as()  # unanswered: cancelled
    dialogs.unanswered.clear()
    _title, suggested, file_filter, suffix = dialogs.asked[-1][1]
    assert suggested.endswith("two_inputs.json") and suffix == ".json" and "*.json" in file_filter


def test_a_restart_reopens_the_project_the_last_session_closed_with(qapp, qtbot, settings, dialogs, tmp_path):
    from gui.app import open_start_document
    from gui.main_window import MainWindow

    def new_window():
        window = MainWindow(settings=settings, dialogs=dialogs, restore_layout=False)
        qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
        return window

    first = new_window()
    assert open_start_document(first, None) is None and first.files.example == DEFAULT_EXAMPLE  # the first day
    saved = tmp_path / "mine.json"
    dialogs.answers["save_path"].append(str(saved))
    assert first.files.save_as()
    first.close()
    second = new_window()
    assert open_start_document(second, None) is None
    assert second.files.path == saved and second.files.example is None
    second.files.new()
    second.close()  # an untitled document: the next start shows the example again
    third = new_window()
    open_start_document(third, None)
    assert third.files.example == DEFAULT_EXAMPLE
    third.close()


def test_file_dialogs_start_in_the_folder_last_used_for_that_kind_of_file(window, dialogs, tmp_path):
    projects, exports = tmp_path / "projects", tmp_path / "exports"
    projects.mkdir(), exports.mkdir()
    open_example(window, "dense_branches")
    dialogs.answers["save_path"].append(str(projects / "model.json"))
    assert window.files.save_as()
    dialogs.answers["save_path"].append(str(exports / "model.py"))
    dialog = window.exports.export_python()
    dialog.save_button.click()
    assert window.files.last_dir() == str(projects) and window.files.last_dir("exports") == str(exports)
    assert window.files.last_dir("imports") == str(projects)  # nothing imported yet: the projects' folder
    assert window.files.suggested_path(".keras", "exports") == str(exports / "model.keras")
    dialogs.answers["open_path"].append(None)
    window.files.open()
    assert dialogs.asked[-1] == ("open_path", (str(projects),))


def test_a_keras_model_file_given_to_open_is_imported_not_read_as_a_project(qapp, qtbot, settings, dialogs, tmp_path):
    # `main.py model.keras`, File > Open or Open Recent on a .keras/.h5 file: its bytes are no project; the
    # window hands it to the import (the Keras worker) instead of saying "not UTF-8 text".
    from gui.app import open_start_document
    from gui.main_window import MainWindow

    window = MainWindow(settings=settings, dialogs=dialogs, restore_layout=False)
    qtbot.addWidget(window, before_close_func=lambda w: w.controller.undo_stack.setClean())
    imported = []
    window.files.import_model = lambda path: imported.append(str(path)) or True
    model = tmp_path / "Model.KERAS"
    model.write_bytes(b"PK\x03\x04 not a project")
    open_start_document(window, str(model))
    assert window.files.example == DEFAULT_EXAMPLE and window.files.path is None  # the example shows meanwhile
    assert window.files.open_path(tmp_path / "legacy.h5") is True
    assert imported == [str(model), str(tmp_path / "legacy.h5")] and not dialogs.asked
