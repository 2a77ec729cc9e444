"""Costs of every node of a graph and the model's totals (per sample, and at a batch size)."""

from __future__ import annotations

from itertools import compress, count
from operator import is_not, or_
from typing import NamedTuple

from builder.catalog.ops import op_spec
from builder.catalog.specs import CATALOG
from builder.cost.layer_costs import FREE, NodeCost, dtype_bytes, rule_cost, rule_for
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
# Whole costs by the inference result object: the engine hands out ONE NodeResult per (layer, params, arriving
# shapes) it has seen (builder/inference/engine.py's _RULED), and keeps a node's result object while nothing it
# depends on changes, so the same object means the same layer, params, input and output shapes, which is all a
# cost reads besides the node's dtype (kept beside it and compared). A pass over a model the engine has seen is
# then one lookup per node, as the engine's own. Each entry holds its result, so its id cannot be reused.
_BY_RESULT: dict[int, tuple] = {}
_BY_RESULT_LIMIT = 50_000


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
    an edit `costs_after_edit` recomputes the nodes whose results changed and what they feed.
    `results` are the engine's for this graph (builder.inference): its result objects are the memo's key."""
    graph = graph_of(source)
    results = infer(graph) if results is None else results
    if only is None:
        return _every_cost(graph, results)
    return dict(_costs_of(graph, results, ((n, graph._node[n]) for n in only if n in graph._node)))


def _costs_of(graph, results, nodes):
    """(node, cost) for each (node, its data) of `nodes`, remembered by result object (_BY_RESULT)."""
    by_result, results_get = _BY_RESULT, results.get
    if len(by_result) >= _BY_RESULT_LIMIT:
        by_result.clear()
    for node, data in nodes:
        result = results_get(node)
        if result is None or result.shape is None:
            yield node, None
            continue
        config = data.get("config")
        sizes = dtype_bytes(config) if config else _FLOAT32
        found = by_result.get(id(result))
        if found is None or found[0] is not result or found[1] != sizes:
            found = by_result[id(result)] = (result, sizes, _node_cost(graph, node, data, result, results, sizes))
        yield node, found[2]


class _Pass(NamedTuple):
    """What the last whole-graph pass of graph_costs read and gave, to compare the next one with."""

    nodes: tuple  # the node ids, in document order
    data: tuple  # their attribute dicts: a node made again has a new one (its config, so its dtype, may differ)
    keys: tuple  # the results' ids and result objects, as given
    values: tuple
    owners: tuple  # each node's result object, by position
    dtypes: tuple  # (position, dtype sizes) of the nodes with a Keras config (imported: their dtypes may differ)
    costs: dict  # what it gave


_LAST_COSTS: list = [None]  # the last _Pass of _every_cost


def _every_cost(graph, results) -> dict:
    """graph_costs of every node. A node's cost is a function of its result object (the engine makes one per
    layer, params and arriving shapes) and of its dtype: on the next pass over the same model, or after an
    edit, most result objects are the last pass's, so only the positions whose object changed are costed again.
    The comparisons run in C (tuples, map, compress): nothing per node in Python when nothing changed.
    A node's config is set when the node is made (GraphDocument.add_node, the reader), so only the nodes
    that had one are read again."""
    node_table = graph._node
    nodes, data = tuple(node_table), tuple(node_table.values())
    keys, values = tuple(results), tuple(results.values())
    last = _LAST_COSTS[0]
    if last is None or last.nodes != nodes or last.data != data:
        costs, owners, dtypes = _first_costs(graph, results)
    else:
        dtypes = tuple((i, dtype_bytes(data[i].get("config"))) for i, _sizes in last.dtypes)
        if keys == last.keys and values == last.values and dtypes == last.dtypes:
            return dict(last.costs)
        owners = tuple(map(results.get, nodes))
        changed = set(compress(count(), map(is_not, owners, last.owners)))
        changed.update(i for (i, sizes), (_i, before) in zip(dtypes, last.dtypes) if sizes != before)
        costs = dict(last.costs)
        costs.update(_costs_of(graph, results, ((nodes[i], data[i]) for i in sorted(changed))))
    _LAST_COSTS[0] = _Pass(nodes, data, keys, values, owners, dtypes, costs)
    return dict(costs)


def _first_costs(graph, results) -> tuple[dict, tuple, tuple]:
    """(the costs, each node's result object, the dtypes of the nodes with a config) in one pass over the
    nodes: on a large model each extra pass is a walk over memory the caches do not hold."""
    costs, owners, dtypes = {}, [], []
    by_result, results_get = _BY_RESULT, results.get
    if len(by_result) >= _BY_RESULT_LIMIT:
        by_result.clear()
    for i, (node, data) in enumerate(graph._node.items()):
        result = results_get(node)
        owners.append(result)
        config = data.get("config")
        if config:
            sizes = dtype_bytes(config)
            dtypes.append((i, sizes))
        else:
            sizes = _FLOAT32
        if result is None or result.shape is None:
            costs[node] = None
            continue
        found = by_result.get(id(result))
        if found is None or found[0] is not result or found[1] != sizes:
            found = by_result[id(result)] = (result, sizes, _node_cost(graph, node, data, result, results, sizes))
        costs[node] = found[2]
    return costs, tuple(owners), tuple(dtypes)


_FLOAT32 = (4, 4)


def _node_cost(graph, node, data, result, results, sizes) -> NodeCost:
    """One node's cost, computed (the memo by result answers most nodes before this runs)."""
    shape, layer = result.shape, result.layer
    var_bytes, act_bytes = sizes
    values = None
    if None not in shape[1:]:
        values = act_bytes
        for size in shape[1:]:
            values *= size
    weights = (result.trainable + result.non_trainable) * var_bytes
    spec = CATALOG.get(layer) or op_spec(layer)  # a layer, or an op node ("ops.add")
    # A layer or op outside the catalog (imported, shaped by Keras): its bytes are known, its MACs are not.
    rule = rule_for(layer) if spec is not None and not spec.generic else None
    if rule is FREE:
        return NodeCost(0, 0, weights, values)
    if rule is None:
        return NodeCost(None, None, weights, values)
    params = _resolved(spec, data.get("params") or {})
    into = graph._pred[node]
    if len(into) == 1 and len(next(iter(into.values()))) == 1:  # one wire: nothing to sort
        ins = [results[next(iter(into))].shape]
    else:
        wires = sorted(((port, source) for source, keys in into.items()
                        for port in (k.get("port") for k in keys.values())), key=lambda w: port_key(w[0]))
        ins = [results[s].shape for _p, s in wires]
    key = (layer, id(params), shape, *ins)
    found = _COMPUTED.get(key)
    if found is None or found[0] is not params:
        found = _COMPUTED[key] = (params, *rule_cost(rule, layer, params, ins, shape))
    return NodeCost(found[1], found[2], weights, values)


def why_unknown(layer: str, shape) -> str:
    """Why a node with a shape has no MACs/FLOPs (for the person: `explain`, the app)."""
    spec = CATALOG.get(layer) or op_spec(layer)
    if spec is None or spec.generic:
        return ("imported from Keras outside the catalog: Keras computed its shape, its arithmetic is not known "
                "here; its weight and activation bytes are counted")
    if rule_for(layer) is None:
        return "outside the documented cost conventions (README, Costs)"
    return "a size it needs is unknown (None) until the model runs"


def clear_memos() -> None:
    """Forget every remembered cost and resolved params (a benchmark's first pass; a test's replaced rule)."""
    for memo in (_RESOLVED, _COMPUTED, _BY_CONTENT, _BY_RESULT):
        memo.clear()
    _LAST_COSTS[0] = _LAST_TOTALS[0] = None


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
    """The model's totals. Summed again only where a node's cost or result object differs from the last call's
    (found in C, as in _every_cost): after an edit, or on the next pass over the same model, that is a few
    nodes or none; the sums are integers, so taking those nodes out and putting them back in is exact."""
    nodes, values = tuple(costs), tuple(costs.values())
    keys, found = tuple(results), tuple(results.values())
    last = _LAST_TOTALS[0]
    if last is not None and last.nodes == nodes and last.costs == values and last.keys == keys \
            and last.found == found:
        return last.totals  # the same costs of the same results (equal ones add up the same)
    if last is None or last.nodes != nodes:
        owners = []
        totals = _summed(results, costs, owners)
        owners = tuple(owners)
    else:
        owners = tuple(map(results.get, nodes))
        changed = list(compress(count(), map(or_, map(is_not, values, last.costs), map(is_not, owners, last.owners))))
        if len(changed) * 4 > len(nodes):  # most of the model: summing it again is as quick
            totals = _summed(results, costs)
        else:
            totals = _adjusted(last, changed, nodes, values, owners)
    _LAST_TOTALS[0] = _Totalled(nodes, owners, values, keys, found, totals)
    return totals


class _Totalled(NamedTuple):
    nodes: tuple  # the costs' node ids, in order
    owners: tuple  # each one's result object, by position
    costs: tuple
    keys: tuple  # the results as given: ids and objects
    found: tuple
    totals: CostTotals


_LAST_TOTALS: list = [None]  # the last _Totalled of model_totals


def _summed(results, costs, owners: list | None = None) -> CostTotals:
    """The totals summed node by node; each node's result object appended to `owners` when given."""
    params = macs = flops = param_bytes = activations = 0
    uncounted = []
    for node, cost in costs.items():
        if cost is None:
            if owners is not None:
                owners.append(results.get(node))
            continue
        result = results[node]  # a node with a cost has a shape, so its counts are its parameters
        if owners is not None:
            owners.append(result)
        params += result.trainable + result.non_trainable
        node_macs, node_flops, node_param_bytes, node_activations = cost
        param_bytes += node_param_bytes or 0
        activations += node_activations or 0
        if node_macs is None or node_flops is None:
            uncounted.append(node)
            continue
        macs += node_macs
        flops += node_flops
    return CostTotals(params, macs, flops, param_bytes, activations, tuple(uncounted))


def _adjusted(last, changed, nodes, values, owners) -> CostTotals:
    """The last totals with the changed positions' old contributions taken out and their new ones put in."""
    sums = list(last.totals[:5])
    uncounted = set(last.totals.uncounted)
    for i in changed:
        for cost, result, sign in ((last.costs[i], last.owners[i], -1), (values[i], owners[i], 1)):
            if cost is None:
                continue
            node_macs, node_flops, node_param_bytes, node_activations = cost
            sums[0] += sign * (result.trainable + result.non_trainable)
            sums[3] += sign * (node_param_bytes or 0)
            sums[4] += sign * (node_activations or 0)
            if node_macs is None or node_flops is None:
                (uncounted.discard if sign < 0 else uncounted.add)(nodes[i])
            else:
                sums[1] += sign * node_macs
                sums[2] += sign * node_flops
    if uncounted != set(last.totals.uncounted):
        ordered = tuple(node for node in nodes if node in uncounted)  # in document order, as _summed lists them
    else:
        ordered = last.totals.uncounted
    return CostTotals(*sums, ordered)
