"""File > Compare With…: side by side with matched nodes at the same places, coloured by kind, details per node,
next/previous, totals; the overlay on the canvas following edits; refusals naming the file; the theme's diff
colours readable on a card in both themes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

import builder
from builder.editing.commands import Delete, Rename, SetParam
from gui.compare.items import DiffNodeItem
from gui.compare.overlay import HaloItem
from gui.theme import contrast_ratio, theme
from tests.conftest import EXAMPLES

BODY_TEXT = 4.5


@pytest.fixture
def saved_cnn(window, tmp_path):
    """The 28×28 CNN saved as a project and open in the window."""
    path = tmp_path / "cnn.json"
    builder.save(builder.load(EXAMPLES / "cnn_28x28_three_kernels.json"), path)
    assert window.files.open_path(path)
    return path


def edit(window):
    """conv_3x3 renamed, dense's units 128 -> 64, conv_7x7 deleted: one command each, as the canvas pushes them."""
    controller = window.controller
    assert controller.push(Rename("conv_3x3", "conv_small"))
    assert controller.push(SetParam("dense", "units", 64))
    assert controller.push(Delete(nodes=["conv_7x7"]))


def test_compare_with_last_saved_version_side_by_side(window, saved_cnn):
    edit(window)
    window.actions_by_name["compare_saved"].trigger()
    view = window.compare.view
    assert view is not None and view.isVisible()
    assert view.totals.text().startswith("0 added, 1 removed, 1 changed, 1 renamed, 1 rewired")
    assert "params 9,637,962 → " in view.totals.text()
    cards_a, cards_b = view.scenes["a"].cards, view.scenes["b"].cards
    assert set(cards_a) == set(builder.load(saved_cnn)) and set(cards_b) == set(window.controller.doc.graph)
    # Matched nodes at the same places on both sides, this document's as on the canvas.
    canvas = window.canvas.canvas_scene
    for node, card in cards_b.items():
        assert card.pos() == canvas.node_item(node).pos()
    assert cards_a["conv_3x3"].pos() == cards_b["conv_small"].pos()
    assert cards_a["dense"].pos() == cards_b["dense"].pos()
    kinds = {(c.side, c.node): c.kind for c in window.compare.view.session.changes}
    assert kinds[("a", "conv_7x7")] == "removed" and kinds[("b", "conv_small")] == "renamed"
    assert kinds[("b", "dense")] == "changed" and kinds[("b", "merged")] == "changed"
    assert (cards_a["conv_7x7"].kind, cards_b["dense"].kind, cards_b["image"].kind) == ("removed", "changed", "same")
    assert view.grab().width() > 0  # every card and wire paints


def test_next_and_previous_step_through_the_changes_with_details(window, saved_cnn):
    edit(window)
    window.compare.compare_with_saved()
    view = window.compare.view
    seen = []
    for _ in view.session.changes:
        view.next_change()
        seen.append(view.session.changes[view.current])
    assert seen == view.session.changes and view.change_list.currentRow() == len(seen) - 1
    view.next_change()
    assert view.current == 0  # wraps around
    view.previous_change()
    assert view.current == len(seen) - 1
    dense = next(i for i, c in enumerate(view.session.changes) if c.node == "dense")
    view.change_list.setCurrentRow(dense)
    text = view.details.toPlainText()
    assert "units 128 → 64" in text and "shape (None, 128) → (None, 64)" in text
    assert "params 9,633,920 → 3,211,328" in text  # 64 units on two branches, not three
    assert view.scenes["b"].cards["dense"].isSelected() and view.scenes["a"].cards["dense"].isSelected()


def test_compare_with_a_file_picked_in_the_dialog(window, dialogs, tmp_path):
    window.files.open_example("cnn_28x28_three_kernels")
    dialogs.answers["compare_path"].append(str(EXAMPLES / "shape_mismatch.json"))
    window.actions_by_name["compare_file"].trigger()
    diff = window.compare.view.session.diff
    assert set(diff.changed) == {"conv_3x3", "conv_5x5", "conv_7x7"} and "merged" in diff.errors_fixed


