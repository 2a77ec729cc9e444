"""Routes for wires that run backwards (their target left of their source), as between two bands of a wrapped
layout (auto_layout.py): instead of a long diagonal across a band, such a wire leaves its source to the right,
runs along a free horizontal lane (the gap between two bands), and comes down to its target from the left.

    lane = detour_lane(start, end, obstacles)      # y of the lane, or None for a wire that runs forwards
    points = detour_points(start, end, lane)       # the corners of the route, start and end included

Points are (x, y); obstacles are node rectangles (left, top, right, bottom). No Qt here.
"""

from __future__ import annotations

MARGIN = 30.0  # how far a route runs out of a port before it turns
BACKWARD_BY = 2 * MARGIN  # a target less than this left of its source is reached by the usual curve


def is_backward(start, end) -> bool:
    return end[0] < start[0] - BACKWARD_BY


def detour_lane(start, end, obstacles, margin: float = MARGIN) -> float | None:
    """The y of a horizontal lane from x = end.x - margin to start.x + margin that crosses no obstacle: the
    middle of the widest free gap between the two ends' heights, else the nearest free height outside them.
    None when the wire does not run backwards."""
    if not is_backward(start, end):
        return None
    left, right = end[0] - margin, start[0] + margin
    low, high = sorted((start[1], end[1]))
    # Only the obstacles level with the span between the ends can close a gap in it (the scene passes every
    # node of a 10,000-node graph, most of them beside the lane's x-span in a wrapped layout): sorting just
    # those made a detour four times cheaper, with the same gaps.
    obstacles = obstacles if isinstance(obstacles, (list, tuple)) else list(obstacles)  # walked twice at most
    between = [(top, bottom) for x0, top, x1, bottom in obstacles
               if bottom > low and top < high and x0 < right and x1 > left]  # most fail the first test
    between.sort()
    free = _free_gaps(between, low, high)
    if free:
        top, bottom = max(free, key=lambda gap: gap[1] - gap[0])
        return (top + bottom) / 2
    # Nothing free between the ends: the nearest edge of the blocks around them, just outside.
    blocks = [(top, bottom) for x0, top, x1, bottom in obstacles if x0 < right and x1 > left]
    above = min((t for t, b in blocks if b >= low), default=low) - margin
    below = max((b for t, b in blocks if t <= high), default=high) + margin
    return above if abs(above - low) <= abs(below - high) else below


def _free_gaps(blocks, low: float, high: float) -> list[tuple[float, float]]:
    """Free intervals of [low, high] between the sorted (top, bottom) blocks, at least 2 units tall."""
    gaps, cursor = [], low
    for top, bottom in blocks:
        if bottom <= cursor:
            continue
        if top > cursor:
            gaps.append((cursor, min(top, high)))
        cursor = max(cursor, bottom)
        if cursor >= high:
            break
    if cursor < high:
        gaps.append((cursor, high))
    return [(a, b) for a, b in gaps if b - a >= 2]


def detour_points(start, end, lane: float, margin: float = MARGIN) -> list[tuple[float, float]]:
    """start, out to the right, along the lane, down (or up) on the left of the target, into its port."""
    out_x, in_x = start[0] + margin, end[0] - margin
    return [tuple(start), (out_x, start[1]), (out_x, lane), (in_x, lane), (in_x, end[1]), tuple(end)]
