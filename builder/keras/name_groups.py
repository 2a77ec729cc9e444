"""Blocks from Keras's layer names: Keras's applications name their layers by block (`block_3_expand_BN`,
`conv2_block1_1_conv`, `mixed5_...`), so an imported model's top-level nodes are grouped by the prefixes of their
names, cut at '_':

  - a prefix under which at least MIN_GROUP names lie becomes a block, nested inside the block of a shorter
    prefix (conv2 > conv2_block1 > conv2_block1_1);
  - a prefix whose names all continue the same way is skipped for the longer one (expanded > expanded_conv);
  - a prefix whose continuations are all numbers is a family, not a block (block > block_1, block_2...);
  - a group must be a connected piece that no wire leaves and re-enters, or it is not made (its sub-groups
    still may be).

Pure graph work (no Keras): it runs on the document the import made.
"""

from __future__ import annotations

import networkx as nx

from builder.model.block_checks import leaves_and_returns
from builder.model.blocks import blocks_of, new_meta

MIN_GROUP = 3
COLLAPSE_FROM = 60  # an import with at least this many nodes opens with its blocks collapsed


def group_by_prefix(graph) -> list[str]:
    """Add the blocks to `graph` (only nodes outside any block are grouped); returns the new block ids."""
    loose = [n for n, b in graph.nodes(data="block") if b is None and graph.nodes[n].get("layer") != "Input"]
    tokens = {n: n.split("_") for n in loose}
    under: dict[tuple, set] = {}
    for node, parts in tokens.items():
        for length in range(1, len(parts) + 1):
            under.setdefault(tuple(parts[:length]), set()).add(node)
    accepted: dict[tuple, str] = {}
    meta = dict(blocks_of(graph))
    for key in sorted(under, key=len):
        names = under[key]
        if len(names) < MIN_GROUP:
            continue
        following = {tokens[n][len(key)] for n in names if len(tokens[n]) > len(key)}
        if following and all(t.isdigit() for t in following):
            continue
        child_sets = [under.get((*key, t), set()) for t in following]
        if any(s == names for s in child_sets):
            continue
        if not nx.is_weakly_connected(graph.subgraph(names)) or leaves_and_returns(graph, names):
            continue
        parent = next((accepted[key[:i]] for i in range(len(key) - 1, 0, -1) if key[:i] in accepted), None)
        if parent is not None and names == under[_key_of(accepted, parent)]:
            continue
        block = "_".join(key)
        n = 2
        while block in meta:
            block, n = f"{'_'.join(key)}_{n}", n + 1
        meta[block] = new_meta("group", False, parent)
        accepted[key] = block
    if not accepted:
        return []
    for node, parts in tokens.items():
        deepest = None
        for length in range(1, len(parts) + 1):
            deepest = accepted.get(tuple(parts[:length]), deepest)
        if deepest is not None:
            graph.nodes[node]["block"] = deepest
    graph.graph["blocks"] = meta
    return list(accepted.values())


def _key_of(accepted: dict, block: str) -> tuple:
    return next(k for k, b in accepted.items() if b == block)
