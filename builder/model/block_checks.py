"""The checks of blocks (builder/model/blocks.py says what a block is):

  - problems(): what makes a blocks section unreadable (a bad name or kind, an unknown parent, a parent loop,
    nesting past MAX_DEPTH, a node in an unknown block, a block holding nothing): the file reader refuses it,
    and a block edit that would make it is refused;
  - block_errors(): what an edit can cause and fix (a wire that leaves a block and comes back, a model block
    without an input or holding an Input, a Sequential block that is not one chain, uses of one definition
    that no longer match): shown on the block, and they stop an export as a node's error does.

Every walk is linear in the nodes and wires (times the nesting depth), so a hostile file costs no more.
"""

from __future__ import annotations

import networkx as nx

from builder.model.blocks import (
    KINDS,
    MAX_DEPTH,
    MODEL_KINDS,
    blocks_of,
    border_inputs,
    border_outputs,
    members,
    members_by_block,
)
from builder.model.errors import GraphError
from builder.model.node_checks import check_node_id
from builder.model.order import topological_order
from builder.quoting import quote


def problems(graph, meta: dict | None = None, membership: dict | None = None) -> list[str]:
    """Everything wrong with the blocks of `graph` (or with `meta` and `membership` in its place), one message
    per problem, each naming the block."""
    meta = blocks_of(graph) if meta is None else meta
    if membership is None:
        membership = {n: b for n, b in graph.nodes(data="block") if b is not None}
    out: list[str] = []
    for block, m in meta.items():
        try:
            check_node_id(block)
        except GraphError as exc:
            out.append(f"block {quote(block)}: not a valid name: {str(exc).split(': ', 1)[-1]}")
            continue
        kind = m.get("kind")
        if kind not in KINDS:
            out.append(f"block {block}: kind must be 'group' or 'model', got {quote(kind)}")
        parent = m.get("parent")
        if parent is not None and parent not in meta:
            out.append(f"block {block}: its parent {quote(parent)} is not a block")
        seen, current = {block}, parent
        while current in meta:  # at most MAX_DEPTH steps: a deeper chain is refused, so no file costs more
            if current in seen:
                out.append(f"block {block}: its parents form a loop; a block cannot be inside itself")
                break
            if len(seen) > MAX_DEPTH:
                out.append(f"block {block}: blocks nest at most {MAX_DEPTH} deep; this one is deeper")
                break
            seen.add(current)
            current = meta[current].get("parent")
        if m.get("shared") and not m.get("definition"):
            out.append(f"block {block}: shared needs a definition (the name its uses share)")
        if m.get("definition") is not None and not _short_text(m.get("definition")):
            out.append(f"block {block}: definition must be a short text, got {quote(m.get('definition'))}")
        names = m.get("input_names")
        if names is not None and not (isinstance(names, list) and all(_short_text(n) for n in names)):
            out.append(f"block {block}: input_names must be a list of short texts")
    for node, block in membership.items():
        if block not in meta:
            out.append(f"node {node}: its block {quote(block)} does not exist")
    if out:
        return out
    holding = members_by_block(graph, meta, membership)
    for block in meta:
        if not holding[block]:
            out.append(f"block {block}: it holds no node; a block needs at least one member")
    return out


def block_errors(graph) -> dict[str, str]:
    """block id -> what is wrong with it that an edit can cause and fix (a wire that leaves and comes back, a model
    block without an input, uses of one definition that no longer match). These are shown on the block and stop
    an export, as a node's error does; a file holding them still opens."""
    meta = blocks_of(graph)
    out: dict[str, str] = {}
    holding = members_by_block(graph, meta)
    rank = {n: i for i, n in enumerate(topological_order(graph, set(graph))[0])} if meta else {}
    for block in meta:
        ordered = holding[block]
        inside = set(ordered)
        if not inside:
            continue
        cycle = leaves_and_returns(graph, inside, rank)
        if cycle:
            out[block] = (f"block {block}: the tensor from {cycle[0]} leaves the block and comes back into "
                          f"{cycle[1]}; a block's members must be a piece that outside layers only feed or read, so "
                          "add the nodes in between to the block or take some out")
        elif meta[block].get("kind") in MODEL_KINDS:
            inputs = [n for n in ordered if graph.nodes[n].get("layer") == "Input"]
            if inputs:
                out[block] = (f"block {block}: a model block cannot hold the Input {inputs[0]}; its inputs are the "
                              "tensors that reach it from outside")
            elif not border_inputs(graph, block, ordered):
                out[block] = f"block {block}: a model block needs an input: wire a tensor into it"
            elif meta[block]["kind"] == "sequential" and not _is_chain(graph, block, ordered):
                out[block] = (f"block {block}: a Sequential block must be one chain of single-input layers fed by one "
                              "tensor; make it a functional model block (kind 'model') or rewire it")
    by_definition: dict = {}  # definition -> its uses, by the document order of their first node
    order = {n: i for i, n in enumerate(graph)} if any(m.get("definition") for m in meta.values()) else {}
    for block, m in meta.items():
        if m.get("definition") is not None and holding[block]:
            by_definition.setdefault(m["definition"], []).append(block)
    for definition, found in by_definition.items():
        found.sort(key=lambda b: order[holding[b][0]])
        for block, message in _definition_problems(graph, definition, found, holding):
            out.setdefault(block, message)
    return out