def test_identical_versions_say_so(window, saved_cnn):
    window.compare.compare_with_saved()
    assert window.compare.view.totals.text() == "Same model as cnn.json (saved): 9,637,962 params"
    assert window.compare.view.session.changes == []


@pytest.mark.parametrize("content, fragment", [("not json", "not valid JSON"), (None, "No such file")])
def test_an_unreadable_file_gets_a_message_naming_it(window, dialogs, tmp_path, content, fragment):
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content)
    assert not window.compare.compare_with_path(bad)
    (title, message), = dialogs.errors
    assert title == "Cannot compare with bad.json" and fragment in message and window.compare.view is None


def test_keras_model_files_and_unsaved_documents_are_explained(window, dialogs, tmp_path):
    assert not window.compare.compare_with_path(tmp_path / "model.keras")
    assert "python main.py diff model.keras" in dialogs.errors[0][1]
    window.files.new()
    assert not window.compare.compare_with_saved()
    assert "has not been saved yet" in dialogs.infos[0][1]


def test_the_overlay_marks_the_canvas_and_follows_edits(window, saved_cnn):
    edit(window)
    window.compare.compare_with_saved()
    window.compare.view.overlay_button.setChecked(True)
    overlay = window.compare.overlay
    scene = window.canvas.canvas_scene
    halos = {item.node_id: item for item in scene.items() if isinstance(item, HaloItem)}
    assert {"conv_small", "dense", "merged"} <= set(halos) and "image" not in halos
    assert halos["conv_small"].note() == "was conv_3x3" and halos["dense"].note().startswith("units 128 → 64")
    assert halos["dense"].parentItem() is scene.node_item("dense")  # moves with its node
    ghosts = [item for item in scene.items() if isinstance(item, DiffNodeItem)]
    assert [g.node_id for g in ghosts] == ["conv_7x7"] and ghosts[0].ghost
    assert ghosts[0].pos() == QPointF(*overlay.session.positions_a["conv_7x7"])
    window.controller.push(Rename("conv_small", "conv_3x3"))  # put back: its halo goes at once
    halos = {item.node_id for item in scene.items() if isinstance(item, HaloItem)}
    assert "conv_3x3" not in halos and "conv_small" not in halos and "dense" in halos
    window.canvas.grab()  # halos and ghosts paint
    window.compare.view.overlay_button.setChecked(False)
    assert window.compare.overlay is None
    assert not [item for item in scene.items() if isinstance(item, (HaloItem, DiffNodeItem))]


def test_undoing_a_delete_under_the_overlay_keeps_the_canvas_whole(window, saved_cnn):
    window.compare.compare_with_saved()
    window.compare.set_overlay(True)
    window.controller.push(Delete(nodes=["dense"]))  # its halo goes with its item; the ghost appears
    assert [i.node_id for i in window.canvas.canvas_scene.items() if isinstance(i, DiffNodeItem)] == ["dense"]
    window.controller.undo_stack.undo()
    assert not [i for i in window.canvas.canvas_scene.items() if isinstance(i, (HaloItem, DiffNodeItem))]
    window.compare.set_overlay(False)


@pytest.mark.parametrize("name", ["light", "dark"])
def test_diff_colours_are_readable_on_a_card(name):
    canvas = theme(name).canvas
    for kind in ("added", "removed", "changed", "renamed"):
        colour = getattr(canvas, f"diff_{kind}")
        assert contrast_ratio(colour, canvas.node_body) >= BODY_TEXT, f"{name}: {kind} on a card"
        assert contrast_ratio(colour, canvas.background) >= BODY_TEXT, f"{name}: {kind} note on the canvas"


def test_closing_the_window_closes_its_compare_window(window, saved_cnn):
    """The side by side window belongs to the editor and closes with it. It used to stay shown: the app quits
    when the editor closes, so no one saw it there, but in the GUI tests' one process it stayed on top of the
    next test's windows and took the pointer's moves meant for them (test_canvas_items' hover test failed
    right after this file)."""
    from PySide6.QtWidgets import QApplication

    window.compare.compare_with_saved()
    compare_window = window.compare.view
    assert compare_window.isVisible()
    window.close()
    assert not compare_window.isVisible()
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]
