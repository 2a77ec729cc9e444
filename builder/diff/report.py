"""A ModelDiff as JSON (`diff --json`) and as a short report for people (`diff`).

The report names each node with builder.quoting.quote (an id from a file could hold anything printable, up to
100 characters), shows values as Python would write them, and groups by kind: removed, added, renamed, changed,
rewired, then the consequences (shapes and counts per node, errors) and the totals.
"""

from __future__ import annotations

from builder.catalog.rules import fmt
from builder.diff.model_diff import ModelDiff
from builder.quoting import quote, show

MAX_LISTED = 40  # nodes listed per section before "... and N more" (an edit of 400 nodes is still a short read)


def diff_dict(diff: ModelDiff) -> dict:
    """The JSON form documented in the README (lists for pairs, shapes as lists with null for unknown dims)."""
    data = {
        "same": diff.same,
        "added": list(diff.added),
        "removed": list(diff.removed),
        "renamed": dict(diff.renamed),
        "changed": {node: {name: [old, new] for name, (old, new) in changes.items()}
                    for node, changes in diff.changed.items()},
        "rewired": {node: [before, after] for node, (before, after) in diff.rewired.items()},
        "inputs": None if diff.inputs is None else list(diff.inputs),
        "outputs": None if diff.outputs is None else list(diff.outputs),
        "shape_changes": {node: list(pair) for node, pair in diff.shape_changes.items()},
        "param_changes": {node: list(pair) for node, pair in diff.param_changes.items()},
        "total_params": list(diff.total_params),
        "errors": {"appeared": dict(diff.errors_appeared), "fixed": dict(diff.errors_fixed)},
    }
    if diff.has_blocks:
        blocks = diff.blocks
        data["blocks"] = {"added": list(blocks.added), "removed": list(blocks.removed), "renamed": dict(blocks.renamed),
                          "joined": {b: list(n) for b, n in blocks.joined.items()},
                          "left": {b: list(n) for b, n in blocks.left.items()},
                          "changed": {b: {k: list(pair) for k, pair in c.items()} for b, c in blocks.changed.items()}}
    if diff.moved or diff.ui_changed:
        data["moved"] = list(diff.moved)
        data["ui_changed"] = list(diff.ui_changed)
    return data


def signed(number: int) -> str:
    """+1,024 or −1,024 (a true minus sign, as the issue writes it), or ±0."""
    if number == 0:
        return "±0"
    return f"+{number:,}" if number > 0 else f"−{-number:,}"


def count_text(count) -> str:
    return "-" if count is None else f"{count:,}"


def shape_text(shape) -> str:
    return "no shape" if shape is None else fmt(tuple(shape))


def ids_text(ids) -> str:
    return "[" + ", ".join(quote(i) for i in ids) + "]"


def change_text(name: str, old, new) -> str:
    return f"{name} {show(old, python=True)} → {show(new, python=True)}"


def consequence_text(diff: ModelDiff, node: str) -> str:
    """'(None, 128) → (None, 64), params 9,633,920 → 4,816,960' for one node; '' when neither changed."""
    parts = []
    if node in diff.shape_changes:
        before, after = diff.shape_changes[node]
        parts.append(f"{shape_text(before)} → {shape_text(after)}")
    if node in diff.param_changes:
        before, after = diff.param_changes[node]
        parts.append(f"params {count_text(before)} → {count_text(after)}")
    return ", ".join(parts)


def diff_text(diff: ModelDiff, name_a: str = "A", name_b: str = "B") -> str:
    if diff.same:
        return f"{name_a} and {name_b} are the same model ({len(diff.matched):,} nodes, " \
               f"{diff.total_params[1]:,} params)"
    lines = [f"--- {name_a}", f"+++ {name_b}"]

    def section(title: str, rows: list[str]):
        if not rows:
            return
        lines.append(f"{title} ({len(rows)}):")
        lines.extend(f"  {row}" for row in rows[:MAX_LISTED])
        if len(rows) > MAX_LISTED:
            lines.append(f"  ... and {len(rows) - MAX_LISTED} more (--json lists them all)")

    section("removed", [quote(n) for n in diff.removed])
    section("added", [quote(n) for n in diff.added])
    section("renamed", [f"{quote(old)} → {quote(new)}" for old, new in diff.renamed.items()])
    section("changed", [f"{quote(node)}: " + "; ".join(change_text(k, *pair) for k, pair in changes.items())
                        for node, changes in diff.changed.items()])
    section("rewired", [f"{quote(node)}: {ids_text(before)} → {ids_text(after)}"
                        for node, (before, after) in diff.rewired.items()])
    for label, pair in (("model inputs", diff.inputs), ("model outputs", diff.outputs)):
        if pair is not None:
            lines.append(f"{label}: {ids_text(pair[0])} → {ids_text(pair[1])}")
    blocks = diff.blocks
    section("blocks removed", [quote(b) for b in blocks.removed])
    section("blocks added", [quote(b) for b in blocks.added])
    section("blocks renamed", [f"{quote(old)} → {quote(new)}" for old, new in blocks.renamed.items()])
    section("block members", [f"{quote(b)}: " + "; ".join(part for part in (
        f"joined {ids_text(blocks.joined[b])}" if b in blocks.joined else "",
        f"left {ids_text(blocks.left[b])}" if b in blocks.left else "") if part)
        for b in dict.fromkeys([*blocks.joined, *blocks.left])])
    section("blocks changed", [f"{quote(b)}: " + "; ".join(change_text(k, *pair) for k, pair in changes.items())
                               for b, changes in blocks.changed.items()])
    touched = list(dict.fromkeys([*diff.shape_changes, *diff.param_changes]))
    section("shapes and params", [f"{quote(node)}: {consequence_text(diff, node)}" for node in touched])
    section("errors appeared", [diff.errors_appeared[node] for node in diff.errors_appeared])
    section("errors fixed", [diff.errors_fixed[node] for node in diff.errors_fixed])
    if diff.moved or diff.ui_changed:
        section("moved", [quote(n) for n in diff.moved])
        section("ui changed", list(diff.ui_changed))
    before, after = diff.total_params
    lines.append(f"total params: {before:,} → {after:,} ({signed(after - before)})")
    return "\n".join(lines)


def totals_text(diff: ModelDiff) -> str:
    """One line for the top of the app's compare view."""
    before, after = diff.total_params
    parts = [f"{len(diff.added)} added", f"{len(diff.removed)} removed", f"{len(diff.changed)} changed",
             f"{len(diff.renamed)} renamed", f"{len(diff.rewired)} rewired"]
    edited = set(diff.changed) | set(diff.rewired) | set(diff.added)
    follow = len((set(diff.shape_changes) | set(diff.param_changes)) - edited)
    if follow:
        parts.append(f"{follow} with another shape or count")
    if not diff.blocks.same:
        count = diff.blocks.count()
        parts.append(f"{count} block" + ("s" if count != 1 else "") + " changed")
    return ", ".join(parts) + f" · params {before:,} → {after:,} ({signed(after - before)})"
