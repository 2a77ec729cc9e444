"""One comparison: the other version (A, "before") against this document (B, "after"), its diff, where every node
of both is shown, and the list of changes that next/previous steps through. No Qt: the window, the overlay and the
tests read the same facts.

Positions: B's nodes are where the canvas shows them; A's nodes follow B's (builder/diff/follow_layout.py), so a
matched node is at the same place on both sides and a removed one sits where it was among its neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.catalog.rules import fmt
from builder.diff.follow_layout import complete_positions, follow_layout
from builder.diff.model_diff import ModelDiff, diff_graphs
from builder.diff.report import change_text, count_text, ids_text, shape_text, totals_text
from builder.inference.engine import infer
from builder.model.blocks import block_of
from builder.quoting import quote

KINDS = ("added", "removed", "changed", "renamed", "same")


@dataclass(frozen=True)
class Change:
    """One stop of next/previous: a node on one side ("a": removed from the other version, "b": this document)."""

    side: str
    node: str
    kind: str


class CompareSession:
    def __init__(self, other_graph, other_name: str, this_graph, this_positions: dict | None = None):
        self.other, self.other_name = other_graph, other_name
        self.update(this_graph, this_positions)

    def update(self, this_graph, this_positions: dict | None = None):
        """Compare again, after this document changed (the overlay follows every edit)."""
        self.this = this_graph
        self.diff: ModelDiff = diff_graphs(self.other, this_graph)
        self.results_a, self.results_b = infer(self.other), infer(this_graph)
        positions = complete_positions(this_graph)
        positions.update(this_positions or {})
        self.positions_b = positions
        self.positions_a = follow_layout(self.other, self.diff.matched, positions)
        self.changes = self._changes()

    def kind(self, side: str, node: str) -> str:
        """added, removed, changed, renamed or same; a matched node shows the same kind on both sides."""
        if side == "b":
            return self.diff.kind_of(node)
        return self.diff.kind_of(self.diff.matched[node]) if node in self.diff.matched else "removed"

    def counterpart(self, side: str, node: str) -> str | None:
        """The same node on the other side, or None (added or removed)."""
        return self.diff.matched.get(node) if side == "a" else self.diff.to_a.get(node)

    def _changes(self) -> list[Change]:
        found = [Change("b", n, self.diff.kind_of(n)) for n in self.this if self.diff.kind_of(n) != "same"]
        found += [Change("a", n, "removed") for n in self.diff.removed]

        def reading_order(change):
            x, y = (self.positions_a if change.side == "a" else self.positions_b)[change.node]
            return (round(y / 100), x)  # rows of about a node's height, then left to right

        return sorted(found, key=reading_order)

    def totals(self) -> str:
        if self.diff.same:
            return f"Same model as {self.other_name}: {self.diff.total_params[1]:,} params"
        return totals_text(self.diff)

    def details(self, side: str, node: str) -> list[str]:
        """What changed on one node, one fact a line: for the details panel and the tooltip."""
        diff, kind = self.diff, self.kind(side, node)
        b_node = node if side == "b" else diff.matched.get(node)
        if kind == "removed":
            result = self.results_a[node]
            shape = shape_text(None if result.shape is None else list(result.shape))
            return [f"{quote(node)} was removed ({self.other.nodes[node].get('layer')})",
                    f"it gave {shape}, {count_text(result.params)} params"]
        result = self.results_b[b_node]
        lines = [] if kind == "added" else [f"{quote(b_node)} ({self.this.nodes[b_node].get('layer')}): {kind}"]
        if kind == "added":
            lines.append(f"{quote(b_node)} was added ({self.this.nodes[b_node].get('layer')}): "
                         f"{fmt(result.shape) if result.shape else 'no shape'}, {count_text(result.params)} params")
        old = diff.to_a.get(b_node)
        if old is not None and old != b_node:
            lines.append(f"renamed: {quote(old)} → {quote(b_node)}")
        lines += [change_text(name, *pair) for name, pair in diff.changed.get(b_node, {}).items()]
        if b_node in diff.rewired:
            before, after = diff.rewired[b_node]
            lines.append(f"inputs {ids_text(before)} → {ids_text(after)}")
        if b_node in diff.shape_changes:
            before, after = diff.shape_changes[b_node]
            lines.append(f"shape {shape_text(before)} → {shape_text(after)}")
        if b_node in diff.param_changes:
            before, after = diff.param_changes[b_node]
            lines.append(f"params {count_text(before)} → {count_text(after)}")
        if old is not None:  # in another block than before (a block renamed is the same block)
            was, now = block_of(self.other, old), block_of(self.this, b_node)
            if diff.blocks.renamed.get(was, was) != now:
                lines.append(f"block {quote(was) if was else 'none'} → {quote(now) if now else 'none'}")
        elif block_of(self.this, b_node) is not None:
            lines.append(f"in block {quote(block_of(self.this, b_node))}")
        for label, errors in (("error appeared", diff.errors_appeared), ("error fixed", diff.errors_fixed)):
            if b_node in errors:
                lines.append(f"{label}: {errors[b_node]}")
        return lines
