"""Live shape inference: per node its output shape, parameter counts, error and warnings.

Errors sit on the node that causes them; a node downstream of an error has no shape and no error of its own
(it is `blocked_by` the first error upstream). After an edit only the changed nodes and what lies downstream
are recomputed: a ShapeInference attached to a GraphDocument listens to its changes and `update()` walks
from the dirty nodes in topological order. Shapes are derived data, never saved and never undone.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

import networkx as nx

from builder.catalog import UnknownLayerError, spec_for
from builder.graph import Change, GraphDocument, GraphError, check_node_id
from builder.params import ParamError
from builder.shape_rules import Arriving, ShapeError, fmt

DENSE_WEIGHT_WARNING = 10_000_000


@dataclass(frozen=True)
class NodeResult:
    layer: str | None
    shape: tuple | None = None
    trainable: int = 0
    non_trainable: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()
    blocked_by: str | None = None  # the node whose error keeps this one from having a shape

    @property
    def params(self) -> int | None:
        return None if self.shape is None else self.trainable + self.non_trainable

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        if self.blocked_by:
            return "blocked"
        return "warning" if self.warnings else "ok"


class ShapeInference:
    """Results for every node of a graph; incremental when attached to a GraphDocument."""

    def __init__(self, source: GraphDocument | nx.MultiDiGraph):
        self._doc = source if isinstance(source, GraphDocument) else None
        self._plain = None if self._doc else source
        self.results: dict[str, NodeResult] = {}
        self._local: dict[str, NodeResult] = {}  # results before flow warnings are added
        self._dirty: set[str] = set()
        self._touched: set[str] = set()  # only their own warnings may change, not their shape
        self._full = True
        self._flow_stale = True
        self._flow: dict[str, tuple[str, ...]] = {}
        if self._doc is not None:
            self._doc.subscribe(self._on_change)

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self._doc.graph if self._doc is not None else self._plain

    def close(self):
        if self._doc is not None:
            self._doc.unsubscribe(self._on_change)

    # ---- change tracking ----------------------------------------------------------------------------------

    def _on_change(self, change: Change):
        kind = change.kind
        if kind == "node_moved":
            return
        if kind == "param_changed":
            self._dirty.add(change.node)
            return
        self._flow_stale = True  # the wiring changed
        if kind == "reset":
            self._full = True
        elif kind == "node_added":
            self._dirty.add(change.node)
        elif kind in ("edge_added", "edge_removed"):
            self._dirty.add(change.node)
            self._touched.add(change.source)
        elif kind == "node_removed":
            for store in (self.results, self._local):
                store.pop(change.node, None)
            self._dirty.discard(change.node)
            self._touched.discard(change.node)
        elif kind == "node_renamed":
            for store in (self.results, self._local):
                store.pop(change.old_id, None)
            self._dirty.discard(change.old_id)
            self._touched.discard(change.old_id)
            # Successors' messages name their sources, so they are recomputed too.
            self._dirty.add(change.node)
            self._dirty.update(self.graph.successors(change.node))

    def update(self) -> set[str]:
        """Recompute what the edits since the last call affect; return the ids whose results changed."""
        graph = self.graph
        if self._full:
            self._local.clear()
            self.results.clear()
            recompute = set(graph)
        else:
            recompute = _with_descendants(graph, {n for n in self._dirty if n in graph})
        order, stuck = topological_order(graph, recompute)
        for node in order:
            self._store_local(node, self._compute(graph, node))
        for node, result in _cycle_results(graph, stuck).items():
            self._store_local(node, result)
        for node in self._touched - recompute:
            if node in self._local:
                self._local[node] = replace(self._local[node], warnings=self._local_warnings(graph, node))
        if self._flow_stale:
            self._flow = self._flow_warnings(graph)
            publish = set(self._local)
        else:
            publish = recompute | (self._touched & set(self._local))
        changed = set()
        for node in publish:
            result = self._local[node]
            extra = self._flow.get(node)
            if extra:
                result = replace(result, warnings=result.warnings + extra)
            if self.results.get(node) != result:
                self.results[node] = result
                changed.add(node)
        self._dirty.clear()
        self._touched.clear()
        self._full = self._flow_stale = False
        return changed

    def _store_local(self, node, result: NodeResult):
        old = self._local.get(node)
        if old is None or (old.shape is None) != (result.shape is None):
            self._flow_stale = True  # which nodes reach a buildable output may have changed
        self._local[node] = result

    # ---- one node -----------------------------------------------------------------------------------------

    def _compute(self, graph, node) -> NodeResult:
        layer = graph.nodes[node].get("layer")
        try:
            check_node_id(node)  # the document refuses bad ids; a hand-built graph may still hold one
        except GraphError as exc:
            return NodeResult(layer, error=str(exc))
        try:
            spec = spec_for(layer)
        except UnknownLayerError as exc:
            return NodeResult(layer, error=f"{node}: {exc}")
        try:
            params = spec.resolve(graph.nodes[node].get("params") or {})
            if spec.params_rule:
                spec.params_rule(params)
        except (ParamError, ShapeError) as exc:
            return NodeResult(layer, error=f"{node}: {exc}")
        wires = sorted(((u, p) for u, _v, p in graph.in_edges(node, data="port")), key=lambda e: _port_key(e[1]))
        problem = _port_problem(node, spec, wires)
        if problem:
            return NodeResult(layer, error=problem)
        arriving = []
        for source, _port in wires:
            upstream = self._local[source]
            if upstream.shape is None:
                return NodeResult(layer, blocked_by=upstream.blocked_by or source)
            arriving.append(Arriving(source, upstream.shape))
        try:
            shape = spec.shape_rule(params, arriving)
            trainable, frozen = spec.weight_rule(params, arriving, shape)
        except ShapeError as exc:
            return NodeResult(layer, error=f"{node}: {exc}")
        result = NodeResult(layer, tuple(shape), trainable, frozen)
        return replace(result, warnings=self._local_warnings(graph, node, result, arriving))

    def _local_warnings(self, graph, node, result=None, arriving=None) -> tuple[str, ...]:
        """Warnings that depend on the node, its inputs and whether anything reads it."""
        result = result or self._local[node]
        layer = result.layer
        if result.shape is None:
            return ()
        if arriving is None:
            arriving = [Arriving(u, self._local[u].shape) for u, _p in
                        sorted(((u, p) for u, _v, p in graph.in_edges(node, data="port")), key=lambda e: e[1])]
        found = []
        if layer == "Input" and graph.out_degree(node) == 0:
            found.append(f"{node}: this Input is not used by any layer, yet the model would still ask for data "
                         "for it; connect it to a layer or delete it")
        if layer == "Dense":
            found.extend(_dense_warnings(graph, node, result, arriving))
        if spec_for(layer).is_merge and len(arriving) == 1:
            found.append(f"{node}: {layer} has a single input, so it passes {arriving[0].source}'s tensor through "
                         "unchanged; connect a second branch or remove it")
        return tuple(found)

    # ---- whole-graph warnings -----------------------------------------------------------------------------

    def _flow_warnings(self, graph) -> dict[str, tuple[str, ...]]:
        """Nodes with a shape from which every path ends at an error, while other outputs do build: a branch
        cut off from the working model. (When nothing builds, the errors alone say it.)"""
        local = self._local
        good_sinks = [n for n in graph if graph.out_degree(n) == 0 and local.get(n) and local[n].shape is not None
                      and local[n].layer != "Input"]
        if not good_sinks:
            return {}
        reaching = set(good_sinks)
        queue = deque(good_sinks)
        while queue:
            for pred in graph.predecessors(queue.popleft()):
                if pred not in reaching:
                    reaching.add(pred)
                    queue.append(pred)
        flow = {}
        for node in graph:
            result = local.get(node)
            if node in reaching or result is None or result.shape is None or graph.out_degree(node) == 0:
                continue
            culprit = _first_error_downstream(graph, node, local)
            flow[node] = ((f"{node}: reaches no model output: every path from it ends at an error ({culprit}); "
                           "fix that node, or delete this branch"),)
        return flow


def _port_key(port):
    return port if isinstance(port, int) and not isinstance(port, bool) else 1 << 30


def _port_problem(node, spec, wires) -> str | None:
    """Wiring mistakes a hand-built graph can have (the document refuses them as edits)."""
    ports = [p for _u, p in wires]
    if spec.is_input:
        if wires:
            sources = ", ".join(u for u, _p in wires)
            return f"{node}: an Input takes no incoming wire, but {sources} feeds it; remove that wire"
        return None
    if not wires:
        return f"{node}: {spec.name} has no input; connect a tensor to its input port"
    if not all(isinstance(p, int) and not isinstance(p, bool) for p in ports):
        return f"{node}: every wire needs an integer port, got {ports}; fix the edges' 'port' attribute"
    if len(set(ports)) != len(ports):
        return f"{node}: two wires arrive on the same port ({sorted(ports)}); each port takes one wire"
    if spec.is_merge:
        if ports != list(range(len(ports))):
            return f"{node}: merge inputs must use ports 0..{len(ports) - 1} without gaps, got {ports}"
    elif any(not 0 <= p < spec.inputs for p in ports):
        return f"{node}: {spec.name} has {spec.inputs} input port(s), but wires arrive on ports {ports}"
    return None


def _dense_warnings(graph, node, result, arriving):
    (x,) = arriving
    found = []
    if len(x.shape) > 2:
        found.append(f"{node}: Dense on the {len(x.shape)}D tensor {fmt(x.shape)} from {x.source} acts on the last "
                     f"axis only, giving {fmt(result.shape)}; add Flatten or GlobalAveragePooling2D before it if "
                     "you meant one vector per sample")
    kernel = x.shape[-1] * result.shape[-1]
    if kernel > DENSE_WEIGHT_WARNING and graph.nodes[x.source].get("layer") == "Flatten":
        found.append(f"{node}: Dense after Flatten has {kernel:,} weights (more than 10 million), which is slow "
                     "and overfits easily; add pooling or strided convolutions before Flatten, or use "
                     "GlobalAveragePooling2D instead")
    return found


def _first_error_downstream(graph, node, local):
    seen, queue = {node}, deque([node])
    while queue:
        current = queue.popleft()
        result = local.get(current)
        if result is not None and (result.error or result.blocked_by):
            return result.blocked_by or current
        for succ in graph.successors(current):
            if succ not in seen:
                seen.add(succ)
                queue.append(succ)
    return "unknown"


def _with_descendants(graph, nodes: set) -> set:
    found = set(nodes)
    queue = deque(nodes)
    while queue:
        for succ in graph.successors(queue.popleft()):
            if succ not in found:
                found.add(succ)
                queue.append(succ)
    return found


def topological_order(graph, subset: set):
    """Kahn's order of `subset` (edges from outside it count as done); the rest are in or behind a cycle."""
    indegree = {n: 0 for n in subset}
    for node in subset:
        for succ, edges in graph.adj[node].items():
            if succ in subset:
                indegree[succ] += len(edges)
    queue = deque(n for n in graph if n in subset and indegree[n] == 0) if len(subset) == len(graph) \
        else deque(n for n, d in indegree.items() if d == 0)
    order = []
    while queue:
        node = queue.popleft()
        order.append(node)
        for succ, edges in graph.adj[node].items():
            if succ in indegree:
                indegree[succ] -= len(edges)
                if indegree[succ] == 0:
                    queue.append(succ)
    stuck = {n for n, d in indegree.items() if d > 0}
    return order, stuck


