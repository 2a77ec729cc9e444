"""Opening damaged files in the window (issue 5, fuzzed loading): a refused file gets a dialog with the reader's
message and leaves the open document exactly as it was (content, unsaved edits, undo history, file name,
selection); a loadable one is opened only after the unsaved-changes question. KC_FUZZ_GUI_FILES sets the count
(default 40); the builder-level corpus in tests/builder/test_fuzz_loading.py runs 10,000 in its long run."""

from __future__ import annotations

import os

from builder.editing.commands import SetParam
from builder.files import project
from builder.files.project import ProjectError
from tests.builder.fuzz_files import damaged_file
from tests.gui.conftest import open_example

FILES = int(os.environ.get("KC_FUZZ_GUI_FILES", "40"))


def state(window):
    stack = window.controller.undo_stack
    return (project.dumps(window.controller.doc.graph), stack.count(), stack.index(), stack.isClean(),
            window.files.path, window.files.example, window.windowTitle(), list(window.controller.selected),
            window.inspector.node_id, sorted(window.controller.results), len(window.canvas.canvas_scene.node_items()))


def test_damaged_files_never_leave_a_half_loaded_document(window, dialogs, tmp_path):
    open_example(window, "dense_branches")
    assert window.controller.push(SetParam("output", "units", 2))  # unsaved work must survive
    window.controller.select(["output"])
    before = state(window)
    path = tmp_path / "damaged.json"
    refused = 0
    for seed in range(FILES):
        path.write_bytes(damaged_file(seed))
        try:
            project.read(path)
            loadable = True
            dialogs.answers["ask_save_changes"].append("cancel")  # a loadable file: keep the work instead
        except ProjectError:
            loadable = False
            refused += 1
        errors = len(dialogs.errors)
        assert not window.files.open_path(path), seed
        assert state(window) == before, f"seed {seed} changed the open document"
        if dialogs.answers["ask_save_changes"]:
            dialogs.answers["ask_save_changes"].clear()
            raise AssertionError(f"seed {seed}: a loadable file was opened without asking")
        assert len(dialogs.errors) == errors + (0 if loadable else 1)
    assert refused > FILES / 2
    assert all(title == "Cannot open damaged.json" and "damaged.json" in message for title, message in dialogs.errors)
