"""Edits for the diff tests, applied to a copy of a plain graph while the truth is kept: which node of A became
which node of B, which params each changed node got, which nodes were added.

Edits are chosen so that the truth is recoverable by the matching rule (issue 16: a renamed node is the same layer
with the same params and the same matched neighbours): a renamed node has content no other node shares, keeps its
wiring and is not next to a removed or added node, and its part of the graph keeps at least one node under its old
id; an added node is a layer and value no removed node has. Anything else would be a different, equally true,
reading of the same pair of graphs (a removed twin, say), which no diff can tell from the truth.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import networkx as nx

from builder.catalog.params import REQUIRED
from builder.catalog.specs import UnknownLayerError, spec_for
from builder.diff.matching import content_key, inputs_in_order

ADDED_LAYERS = (("Dropout", {"rate": 0.4321}), ("ReLU", {"max_value": 4.321}))


@dataclass
class Truth:
    mapping: dict = field(default_factory=dict)  # A id -> B id
    changed: dict = field(default_factory=dict)  # B id -> set of param names
    added: list = field(default_factory=list)


def relabel(graph: nx.MultiDiGraph, mapping: dict) -> nx.MultiDiGraph:
    """A copy with nodes renamed, in the same document order (networkx's relabel may move them)."""
    out = nx.MultiDiGraph()
    out.graph.update(copy.deepcopy(graph.graph))
    positions = (out.graph.get("ui") or {}).get("positions")
    if positions:
        out.graph["ui"]["positions"] = {mapping.get(n, n): p for n, p in positions.items()}
    for node, data in graph.nodes(data=True):
        out.add_node(mapping.get(node, node), **copy.deepcopy(data))
    for u, v, port in graph.edges(data="port"):
        out.add_edge(mapping.get(u, u), mapping.get(v, v), port=port)
    return out


def changed_value(param, current):
    """A value for `param` that differs from `current` (the node's value, or None when left out), or REQUIRED
    when the param's kind has no obvious other value."""
    value = param.default if current is None and param.default is not REQUIRED else current
    if param.kind == "bool":
        return not bool(value)
    if param.kind == "int":
        return (value or 2) + 1
    if param.kind == "float":
        return 0.5 if value is None else round(float(value) / 2 + 0.0625, 6)
    if param.kind == "choice":
        others = [c for c in param.choices if c != value and c is not None]
        return others[0] if others else REQUIRED
    return REQUIRED


def change_param(graph, node) -> str | None:
    """Change one param of `node` in place; its name, or None when its layer has none to change."""
    try:
        spec = spec_for(graph.nodes[node]["layer"])
    except UnknownLayerError:
        return None
    params = graph.nodes[node].setdefault("params", {})
    for param in spec.params:
        value = changed_value(param, params.get(param.name))
        if value is not REQUIRED:
            params[param.name] = value
            return param.name
    return None


def neighbours(graph, node) -> set:
    return set(graph.predecessors(node)) | set(graph.successors(node))


def apply_edits(a: nx.MultiDiGraph, renames, changes, removals, additions, rewires) -> tuple:
    """(B, Truth) from A and lists of picked A nodes (picks that break the rules above are skipped).
    rewires: (target, port index, new source) triples."""
    b = copy.deepcopy(a)
    truth = Truth(mapping={n: n for n in a})
    edited = set()
    removed = []
    for node in removals:
        if node in edited or a.nodes[node]["layer"] == "Input":
            continue
        sources = inputs_in_order(b, node)
        readers = [(t, p) for _s, t, p in b.out_edges(node, data="port")]
        b.remove_node(node)
        for target, port in readers:  # keep the wire through the node, as Ctrl+Delete does
            if sources:
                b.add_edge(sources[0], target, port=port)
        removed.append(node)
        edited |= {node, *sources, *(t for t, _p in readers)}
        del truth.mapping[node]
    for target, index, source in rewires:
        if target not in b or source not in b or target in removed or not b.in_degree(target):
            continue
        ins = sorted(b.in_edges(target, keys=True, data="port"), key=lambda e: e[3])
        old, _t, key, port = ins[index % len(ins)]
        if source in (old, target) or nx.has_path(b, target, source):  # no change, or a cycle
            continue
        b.remove_edge(old, target, key)
        b.add_edge(source, target, port=port)
        edited |= {target, old, source}
    removed_layers = {a.nodes[n]["layer"] for n in removed}
    layer, params = next(((lay, p) for lay, p in ADDED_LAYERS if lay not in removed_layers), ADDED_LAYERS[0])
    for number, source in enumerate(additions):
        if source not in b:
            continue
        new = f"added_{number}"
        b.add_node(new, layer=layer, params=dict(params, **({"rate": 0.4321 + number / 1000} if layer ==
                                                              "Dropout" else {"max_value": 4.321 + number})))
        readers = [(t, p, k) for _s, t, k, p in b.out_edges(source, keys=True, data="port")]
        if readers and number % 2:  # inserted on a wire; else a new output
            target, port, key = readers[0]
            b.remove_edge(source, target, key)
            b.add_edge(new, target, port=port)
            edited.add(target)
        b.add_edge(source, new, port=0)
        truth.added.append(new)
        edited |= {source, new}
    for node in changes:
        if node in b and node not in removed and node not in truth.changed and node not in truth.added:
            name = change_param(b, node)
            if name:
                truth.changed[node] = {name}
                edited.add(node)
    contents = [content_key(a, n) for n in a]
    mapping = {}
    for node in renames:
        if node not in b or node in edited or node in mapping or contents.count(content_key(a, node)) > 1:
            continue
        if neighbours(a, node) & (set(removed) | set(truth.added)) or neighbours(b, node) & set(truth.added):
            continue
        mapping[node] = f"renamed_{node}"
    # A part of the graph renamed whole has nothing left to anchor it: keep one of its nodes under its old id.
    undirected = b.to_undirected(as_view=True)
    for part in nx.connected_components(undirected):
        if part and part <= set(mapping) | set(truth.added):
            mapping.pop(next(n for n in b if n in part and n in mapping), None)
    b = relabel(b, mapping)
    for old, new in mapping.items():
        truth.mapping[old] = new
    return b, truth
