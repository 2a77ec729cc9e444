"""Costs of every node of a graph and the model's totals (per sample, and at a batch size)."""

from __future__ import annotations

from typing import NamedTuple

from builder.catalog.specs import CATALOG
from builder.cost.layer_costs import FREE, NodeCost, dtype_bytes, rule_for
from builder.inference.engine import NodeResult, infer
from builder.model.order import graph_of, port_key

# Resolved params by the node's params dict (its id, and a copy to see it has not changed since): a full pass
# over a large model would otherwise validate every node's params again, which costs more than its cost.
_RESOLVED: dict[int, tuple] = {}
_RESOLVED_LIMIT = 20_000
# (MACs, FLOPs) by (layer, the resolved params' id, output shape, input shapes): everything a cost rule reads.
# Each entry holds its resolved dict, so that id cannot be reused by another dict while the entry exists.
# After an edit most nodes are unchanged, and real models repeat blocks, so most lookups hit.
_COMPUTED: dict[tuple, tuple] = {}
_BY_CONTENT: dict[tuple, dict] = {}


class CostTotals(NamedTuple):
    params: int
    macs: int
    flops: int
    param_bytes: int
    activation_bytes: int  # every node's output for one sample: what training keeps for the backward pass
    uncounted: tuple[str, ...]  # nodes with a shape whose MACs are unknown (unknown sizes, or layers outside
    # the conventions): the totals leave them out

    def at_batch(self, batch: int) -> dict:
        """Totals for a batch: MACs, FLOPs and activations grow with it, the weights do not."""
        return {"macs": self.macs * batch, "flops": self.flops * batch, "param_bytes": self.param_bytes,
                "activation_bytes": self.activation_bytes * batch}


def graph_costs(source, results: dict[str, NodeResult] | None = None, only=None) -> dict[str, NodeCost | None]:
    """Each node's cost (None for a node without a shape), or only those of the nodes in `only`. Reads
    networkx's adjacency dicts directly, as the inference engine does: this runs after every edit (the totals
    and the overlay). A node's cost depends on its own result and params and on the shapes arriving, so after
    an edit `costs_after_edit` recomputes the nodes whose results changed and what they feed."""
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    costs = {}
    preds = graph._pred
    make = tuple.__new__  # NodeCost's own __new__ is one more Python call per node
    nodes = graph._node.items() if only is None else ((n, graph._node[n]) for n in only if n in graph._node)
    for node, data in nodes:
        result = results.get(node)
        if result is None or (shape := result.shape) is None:
            costs[node] = None
            continue
        layer = result.layer
        config = data.get("config")
        var_bytes, act_bytes = dtype_bytes(config) if config else (4, 4)
        values = None
        if None not in shape[1:]:
            values = act_bytes
            for size in shape[1:]:
                values *= size
        weights = (result.trainable + result.non_trainable) * var_bytes
        spec = CATALOG.get(layer)
        rule = rule_for(layer) if spec is not None and not spec.generic else None  # imported: Keras's, unknown
        if rule is FREE:
            costs[node] = make(NodeCost, (0, 0, weights, values))
            continue
        if rule is None:
            costs[node] = make(NodeCost, (None, None, weights, values))
            continue
        params = _resolved(spec, data.get("params") or {})
        into = preds[node]
        if len(into) == 1 and len(next(iter(into.values()))) == 1:  # one wire: nothing to sort
            ins = [results[next(iter(into))].shape]
        else:
            wires = sorted(((port, source) for source, keys in into.items()
                            for port in (k.get("port") for k in keys.values())), key=lambda w: port_key(w[0]))
            ins = [results[s].shape for _p, s in wires]
        key = (layer, id(params), shape, *ins)
        found = _COMPUTED.get(key)
        if found is None or found[0] is not params:
            try:
                macs, flops = rule(params, ins, shape)
            except (TypeError, KeyError, IndexError, ValueError):  # an unknown (None) size in a product
                macs = flops = None
            found = _COMPUTED[key] = (params, macs, flops)
        costs[node] = make(NodeCost, (found[1], found[2], weights, values))
    return costs


def costs_after_edit(graph, results, costs: dict, changed) -> dict:
    """`costs` brought up to date after an edit whose changed results are `changed` (wiring unchanged)."""
    affected = set(changed)
    for node in changed:
        if node in graph:
            affected.update(graph._succ[node])
    updated = dict(costs)
    updated.update(graph_costs(graph, results, only=affected))
    return updated


def _resolved(spec, raw: dict) -> dict:
    found = _RESOLVED.get(id(raw))
    if found is not None and found[0] is spec and found[1] == raw:
        return found[2]
    try:  # the same settings on another node (models repeat them): one resolved dict for all
        # Types are part of the key: 1, 1.0 and True are equal in Python, but not as params.
        content = (spec.name, tuple((k, v.__class__, repr(v)) for k, v in raw.items()))
    except TypeError:
        content = None
    resolved = _BY_CONTENT.get(content) if content is not None else None
    if resolved is None:
        resolved = spec.resolve(raw)
        if content is not None:
            _BY_CONTENT[content] = resolved
    if len(_RESOLVED) >= _RESOLVED_LIMIT or len(_COMPUTED) >= 4 * _RESOLVED_LIMIT:
        _RESOLVED.clear()
        _COMPUTED.clear()
        _BY_CONTENT.clear()
    _RESOLVED[id(raw)] = (spec, dict(raw), resolved)
    return resolved


def model_totals(results: dict[str, NodeResult], costs: dict[str, NodeCost | None]) -> CostTotals:
    params = macs = flops = param_bytes = activations = 0
    uncounted = []
    for node, cost in costs.items():
        if cost is None:
            continue
        params += results[node].params or 0
        param_bytes += cost.param_bytes or 0
        activations += cost.activation_bytes or 0
        if cost.macs is None or cost.flops is None:
            uncounted.append(node)
            continue
        macs += cost.macs
        flops += cost.flops
    return CostTotals(params, macs, flops, param_bytes, activations, tuple(uncounted))