def _cycle_results(graph, stuck: set) -> dict[str, NodeResult]:
    if not stuck:
        return {}
    results = {}
    sub = graph.subgraph(stuck)
    for component in nx.strongly_connected_components(sub):
        node = next(iter(component))
        if len(component) > 1 or sub.has_edge(node, node):
            loop = " -> ".join(sorted(component)) + f" -> {min(component)}"
            for member in component:
                results[member] = NodeResult(graph.nodes[member].get("layer"),
                                             error=f"{member}: is part of a cycle ({loop}); Keras models must "
                                                   "flow one way, so remove one of these wires")
    for member in stuck - set(results):
        blocker = next((u for u in nx.ancestors(sub, member) if u in results), None)
        results[member] = NodeResult(graph.nodes[member].get("layer"), blocked_by=blocker)
    return results


def infer(graph) -> dict[str, NodeResult]:
    """Results for every node of a graph (a GraphDocument or a plain networkx MultiDiGraph)."""
    engine = ShapeInference(graph)
    engine.update()
    engine.close()
    return engine.results


def totals(results: dict[str, NodeResult]) -> tuple[int, int]:
    """(trainable, non_trainable) over all nodes that have a shape."""
    trainable = sum(r.trainable for r in results.values() if r.shape is not None)
    frozen = sum(r.non_trainable for r in results.values() if r.shape is not None)
    return trainable, frozen
