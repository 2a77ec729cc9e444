"""Frame edits, each one undo step: add, remove, rename, recolour, resize and move a frame (moving it moves the
nodes inside it in the same step). The frame data and its checks are in builder/model/frames.py. No Qt here.
"""

from __future__ import annotations

from builder.editing.commands import Command, Macro, Move
from builder.model.frames import (
    COLOURS,
    InvalidFrame,
    check_frame,
    colour_name,
    frame_by_id,
    frames_of,
    new_frame_id,
)


class SetFrames(Command):
    """Replace the whole frames list (every frame edit is one of these); undo puts the old list back."""

    def __init__(self, frames: list, text: str):
        self.frames = [dict(f) for f in frames]
        self.text = text
        self.old: list | None = None
        self.had_key = False

    def do(self, doc):
        new = [check_frame(f) for f in self.frames]
        ids = [f["id"] for f in new]
        if len(set(ids)) != len(ids):
            raise InvalidFrame("two frames would share an id")
        self.had_key = "frames" in doc.ui
        self.old = frames_of(doc)
        doc.set_ui("frames", new if new or self.had_key else None)

    def undo(self, doc):
        doc.set_ui("frames", self.old if self.had_key else None)


def add_frame(doc, rect, title: str = "Group", colour: str | None = None) -> tuple[str, SetFrames]:
    frames = frames_of(doc)
    frame_id = new_frame_id(doc)
    colour = colour or COLOURS[len(frames) % len(COLOURS)]
    frame = {"id": frame_id, "title": title, "colour": colour, "rect": [float(v) for v in rect]}
    return frame_id, SetFrames([*frames, frame], f"Add frame {title!r}")


def remove_frames(doc, frame_ids) -> SetFrames:
    ids = set(frame_ids)
    for frame_id in ids:
        frame_by_id(doc, frame_id)
    kept = [f for f in frames_of(doc) if f["id"] not in ids]
    return SetFrames(kept, "Remove frame" if len(ids) == 1 else f"Remove {len(ids)} frames")


def _changed(doc, frame_id, text, **values) -> SetFrames:
    frame_by_id(doc, frame_id)
    return SetFrames([dict(f, **values) if f["id"] == frame_id else f for f in frames_of(doc)], text)


def rename_frame(doc, frame_id: str, title: str) -> SetFrames:
    """A new title; an empty one is refused (a frame is found and moved by its title bar's text)."""
    if not isinstance(title, str) or not title.strip():
        raise InvalidFrame(f"a frame needs a title; {frame_by_id(doc, frame_id)['title']!r} is kept")
    return _changed(doc, frame_id, f"Rename frame to {title!r}", title=title)


def recolour_frame(doc, frame_id: str, colour: str) -> SetFrames:
    return _changed(doc, frame_id, f"Colour frame {colour_name(colour)}", colour=colour)


def resize_frame(doc, frame_id: str, rect) -> SetFrames:
    return _changed(doc, frame_id, "Resize frame", rect=[float(v) for v in rect])


def move_frame(doc, frame_id: str, dx: float, dy: float, node_positions: dict) -> Macro:
    """Move a frame by (dx, dy) with the nodes it holds (node id -> current top-left), as one step."""
    x, y, w, h = frame_by_id(doc, frame_id)["rect"]
    steps = [_changed(doc, frame_id, "Move frame", rect=[x + dx, y + dy, w, h])]
    if node_positions:
        steps.append(Move({n: (px + dx, py + dy) for n, (px, py) in node_positions.items()}))
    return Macro("Move frame", steps)
