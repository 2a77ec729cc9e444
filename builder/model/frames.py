"""Frames: titled, coloured rectangles drawn behind a group of nodes ("Inception block"). Pure presentation,
kept in the document's `ui` part under "frames" and saved with the file:

    "frames": [{"id": "frame_1", "title": "Inception block", "colour": "#7c3aed", "rect": [x, y, w, h]}]

Each edit is one command that replaces the list (old list kept for undo). Moving a frame moves the nodes
inside it in the same step (MoveFrame). No Qt here.
"""

from __future__ import annotations

import math
import re

from builder.model.document import MAX_COORDINATE, GraphDocument, GraphError

FRAME_KEYS = ("id", "title", "colour", "rect")
MAX_TITLE = 200
MIN_SIZE = 40.0
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# The colours offered by name (Frame > Colour). Each takes white title text at a contrast of at least 5:1, so a
# title reads the same on the dark and the light canvas; new frames take them in turn.
NAMED_COLOURS = {"Violet": "#7c3aed", "Blue": "#2563eb", "Teal": "#0f766e", "Green": "#15803d",
                 "Amber": "#b45309", "Rose": "#be185d", "Red": "#b91c1c", "Slate": "#475569"}
COLOURS = tuple(NAMED_COLOURS.values())


class InvalidFrame(GraphError):
    pass


def check_frame(frame) -> dict:
    """The frame in its stored form, or InvalidFrame saying what is wrong."""
    if not isinstance(frame, dict):
        raise InvalidFrame(f"a frame is an object with {', '.join(FRAME_KEYS)}")
    unknown = sorted(set(frame) - set(FRAME_KEYS))
    if unknown:
        raise InvalidFrame(f"unknown key {unknown[0]!r}; a frame has {', '.join(FRAME_KEYS)}")
    frame_id, title, colour, rect = (frame.get(k) for k in FRAME_KEYS)
    if not isinstance(frame_id, str) or not frame_id.strip() or len(frame_id) > 100 or not frame_id.isprintable():
        raise InvalidFrame(f"id: expected a short printable text such as 'frame_1', got {frame_id!r}")
    if not isinstance(title, str) or len(title) > MAX_TITLE or not title.replace("\n", " ").isprintable():
        raise InvalidFrame(f"title: expected a text of at most {MAX_TITLE} characters")
    if not isinstance(colour, str) or not _COLOUR.match(colour):
        raise InvalidFrame(f"colour: expected '#rrggbb', got {colour!r}")
    if not (isinstance(rect, (list, tuple)) and len(rect) == 4
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                    and abs(v) < MAX_COORDINATE for v in rect)):
        raise InvalidFrame(f"rect: expected [x, y, width, height] with finite numbers, got {rect!r}")
    if rect[2] < MIN_SIZE or rect[3] < MIN_SIZE:
        raise InvalidFrame(f"rect: width and height must be at least {MIN_SIZE:g}, got {rect[2]:g} x {rect[3]:g}")
    return {"id": frame_id, "title": title, "colour": colour.lower(), "rect": [float(v) for v in rect]}


def check_frames(frames) -> list[dict]:
    """A whole `frames` list (as read from a file): each frame valid, ids unique."""
    if not isinstance(frames, list):
        raise InvalidFrame("expected a list of frames")
    clean, seen = [], set()
    for i, frame in enumerate(frames):
        try:
            frame = check_frame(frame)
        except InvalidFrame as exc:
            raise InvalidFrame(f"[{i}].{exc}") from None
        if frame["id"] in seen:
            raise InvalidFrame(f"[{i}].id: duplicate frame id {frame['id']!r}")
        seen.add(frame["id"])
        clean.append(frame)
    return clean


def frames_of(doc: GraphDocument) -> list[dict]:
    return [dict(f, rect=list(f["rect"])) for f in doc.ui.get("frames") or []]


def frame_by_id(doc: GraphDocument, frame_id: str) -> dict:
    for frame in frames_of(doc):
        if frame["id"] == frame_id:
            return frame
    raise InvalidFrame(f"there is no frame {frame_id!r}")


def new_frame_id(doc: GraphDocument) -> str:
    taken = {f["id"] for f in frames_of(doc)}
    n = 1
    while f"frame_{n}" in taken:
        n += 1
    return f"frame_{n}"


def nodes_inside(rect, node_rects: dict) -> list[str]:
    """Nodes whose whole card lies inside rect ([x, y, w, h]); these move with the frame."""
    x, y, w, h = rect
    return [n for n, (nx_, ny, nw, nh) in node_rects.items()
            if nx_ >= x and ny >= y and nx_ + nw <= x + w and ny + nh <= y + h]


def colour_name(colour: str) -> str:
    """'Teal' for a named colour, else the '#rrggbb' itself."""
    names = {value: name for name, value in NAMED_COLOURS.items()}
    return names.get(colour.lower(), colour.lower())


