"""Builder figures behind a large auto-layout and save (issue 18): what the window's auto-layout, its wire
routing and its recovery copy ask of builder/, timed without the window (the window's own part, moving items
on its thread, is in gui_figures).

    - the layout's computation (block_layout: auto_layout without blocks) of a 10,000-node graph;
    - the detours of every backward wire of that layout (wire_routes.detour_lane, given every node's card as an
      obstacle, as the scene does once all nodes stand);
    - the project text of that graph (project.dumps: what saving and the window's recovery copy write).

Informative figures (no budget of their own: the auto-layout's budget, 2 s, is for the whole window).
"""

from __future__ import annotations

from benchmarks.builder_figures import Figure, median_ms
from benchmarks.graphs import generated_file

CARD = (200.0, 110.0)  # a node's card (gui/canvas/geometry.py), as the scene gives it to detour_lane


def layout_figures(quick: bool) -> list[Figure]:
    from builder.files import project
    from builder.layout.block_layout import block_layout
    from builder.layout.wire_routes import detour_lane, is_backward

    size = 2000 if quick else 10_000
    graph = project.read(generated_file(size))
    repeat = 3 if quick else 7
    figures = [Figure(f"auto-layout computation (block_layout), {size:,} nodes", median_ms(
        lambda: block_layout(graph), repeat), "ms")]
    positions = block_layout(graph)
    obstacles = [(x - 4, y - 4, x + CARD[0] + 4, y + CARD[1] + 4) for x, y in positions.values()]
    ends = []
    for source, target in graph.edges():
        start = (positions[source][0] + CARD[0], positions[source][1] + CARD[1] / 2)
        end = (positions[target][0], positions[target][1] + CARD[1] / 2)
        if is_backward(start, end):
            ends.append((start, end))
    figures.append(Figure(f"detours of the layout's {len(ends)} backward wires, {size:,} nodes", median_ms(
        lambda: [detour_lane(start, end, obstacles) for start, end in ends], repeat), "ms"))
    figures.append(Figure(f"project text (save, recovery copy), {size:,} nodes", median_ms(
        lambda: project.dumps(graph), repeat), "ms"))
    return figures
