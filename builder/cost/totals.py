"""Costs of every node of a graph and the model's totals (per sample, and at a batch size)."""

from __future__ import annotations

from typing import NamedTuple

from builder.catalog.specs import CATALOG
from builder.cost.layer_costs import NodeCost, node_cost
from builder.inference.engine import NodeResult, infer
from builder.model.order import graph_of, wires_into

_RESOLVED: dict = {}  # resolved params by (layer, params): models repeat layer settings many times


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


def graph_costs(source, results: dict[str, NodeResult] | None = None) -> dict[str, NodeCost | None]:
    """Each node's cost (None for a node without a shape)."""
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    costs = {}
    for node, data in graph.nodes(data=True):
        result = results.get(node)
        if result is None or result.shape is None:
            costs[node] = None
            continue
        layer = result.layer
        spec = CATALOG.get(layer)
        params = _resolved(spec, data.get("params") or {}) if spec is not None else {}
        in_shapes = [results[u].shape for u, _p in wires_into(graph, node)]
        costs[node] = node_cost(layer, params, in_shapes, result.shape, result.params, data.get("config"))
    return costs


def _resolved(spec, raw: dict) -> dict:
    try:
        key = (spec.name, repr(sorted(raw.items())))
    except TypeError:
        return spec.resolve(raw)
    found = _RESOLVED.get(key)
    if found is None:
        if len(_RESOLVED) > 20_000:
            _RESOLVED.clear()
        found = _RESOLVED[key] = spec.resolve(raw)
    return found


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
