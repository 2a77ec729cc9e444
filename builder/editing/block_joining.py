"""Which block a node joins when an edit brings it in (builder/editing/every_use.py makes the edit in every use):
the innermost block it is wired between two members of (a layer inserted on a wire inside the block: leaving it
out would make the block's tensor leave and come back), or for a new node, the innermost open block whose frame
holds the place it was put (a layer dropped inside an open block). No Qt here.
"""

from __future__ import annotations

from builder.layout.block_layout import FRAME_PAD, NODE_SIZE
from builder.model.blocks import ancestors, blocks_of, chain_of, members_by_block


def between(graph, node) -> str | None:
    """The innermost block that both feeds `node` and reads it, or None."""
    reads = set()
    for target in graph._succ[node]:
        reads.update(chain_of(graph, target))
    best, depth = None, -1
    for source in graph._pred[node]:
        for block in chain_of(graph, source):
            if block in reads:
                d = len(ancestors(graph, block))
                if d > depth:
                    best, depth = block, d
                break
    return best


def open_frames(doc, leave_out: set) -> list[tuple[int, str, tuple]]:
    """(depth, block, (left, top, right, bottom)) for each open block shown: its nodes' rectangle with the frame's
    margins, as the canvas draws it (the new nodes left out: they are what is being placed)."""
    graph = doc.graph
    meta = blocks_of(graph)
    out = []
    for block, inside in members_by_block(graph, meta).items():
        chain = [block, *ancestors(graph, block)]
        if any(meta[b].get("collapsed") for b in chain):
            continue
        placed = [doc.positions[n] for n in inside if n in doc.positions and n not in leave_out]
        if placed:
            out.append((len(chain), block, (min(x for x, _ in placed) - FRAME_PAD[0],
                                            min(y for _, y in placed) - FRAME_PAD[1],
                                            max(x for x, _ in placed) + NODE_SIZE[0] + FRAME_PAD[0],
                                            max(y for _, y in placed) + NODE_SIZE[1] + FRAME_PAD[0])))
    return sorted(out, reverse=True)  # innermost first


def placed_inside(at, frames) -> str | None:
    """The innermost open block whose frame holds `at` (a new node's top-left corner): a layer dropped inside an
    open block is in it."""
    return next((block for _depth, block, (left, top, right, bottom) in frames
                 if left <= at[0] <= right and top <= at[1] <= bottom), None)
