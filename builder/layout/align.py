"""Align and distribute nodes, and find them by id or layer: pure functions on rectangles and documents, so
the canvas only measures its cards and pushes one Move with the result. No Qt here.

A rectangle is (x, y, width, height) with (x, y) the node's top-left corner, as positions are stored.
"""

from __future__ import annotations

ALIGN_MODES = ("left", "right", "top", "bottom", "centre_x", "centre_y")


def align(rects: dict, mode: str) -> dict:
    """New top-left corners lining up the rectangles: on their left or right edges, top or bottom edges, or
    on one vertical (centre_x) or horizontal (centre_y) centre line, taken from the selection's bounds."""
    if mode not in ALIGN_MODES:
        raise ValueError(f"unknown alignment {mode!r}; expected one of {', '.join(ALIGN_MODES)}")
    if not rects:
        return {}
    left = min(x for x, _y, _w, _h in rects.values())
    right = max(x + w for x, _y, w, _h in rects.values())
    top = min(y for _x, y, _w, _h in rects.values())
    bottom = max(y + h for _x, y, _w, h in rects.values())
    placed = {}
    for node, (x, y, w, h) in rects.items():
        if mode == "left":
            x = left
        elif mode == "right":
            x = right - w
        elif mode == "centre_x":
            x = (left + right) / 2 - w / 2
        elif mode == "top":
            y = top
        elif mode == "bottom":
            y = bottom - h
        else:
            y = (top + bottom) / 2 - h / 2
        placed[node] = (x, y)
    return placed


def distribute(rects: dict, axis: str) -> dict:
    """New top-left corners with equal gaps between neighbours along axis 'x' or 'y'; the first and last
    (by position) stay where they are."""
    if axis not in ("x", "y"):
        raise ValueError(f"unknown axis {axis!r}; expected 'x' or 'y'")
    index, size = (0, 2) if axis == "x" else (1, 3)
    order = sorted(rects, key=lambda n: (rects[n][index], n))
    placed = {n: (rects[n][0], rects[n][1]) for n in rects}
    if len(order) < 3:
        return placed
    start = rects[order[0]][index]
    end = rects[order[-1]][index] + rects[order[-1]][size]
    gap = (end - start - sum(rects[n][size] for n in order)) / (len(order) - 1)
    at = start
    for node in order:
        corner = list(placed[node])
        corner[index] = at
        placed[node] = tuple(corner)
        at += rects[node][size] + gap
    return placed


def find_nodes(doc, text: str) -> list[str]:
    """Nodes whose id or layer type contains text (any case), in document order; ids equal to the text or
    starting with it come first, since that is usually the one meant."""
    wanted = text.strip().lower()
    if not wanted:
        return []
    found = [n for n in doc.node_ids() if wanted in n.lower() or wanted in doc.layer(n).lower()]
    return sorted(found, key=lambda n: (n.lower() != wanted, not n.lower().startswith(wanted)))
