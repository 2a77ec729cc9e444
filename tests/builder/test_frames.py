"""Frames in the ui part of a document: add, remove, rename, recolour, resize and move (with the nodes inside)
undo and redo exactly, survive a save and open, and bad frames in a file are refused with where they are."""

from __future__ import annotations

import pytest

from builder.editing.frame_edits import (
    SetFrames,
    add_frame,
    move_frame,
    recolour_frame,
    remove_frames,
    rename_frame,
    resize_frame,
)
from builder.files import project
from builder.files.project import ProjectError
from builder.model.frames import NAMED_COLOURS, InvalidFrame, colour_name, frames_of, nodes_inside
from tests.builder.samples import Recorder, cnn_branches, do_undo_redo, snapshot


def _framed():
    doc = cnn_branches()
    _id, command = add_frame(doc, [200, -100, 260, 300], "Inception block")
    command.do(doc)
    return doc


def test_add_frame_undoes_to_a_file_without_frames():
    doc = cnn_branches()
    recorder = Recorder(doc)
    frame_id, command = add_frame(doc, [200, -100, 260, 300], "Inception block")
    do_undo_redo(doc, command)
    assert frame_id == "frame_1"
    assert frames_of(doc) == [{"id": "frame_1", "title": "Inception block", "colour": "#7c3aed",
                               "rect": [200.0, -100.0, 260.0, 300.0]}]
    assert "ui_changed" in recorder.kinds


@pytest.mark.parametrize("edit", [
    lambda doc: rename_frame(doc, "frame_1", "Branches"),
    lambda doc: recolour_frame(doc, "frame_1", "#15803D"),
    lambda doc: resize_frame(doc, "frame_1", [200, -100, 400, 400]),
    lambda doc: remove_frames(doc, ["frame_1"]),
    lambda doc: add_frame(doc, [0, 0, 100, 100])[1],
    lambda doc: move_frame(doc, "frame_1", 40, 20, {"conv_3x3": (220, -80), "conv_5x5": (220, 80)}),
])
def test_frame_edits_undo_and_redo_exactly(edit):
    doc = _framed()
    do_undo_redo(doc, edit(doc))


def test_move_frame_moves_the_nodes_inside():
    doc = _framed()
    move_frame(doc, "frame_1", 40, 20, {"conv_3x3": (220, -80)}).do(doc)
    assert frames_of(doc)[0]["rect"][:2] == [240, -80]
    assert doc.positions["conv_3x3"] == (260, -60)


def test_nodes_inside():
    rects = {"a": (10, 10, 50, 50), "b": (90, 10, 50, 50)}
    assert nodes_inside([0, 0, 100, 100], rects) == ["a"]


@pytest.mark.parametrize("frame, problem", [
    ({"id": "f", "title": "t", "colour": "red", "rect": [0, 0, 100, 100]}, "colour"),
    ({"id": "f", "title": "t", "colour": "#ffffff", "rect": [0, 0, 10, 100]}, "at least"),
    ({"id": "f", "title": "t", "colour": "#ffffff", "rect": [0, 0, 100]}, "rect"),
    ({"id": "", "title": "t", "colour": "#ffffff", "rect": [0, 0, 100, 100]}, "id"),
    ({"id": "f", "title": 3, "colour": "#ffffff", "rect": [0, 0, 100, 100]}, "title"),
    ({"id": "f", "title": "t", "colour": "#ffffff", "rect": [0, 0, 100, 100], "z": 1}, "unknown"),
])
def test_bad_frames_are_refused_and_change_nothing(frame, problem):
    doc = _framed()
    before = snapshot(doc)
    with pytest.raises(InvalidFrame) as info:
        SetFrames([frame], "x").do(doc)
    assert problem in str(info.value)
    assert snapshot(doc) == before


def test_frames_survive_save_and_open(tmp_path):
    doc = _framed()
    text = project.dumps(doc.graph)
    again = project.parse(text)
    assert again.graph["ui"]["frames"] == frames_of(doc)
    assert project.dumps(again) == text


def test_a_file_with_a_bad_frame_is_refused_with_where():
    doc = _framed()
    data = project.to_dict(doc.graph)
    data["ui"]["frames"][0]["rect"] = [0, 0, "wide", 100]
    with pytest.raises(ProjectError) as info:
        project.from_dict(data)
    assert "ui.frames[0].rect" in str(info.value)
    data["ui"]["frames"] = {"not": "a list"}
    with pytest.raises(ProjectError) as info:
        project.from_dict(data)
    assert "ui.frames" in str(info.value)


@pytest.mark.parametrize("title", ["", "   ", "\t"])
def test_renaming_to_an_empty_title_is_refused_and_says_what_is_kept(title):
    doc = _framed()
    with pytest.raises(InvalidFrame, match="needs a title; 'Inception block' is kept"):
        rename_frame(doc, "frame_1", title)
    assert frames_of(doc)[0]["title"] == "Inception block"


def test_recolouring_names_the_colour_and_stores_it_in_the_ui_part():
    doc = _framed()
    command = recolour_frame(doc, "frame_1", NAMED_COLOURS["Teal"])
    assert command.text == "Colour frame Teal"
    do_undo_redo(doc, command)
    assert project.to_dict(doc.graph)["ui"]["frames"][0]["colour"] == "#0f766e"
    assert recolour_frame(doc, "frame_1", "#ABCDEF").text == "Colour frame #abcdef"
    assert colour_name("#B91C1C") == "Red" and len(set(NAMED_COLOURS.values())) == len(NAMED_COLOURS)
