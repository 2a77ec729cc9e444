"""How blocks become Keras code, shared by the build (block_build.py) and the script export (block_export.py).

At each level of nesting the graph is read as items: the nodes directly at that level and the blocks right
under it, in a topological order of that contracted graph (ties in document order). Each block is treated as:

  inline        a plain group: its nodes are written where it stands (a group is for the canvas);
  model         a nested keras.Model named after the block, called on the block's inputs;
  shared_model  a use of a shared model definition: one nested keras.Model (named after the definition's first
                use, built from it) called on each use's inputs, so the weights are one set;
  shared_group  a use of a shared group definition: the layers of the first use, called again on this use's
                inputs (a layer used at several places, as a siamese model built without a nested model has);
  copy          a use of a reused definition with its own weights: the script writes the definition once as a
                Python function and calls it per use, with what differs between uses as arguments; the build
                gives each use its own layers, exactly what the function builds.
"""

from __future__ import annotations

import heapq

from builder.model.blocks import blocks_of, border_inputs, border_outputs, members, uses


def treatment(graph, block) -> str:
    meta = blocks_of(graph)[block]
    definition = meta.get("definition")
    if meta.get("shared") and definition is not None:
        return "shared_model" if meta.get("kind") == "model" else "shared_group"
    if meta.get("kind") == "model":
        return "model"
    if definition is not None and len(uses(graph, definition)) > 1:
        return "copy"
    return "inline"


def level_of(graph, node, parent) -> tuple[str, str] | None:
    """The item at the level under `parent` that holds `node`: ('node', id), ('block', id), or None when the
    node is not inside `parent`."""
    meta = blocks_of(graph)
    block = graph.nodes[node].get("block")
    block = block if block in meta else None
    if block == parent:
        return ("node", node)
    while block is not None:
        up = meta[block].get("parent")
        if up == parent:
            return ("block", block)
        block = up
    return None


def level_items(graph, parent, order: dict) -> list[tuple[str, str]]:
    """The items under `parent` (None: the whole model) in a topological order of the contracted graph; `order`
    maps each node to its document index (ties go by the first member)."""
    item_of, first = {}, {}
    for node in graph:
        item = level_of(graph, node, parent)
        if item is not None:
            item_of[node] = item
            first.setdefault(item, order[node])
    preds = {item: set() for item in first}
    for u, v in graph.edges():
        a, b = item_of.get(u), item_of.get(v)
        if a is not None and b is not None and a != b:
            preds[b].add(a)
    succs = {item: [] for item in first}
    for item, before in preds.items():
        for p in before:
            succs[p].append(item)
    waiting = {item: len(before) for item, before in preds.items()}
    heap = [(first[item], item) for item, n in waiting.items() if n == 0]
    heapq.heapify(heap)
    out = []
    while heap:
        _rank, item = heapq.heappop(heap)
        out.append(item)
        for succ in succs[item]:
            waiting[succ] -= 1
            if waiting[succ] == 0:
                heapq.heappush(heap, (first[succ], succ))
    return out


def ports(graph, block) -> tuple[list[str], list[str]]:
    """(inputs, outputs) of a block: the sources feeding it and its members read outside."""
    inside = set(members(graph, block))
    return border_inputs(graph, block, inside), border_outputs(graph, block, inside)


def first_use(graph, block) -> str:
    """The use a shared definition is built from (the block itself for one without a definition)."""
    definition = blocks_of(graph)[block].get("definition")
    found = uses(graph, definition) if definition is not None else []
    return found[0] if found else block


def index_in(graph, block) -> dict[str, int]:
    """member -> its position among the block's members (how the uses of one definition correspond)."""
    return {n: i for i, n in enumerate(members(graph, block))}
