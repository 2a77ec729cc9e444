"""The ports of a collapsed block's card, and the node behind each (builder/model/blocks.py says what a block is).

Input ports, top to bottom: one per tensor that enters the block (border_inputs' order), standing for the first
member that reads it; then one per member that nothing feeds yet (an "open" input: a use made again and not
wired, a layer added inside), in document order. A wire dropped on a port is a wire into the member behind it:
on the member's port that reads that tensor, or on a merge layer the next free one. Output ports: one per member
whose tensor leaves the block (border_outputs), and a wire dragged from one starts at that member. No Qt here.
"""

from __future__ import annotations

from typing import NamedTuple

from builder.catalog.specs import UnknownLayerError, spec_for
from builder.model.blocks import border_inputs, border_outputs, members


class CardInput(NamedTuple):
    source: str | None  # the tensor from outside the block wired there; None for an open input
    member: str  # the node behind the port
    port: int | None  # the member's port a new wire takes; None: the next free one (a merge layer)


def card_inputs(graph, block, inside: list | None = None) -> list[CardInput]:
    inside = members(graph, block) if inside is None else inside
    out = []
    reading = {}
    chosen = set(inside)
    for node in inside:
        for source, _node, port in sorted(graph.in_edges(node, data="port"), key=lambda e: e[2]):
            if source not in chosen:
                reading.setdefault(source, (node, port))
    for source in border_inputs(graph, block, inside):
        node, port = reading[source]
        out.append(CardInput(source, node, None if _is_merge(graph, node) else port))
    for node in inside:
        if not graph._pred[node] and _takes_inputs(graph, node):
            out.append(CardInput(None, node, None if _is_merge(graph, node) else 0))
    return out


def card_outputs(graph, block, inside: list | None = None) -> list[str]:
    return border_outputs(graph, block, inside)


def _spec(graph, node):
    try:
        return spec_for(graph.nodes[node].get("layer"))
    except UnknownLayerError:
        return None


def _is_merge(graph, node) -> bool:
    spec = _spec(graph, node)
    return spec is not None and spec.is_merge


def _takes_inputs(graph, node) -> bool:
    spec = _spec(graph, node)
    return spec is not None and not spec.is_input and (spec.is_merge or spec.inputs > 0)
