"""What a block shows when collapsed, derived from its nodes' inference results (inference sees through blocks:
every node inside is inferred as any other): its input and output ports with their shapes, its total parameters,
and its status (an error inside, or the block's own error: builder/model/blocks.block_errors).

Shared uses call the same layers, so the model's totals count their weights once (shared_totals).
"""

from __future__ import annotations

from typing import NamedTuple

from builder.inference.engine import NodeResult, totals
from builder.model.block_checks import block_errors
from builder.model.blocks import blocks_of, border_inputs, border_outputs, members, members_by_block, uses


class BlockSummary(NamedTuple):
    block: str
    inputs: tuple[tuple[str, tuple | None], ...]  # (source outside the block, its shape) in port order
    outputs: tuple[tuple[str, tuple | None], ...]  # (member read from outside, its shape)
    trainable: int
    non_trainable: int
    status: str  # ok, warning, error, blocked or stale: the worst inside
    error: str | None  # the block's own error, or the first error of a node inside ("conv_b: ...")
    problems: int  # nodes inside with an error, plus the block's own
    size: int  # nodes inside
    waits_on: str | None = None  # the node outside whose error keeps the block's nodes from having shapes

    @property
    def params(self) -> int:
        return self.trainable + self.non_trainable


_RANK = {"ok": 0, "warning": 1, "blocked": 2, "stale": 3, "error": 4}


def summarize(graph, results: dict[str, NodeResult], own_errors: dict | None = None) -> dict[str, BlockSummary]:
    """block id -> its summary, for every block that holds a node."""
    own = block_errors(graph) if own_errors is None else own_errors
    out = {}
    holding = members_by_block(graph)
    for block in blocks_of(graph):
        inside_list = holding[block]
        if not inside_list:
            continue
        inside = set(inside_list)
        found = [results[n] for n in inside_list if n in results]
        status = max((r.status for r in found), key=_RANK.get, default="ok")
        # A node waiting on an error inside the same block adds nothing: the error itself is counted.
        if status == "blocked" and all(r.blocked_by in inside for r in found if r.blocked_by):
            status = "error"
        first = next((f"{n}: {results[n].error}" if not results[n].error.startswith(n) else results[n].error
                      for n in inside_list if n in results and results[n].error), None)
        error = own.get(block) or first
        count = sum(1 for r in found if r.error) + (1 if block in own else 0)
        if block in own:
            status = "error"
        out[block] = BlockSummary(
            block,
            tuple((s, _shape(results, s)) for s in border_inputs(graph, block, inside_list)),
            tuple((n, _shape(results, n)) for n in border_outputs(graph, block, inside_list)),
            sum(r.trainable for r in found if r.shape is not None),
            sum(r.non_trainable for r in found if r.shape is not None),
            status, error, count, len(inside_list),
            next((r.blocked_by for r in found if r.blocked_by and r.blocked_by not in inside), None))
    return out


def _shape(results, node):
    result = results.get(node)
    return None if result is None else result.shape


def repeated_shared_nodes(graph) -> set[str]:
    """The nodes of every shared use but the first of its definition: the same layers again, no new weights."""
    meta = blocks_of(graph)
    repeated = set()
    for definition in {m.get("definition") for m in meta.values() if m.get("shared")} - {None}:
        for use in uses(graph, definition)[1:]:
            repeated.update(members(graph, use))
    return repeated


def shared_totals(graph, results: dict[str, NodeResult]) -> tuple[int, int]:
    """(trainable, non_trainable) of the model: as engine.totals, with a shared layer's weights counted once."""
    repeated = repeated_shared_nodes(graph)
    if not repeated:
        return totals(results)
    return totals({n: r for n, r in results.items() if n not in repeated})
