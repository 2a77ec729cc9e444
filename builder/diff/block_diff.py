"""What differs in the blocks of two graphs (builder/model/blocks.py says what a block is), given which node of A
is which node of B (matching.py).

Blocks with the same id match; among the rest, a block of A and a block of B match as a rename when they hold the
same nodes (A's mapped to B's ids) and no other unmatched block holds them. For each block: added (B's id),
removed (A's id), renamed (A id -> B id), its members changed (the nodes that joined it and left it, nested
blocks' nodes included, in B's ids for nodes with a match and A's for removed ones), and its kind, parent,
definition (a use of a reused definition, detached from one) or shared flag changed. Whether a block is
collapsed is how it is shown, like a position: left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.model.blocks import blocks_of, members_by_block

COMPARED = ("kind", "parent", "definition", "shared")  # collapsed is view state


@dataclass
class BlockDiff:
    added: list[str] = field(default_factory=list)  # B ids
    removed: list[str] = field(default_factory=list)  # A ids
    renamed: dict[str, str] = field(default_factory=dict)  # A id -> B id
    joined: dict[str, list[str]] = field(default_factory=dict)  # B block -> nodes now in it (B ids)
    left: dict[str, list[str]] = field(default_factory=dict)  # B block -> nodes no longer in it
    changed: dict[str, dict[str, tuple]] = field(default_factory=dict)  # B block -> {key: (old, new)}

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.joined or self.left or self.changed)

    def count(self) -> int:
        """Blocks with something to look at."""
        touched = set(self.joined) | set(self.left) | set(self.changed) | set(self.renamed.values())
        return len(touched | set(self.added)) + len(self.removed)


def diff_blocks(a, b, matched: dict[str, str]) -> BlockDiff:
    """The block diff from A to B (MultiDiGraphs); `matched`: A node id -> B node id."""
    meta_a, meta_b = blocks_of(a), blocks_of(b)
    out = BlockDiff()
    if not meta_a and not meta_b:
        return out
    held_a, held_b = members_by_block(a, meta_a), members_by_block(b, meta_b)
    in_b = {block: [matched.get(n, n) for n in nodes] for block, nodes in held_a.items()}  # A's members, B's ids
    pairs = {x: x for x in meta_a if x in meta_b}
    alone_a = [x for x in meta_a if x not in pairs]
    alone_b = [y for y in meta_b if y not in pairs.values()]
    by_members: dict = {}
    for y in alone_b:
        by_members.setdefault(frozenset(held_b[y]), []).append(y)
    seen: dict = {}
    for x in alone_a:
        seen.setdefault(frozenset(in_b[x]), []).append(x)
    for key, xs in seen.items():
        ys = by_members.get(key, [])
        if key and len(xs) == 1 and len(ys) == 1:  # unique on both sides: a rename
            pairs[xs[0]] = ys[0]
    out.removed = [x for x in meta_a if x not in pairs]
    out.added = [y for y in meta_b if y not in pairs.values()]
    out.renamed = {x: y for x, y in pairs.items() if x != y}
    for x, y in pairs.items():
        before, after = in_b[x], held_b[y]
        joined = [n for n in after if n not in set(before)]
        left = [n for n in before if n not in set(after)]
        if joined:
            out.joined[y] = joined
        if left:
            out.left[y] = left
        changes = {}
        for key in COMPARED:
            old, new = meta_a[x].get(key), meta_b[y].get(key)
            if key == "parent":
                old = pairs.get(old, old)
            if key == "shared":
                old, new = bool(old), bool(new)
            if old != new:
                changes[key] = (meta_a[x].get(key) if key != "shared" else old, new)
        if changes:
            out.changed[y] = changes
    return out
