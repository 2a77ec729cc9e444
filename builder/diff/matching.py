"""Which node of graph A is which node of graph B.

Nodes with the same id match. Among the rest, a node of A and a node of B match as a rename when they are the same
layer with the same params and config and the same matched neighbours: their inputs in port order, or their
readers, map onto each other through the pairs already found, and no other unmatched node on either side looks
the same (a DenseNet repeats identical layers in every block, so uniqueness, not likeness, decides). Each pair
found anchors its neighbours, so a chain of renamed nodes resolves from either end, one link per round.

A last round takes a node renamed *and* edited: same layer, all inputs and all readers matched and identical,
unique on both sides. It is a rename with changed params, not a removal plus an addition.
"""

from __future__ import annotations

import json
from collections import defaultdict

from builder.catalog.specs import UnknownLayerError, spec_for

UNMATCHED = "\x00unmatched"  # stands for "some node without a match yet" in a neighbour key (no id has \x00)


def effective_params(layer: str, params: dict) -> dict:
    """The params that differ from Keras's default: a param left out and one set to its default mean the same."""
    try:
        spec = spec_for(layer)
    except UnknownLayerError:
        return dict(params)
    out = {}
    for name, value in params.items():
        param = spec.param_by_name.get(name)
        if param is None or not param.is_default(value):
            out[name] = value
    return out


def content_key(graph, node) -> str:
    """What a node is, apart from its id and wiring: layer, params (defaults dropped) and config."""
    data = graph.nodes[node]
    layer = data.get("layer")
    value = [layer, effective_params(layer, data.get("params") or {}), data.get("config") or {}]
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def inputs_in_order(graph, node) -> list[str]:
    """The node's sources in port order."""
    return [source for source, _target, _port in sorted(graph.in_edges(node, data="port"), key=lambda e: e[2])]


def readers(graph, node) -> list[tuple[str, int]]:
    return [(target, port) for _source, target, port in graph.out_edges(node, data="port")]


class _Side:
    """One graph's view of the matching so far: how a node's neighbours read in B's ids."""

    def __init__(self, graph, to_b):
        self.graph = graph
        self.to_b = to_b  # this side's id -> B id, for nodes already matched

    def in_key(self, node):
        keys = tuple(self.to_b.get(s, UNMATCHED) for s in inputs_in_order(self.graph, node))
        return keys if any(k != UNMATCHED for k in keys) else None  # not anchored: no evidence

    def out_key(self, node):
        keys = tuple(sorted((self.to_b.get(t, UNMATCHED), p) for t, p in readers(self.graph, node)))
        return keys if any(k != UNMATCHED for k, _p in keys) else None

    def full_key(self, node):
        ins = tuple(self.to_b.get(s, UNMATCHED) for s in inputs_in_order(self.graph, node))
        outs = tuple(sorted((self.to_b.get(t, UNMATCHED), p) for t, p in readers(self.graph, node)))
        if UNMATCHED in ins or any(k == UNMATCHED for k, _p in outs) or not (ins or outs):
            return None
        return self.graph.nodes[node].get("layer"), ins, outs


class _Buckets:
    """Unmatched nodes of both sides grouped by one kind of key (content plus in_key or out_key), kept up to date
    as pairs are found: a key changes only when a neighbour gets matched, so each pair costs the work of its
    neighbours, not of the whole graph (a chain of 1,000 renamed nodes is 1,000 small steps, not 1,000 rounds)."""

    def __init__(self, key_a, key_b):
        self.key_fns = (key_a, key_b)
        self.groups: dict = defaultdict(lambda: (set(), set()))
        self.key_of: tuple[dict, dict] = ({}, {})
        self.dirty: set = set()

    def place(self, side: int, node):
        self.drop(side, node)
        key = self.key_fns[side](node)
        if key is not None:
            self.key_of[side][node] = key
            self.groups[key][side].add(node)
            self.dirty.add(key)

    def drop(self, side: int, node):
        key = self.key_of[side].pop(node, None)
        if key is not None:
            self.groups[key][side].discard(node)
            self.dirty.add(key)

    def unique_pairs(self) -> list:
        found = []
        for key in self.dirty:
            xs, ys = self.groups.get(key, ((), ()))
            if len(xs) == 1 and len(ys) == 1:
                found.append((next(iter(xs)), next(iter(ys))))
        self.dirty.clear()
        return found


def match_nodes(a, b) -> dict[str, str]:
    """A's id -> B's id for every node of A that has a counterpart in B (see the module's docstring)."""
    pairs = {node: node for node in a if node in b}
    left = [node for node in a if node not in pairs]
    right = [node for node in b if node not in pairs]
    if not left or not right:
        return pairs
    a_side = _Side(a, pairs)
    b_side = _Side(b, {node: node for node in b if node in pairs})
    content_a = {node: content_key(a, node) for node in left}
    content_b = {node: content_key(b, node) for node in right}

    def keyed(content, key_fn):
        return lambda node: _with(content[node], key_fn(node))

    buckets = [_Buckets(keyed(content_a, a_side.in_key), keyed(content_b, b_side.in_key)),
               _Buckets(keyed(content_a, a_side.out_key), keyed(content_b, b_side.out_key))]
    for group in buckets:
        for node in left:
            group.place(0, node)
        for node in right:
            group.place(1, node)

    def add(x, y):
        if x in pairs or y in b_side.to_b:
            return  # taken by another pair found in the same step
        pairs[x] = y
        b_side.to_b[y] = y
        for group in buckets:
            group.drop(0, x)
            group.drop(1, y)
            for node in _neighbours(a, x):
                if node in content_a and node not in pairs:
                    group.place(0, node)
            for node in _neighbours(b, y):
                if node in content_b and node not in b_side.to_b:
                    group.place(1, node)

    def settle():
        while found := [pair for group in buckets for pair in group.unique_pairs()]:
            for x, y in found:
                add(x, y)

    settle()
    # Renamed and edited: the full neighbourhood must agree, so only a node whose every neighbour is settled
    # qualifies; a new pair may anchor further strict matches, so those settle again after it.
    while True:
        full = _Buckets(a_side.full_key, b_side.full_key)
        for node in left:
            if node not in pairs:
                full.place(0, node)
        for node in right:
            if node not in b_side.to_b:
                full.place(1, node)
        found = full.unique_pairs()
        if not found:
            return pairs
        for x, y in found:
            add(x, y)
        settle()


def _neighbours(graph, node):
    return {*graph.predecessors(node), *graph.successors(node)}


def _with(content, key):
    return None if key is None else (content, key)
