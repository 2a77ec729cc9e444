"""Backward wires (between the bands of a wrapped layout) run along a free lane, never across a band."""

import itertools

import builder
from builder.layout.auto_layout import auto_layout
from builder.layout.wire_routes import detour_lane, detour_points, is_backward


def _crosses(points, rect) -> bool:
    x0, y0, x1, y1 = rect
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        if ay == by and y0 < ay < y1 and min(ax, bx) < x1 and max(ax, bx) > x0:
            return True
        if ax == bx and x0 < ax < x1 and min(ay, by) < y1 and max(ay, by) > y0:
            return True
    return False


def test_a_forward_wire_keeps_its_curve():
    assert detour_lane((0, 0), (300, 50), []) is None and not is_backward((0, 0), (300, 50))


def test_the_lane_is_the_widest_free_gap_between_the_ends():
    bands = [(0, 0, 1000, 400), (0, 600, 1000, 1000)]
    assert detour_lane((1000, 200), (0, 800), bands) == 500
    points = detour_points((1000, 200), (0, 800), 500)
    assert points[2] == (1030, 500) and points[3] == (-30, 500)
    assert not any(_crosses(points, band) for band in bands)


def test_without_a_free_gap_the_lane_goes_outside():
    assert detour_lane((500, 50), (0, 60), [(0, 0, 600, 100)]) in (-30, 130)


def test_a_wrapped_deep_model_routes_every_band_wire_clear_of_nodes():
    graph = builder.GraphDocument()
    previous = None
    for i in range(120):  # a chain deep enough to wrap into bands
        node = f"n{i}"
        graph.add_node(node, "Input" if i == 0 else "Dense", {"shape": [4]} if i == 0 else {"units": 4})
        if previous:
            graph.connect(previous, node)
        previous = node
    layout = auto_layout(graph.graph)
    rects = {n: (x, y, x + 200, y + 100) for n, (x, y) in layout.items()}
    backward = 0
    for source, target, _port in graph.edges():
        start = (layout[source][0] + 200, layout[source][1] + 50)
        end = (layout[target][0], layout[target][1] + 50)
        lane = detour_lane(start, end, rects.values())
        if lane is None:
            continue
        backward += 1
        points = detour_points(start, end, lane)
        assert not any(_crosses(points, rect) for n, rect in rects.items() if n not in (source, target))
    assert backward >= 2


def _plain_detour_lane(start, end, obstacles, margin=30.0):
    """detour_lane as first written: every obstacle beside the lane's span sorted, then the same gaps."""
    from builder.layout.wire_routes import _free_gaps

    if not is_backward(start, end):
        return None
    left, right = end[0] - margin, start[0] + margin
    blocks = sorted((top, bottom) for x0, top, x1, bottom in obstacles if x0 < right and x1 > left)
    low, high = sorted((start[1], end[1]))
    free = _free_gaps(blocks, low, high)
    if free:
        top, bottom = max(free, key=lambda gap: gap[1] - gap[0])
        return (top + bottom) / 2
    above = min((t for t, b in blocks if b >= low), default=low) - margin
    below = max((b for t, b in blocks if t <= high), default=high) + margin
    return above if abs(above - low) <= abs(below - high) else below


def test_the_lane_is_the_one_found_by_looking_at_every_obstacle():
    """detour_lane sorts only the obstacles level with the span between the ends: the same lane as sorting all
    of them, on random node rectangles (touching, overlapping, on a grid, with and without a free gap)."""
    import random

    rng = random.Random(7)
    for case in range(400):
        size = rng.choice([1, 5, 30, 200])
        grid = case % 2 == 0  # cards on a grid, as a layout places them, so edges often touch exactly
        rects = []
        for _ in range(rng.randint(0, size)):
            x = rng.randrange(0, 3000, 280) if grid else rng.uniform(-100, 3000)
            y = rng.randrange(0, 3000, 150) if grid else rng.uniform(-100, 3000)
            rects.append((x, y, x + 200, y + rng.choice([110, 150, 400])))
        start = (rng.uniform(500, 3200), rng.choice([rng.uniform(0, 3000), rng.randrange(0, 3000, 75)]))
        end = (rng.uniform(-200, start[0]), rng.choice([rng.uniform(0, 3000), rng.randrange(0, 3000, 75)]))
        given = rects if case % 3 else {i: r for i, r in enumerate(rects)}.values()  # the scene passes a view
        assert detour_lane(start, end, given) == _plain_detour_lane(start, end, rects), (case, start, end)