def _short_text(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 100 and value.isprintable()


def trial_graph(graph, meta, membership):
    """A copy of `graph`'s structure (layer, params, config) with other blocks: to try a block edit first."""
    trial = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        trial.add_node(node, layer=data.get("layer"), params=data.get("params") or {}, config=data.get("config"),
                       block=membership.get(node))
    trial.add_edges_from(graph.edges(data=True))
    trial.graph["blocks"] = meta
    return trial


def leaves_and_returns(graph, inside: set, rank: dict | None = None):
    """(a member, a later member) when a path leaves the members and comes back, else None. With `rank` (a
    topological index of every node) the walk stops at nodes after the last member: they cannot lead back."""
    last = max((rank.get(n, 1 << 60) for n in inside), default=0) if rank else None
    frontier = [t for n in inside for t in graph._succ[n] if t not in inside]
    start = {t: n for n in inside for t in graph._succ[n] if t not in inside}
    seen = set(frontier)
    while frontier:
        node = frontier.pop()
        for target in graph._succ[node]:
            if target in inside:
                origin = start.get(node)
                return (origin or node, target)
            if target not in seen and (last is None or rank.get(target, -1) < last):
                seen.add(target)
                start.setdefault(target, start.get(node))
                frontier.append(target)
    return None


def structure(graph, block, inside: list | None = None) -> tuple:
    """What every use of one definition must share: its members' layers, inner wiring and border sizes."""
    inside = members(graph, block) if inside is None else inside
    index = {n: i for i, n in enumerate(inside)}
    layers = tuple(graph.nodes[n].get("layer") for n in inside)
    wires = tuple(sorted((index[u], index[v], e.get("port")) for v in inside for u, keyed in graph._pred[v].items()
                         if u in index for e in keyed.values()))
    return layers, wires, len(border_inputs(graph, block, inside))


def _is_chain(graph, block, ordered: list) -> bool:
    if len(border_inputs(graph, block, ordered)) != 1 or len(border_outputs(graph, block, ordered)) != 1:
        return False
    inside = set(ordered)
    return all(graph.in_degree(n) == 1 and sum(1 for t in graph._succ[n] if t in inside) <= 1 for n in ordered)


def _definition_problems(graph, definition, found: list, holding: dict) -> list[tuple[str, str]]:
    if len(found) < 2:
        return []
    first = found[0]
    meta = blocks_of(graph)
    want = structure(graph, first, holding[first])
    out = []
    for other in found[1:]:
        if meta[other].get("shared") != meta[first].get("shared") or meta[other].get("kind") != meta[first].get("kind"):
            out.append((other, (f"block {other}: a use of {quote(definition)} must be shared (or a copy) and of the "
                               f"same kind as {first}")))
        elif structure(graph, other, holding[other]) != want:
            out.append((other, (f"block {other}: its layers or inner wires differ from {first}, another use of "
                               f"{quote(definition)}; detach it into its own copy, or make it match")))
        elif meta[first].get("shared"):
            for mine, theirs in zip(holding[first], holding[other]):
                a, b = graph.nodes[mine], graph.nodes[theirs]
                if (a.get("params") or {}) != (b.get("params") or {}) or \
                        (a.get("config") or {}) != (b.get("config") or {}):
                    out.append((other, (f"block {other}: {theirs} must have the params of {mine}: shared uses call "
                                       "the same layers; edit the definition, or detach the use into its own copy")))
                    break
    return out
