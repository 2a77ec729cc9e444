"""Live shape inference: per node its output shape, parameter counts, error and warnings.

Errors sit on the node that causes them; a node downstream of an error has no shape and no error of its own
(it is `blocked_by` the first error upstream). After an edit only the changed nodes and what lies downstream
are recomputed: a ShapeInference attached to a GraphDocument listens to its changes and `update()` walks
from the dirty nodes in topological order. Shapes are derived data, never saved and never undone.
"""

from __future__ import annotations

import heapq
from collections import deque
from typing import NamedTuple

import networkx as nx

from builder.catalog.keras_names import KERAS_LAYERS
from builder.catalog.ops import op_spec
from builder.catalog.params import ParamError
from builder.catalog.rules import Arriving, ShapeError, fmt
from builder.catalog.rules.merging import with_paddings
from builder.catalog.specs import CATALOG, UnknownLayerError, generic_spec, spec_for
from builder.inference.stored_shapes import StaleShape, stored_shape
from builder.model.document import Change, GraphDocument, GraphError, check_node_id
from builder.model.order import topological_order, wires_into

DENSE_WEIGHT_WARNING = 10_000_000


# What a node's result says, in one word: ok; warning (a shape, with advice); error (no shape: its own mistake);
# blocked (no shape: it waits on an error upstream); stale (a generic node whose Keras shape must be recomputed).
STATUSES = ("ok", "warning", "error", "blocked", "stale")


class NodeResult(NamedTuple):
    """One node's inference result. A NamedTuple: immutable, and cheap to make for every node on every pass."""

    layer: str | None
    shape: tuple | None = None
    trainable: int = 0
    non_trainable: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()
    blocked_by: str | None = None  # the node whose error keeps this one from having a shape
    # A generic node whose stored Keras shape was computed for other inputs (builder/inference/stored_shapes.py): its
    # error says so, and the app asks Keras to recompute it.
    stale: bool = False

    @property
    def params(self) -> int | None:
        return None if self.shape is None else self.trainable + self.non_trainable

    @property
    def status(self) -> str:
        """One of STATUSES, the one vocabulary of `check`, the shapes panel, node faces and the minimap."""
        if self.stale:
            return "stale"
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
        # Each node's position in a topological order, kept across edits so an update can visit the affected
        # nodes in order without sorting the graph; None when an edit may have broken it.
        self._index: dict[str, int] | None = None
        self._next_index = 0
        self._good_ids: set[str] = set()
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
        if kind in ("node_moved", "ui_changed"):  # presentation only: no shape depends on it
            return
        if kind in ("param_changed", "keras_shape_changed"):
            self._dirty.add(change.node)
            return
        self._flow_stale = True  # the wiring changed
        index = self._index
        if kind == "reset":
            self._full = True
        elif kind == "node_added":
            self._dirty.add(change.node)
            if index is not None:  # a new node has no wires yet: last in the order is a valid place
                index[change.node] = self._next_index
                self._next_index += 1
        elif kind in ("edge_added", "edge_removed"):
            self._dirty.add(change.node)
            self._touched.add(change.source)
            if index is not None and kind == "edge_added" and index[change.source] >= index[change.node]:
                self._index = None
        elif kind == "node_removed":
            for store in (self.results, self._local, index or {}):
                store.pop(change.node, None)
            self._dirty.discard(change.node)
            self._touched.discard(change.node)
        elif kind == "node_renamed":
            for store in (self.results, self._local):
                store.pop(change.old_id, None)
            if index is not None:
                index[change.node] = index.pop(change.old_id)
            self._dirty.discard(change.old_id)
            self._touched.discard(change.old_id)
            # Successors' messages name their sources, so they are recomputed too.
            self._dirty.add(change.node)
            self._dirty.update(self.graph.successors(change.node))

    def update(self) -> set[str]:
        """Recompute what the edits since the last call affect; return the ids whose results changed."""
        graph = self.graph
        if self._full or self._index is None and not self._reindex(graph):
            recompute = self._recompute_all(graph)
        else:
            recompute = self._recompute_from(graph, {n for n in self._dirty if n in graph})
        for node in self._touched - recompute:
            if node in self._local:
                self._local[node] = self._local[node]._replace(warnings=self._local_warnings(graph, node))
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
                result = result._replace(warnings=result.warnings + extra)
            if self.results.get(node) != result:
                self.results[node] = result
                changed.add(node)
        self._dirty.clear()
        self._touched.clear()
        self._full = self._flow_stale = False
        return changed

    def _recompute_all(self, graph) -> set[str]:
        self._local.clear()
        self.results.clear()
        order, stuck = topological_order(graph, set(graph))
        for node in order:
            self._store_local(node, self._compute(graph, node))
        for node, result in _cycle_results(graph, stuck).items():
            self._store_local(node, result)
        self._set_index(order if not stuck else None)
        return set(graph)

    def _recompute_from(self, graph, dirty: set[str]) -> set[str]:
        """Visit the dirty nodes and what they feed in topological order, going on past a node only when
        what it passes on (its shape, or the error that blocks what follows) has changed."""
        index = self._index
        heap = [(index[n], n) for n in dirty]
        heapq.heapify(heap)
        queued = set(dirty)
        while heap:
            _position, node = heapq.heappop(heap)
            old = self._local.get(node)
            new = self._compute(graph, node)
            self._store_local(node, new)
            if old is None or old.shape != new.shape or old.blocked_by != new.blocked_by \
                    or (old.error is None) != (new.error is None):
                for succ in graph.successors(node):
                    if succ not in queued:
                        queued.add(succ)
                        heapq.heappush(heap, (index[succ], succ))
        return queued

    def _reindex(self, graph) -> bool:
        """Rebuild the topological index; False if the graph has a cycle (then every update is a full one)."""
        order, stuck = topological_order(graph, set(graph))
        self._set_index(order if not stuck else None)
        return self._index is not None

    def _set_index(self, order):
        self._index = None if order is None else {n: i for i, n in enumerate(order)}
        self._next_index = len(order or ())

    def _store_local(self, node, result: NodeResult):
        old = self._local.get(node)
        if old is None or (old.shape is None) != (result.shape is None):
            self._flow_stale = True  # which nodes reach a buildable output may have changed
        self._local[node] = result

    # ---- one node -----------------------------------------------------------------------------------------

    def _compute(self, graph, node) -> NodeResult:
        # Reads networkx's adjacency dicts directly (as networkx's own algorithms do): its view objects cost
        # more than the shape rules, and this runs for every node on every edit.
        data = graph._node[node]
        layer = data.get("layer")
        if node not in self._good_ids:
            try:
                check_node_id(node)  # the document refuses bad ids; a hand-built graph may still hold one
            except GraphError as exc:
                return NodeResult(layer, error=str(exc))
            self._good_ids.add(node)
        spec = CATALOG.get(layer) if isinstance(layer, str) else None
        if spec is None and isinstance(layer, str) and layer in KERAS_LAYERS:
            spec = generic_spec(layer)
        if spec is None:
            spec = op_spec(layer)  # "ops.add": a keras.ops operation
        if spec is None:
            return NodeResult(layer, error=f"{node}: {UnknownLayerError.message(layer)}")
        params = self._params(node, spec, data.get("params") or {})
        if isinstance(params, str):
            return NodeResult(layer, error=params)
        wires = wires_into(graph, node)
        problem = _port_problem(node, spec, wires)
        if problem:
            return NodeResult(layer, error=problem)
        arriving = []
        local = self._local
        for source, _port in wires:
            upstream = local[source]
            if upstream.shape is None:
                return NodeResult(layer, blocked_by=upstream.blocked_by or source)
            arriving.append(Arriving(source, upstream.shape))
        if spec.is_merge and not spec.generic:  # a size mismatch names the branches whose padding to change
            arriving = with_paddings(graph, arriving)
        try:
            if spec.generic:
                shape, trainable, frozen = stored_shape(layer, data.get("keras_shape"), [a.shape for a in arriving])
            else:
                shape = tuple(spec.shape_rule(params, arriving))
                trainable, frozen = spec.weight_rule(params, arriving, shape)
        except ShapeError as exc:
            return NodeResult(layer, error=f"{node}: {exc}", stale=isinstance(exc, StaleShape))
        except Exception as exc:  # noqa: BLE001 -- see internal_error
            return NodeResult(layer, error=f"{node}: {internal_error(spec.name, exc)}")
        warnings = self._warnings_for(graph, node, layer, spec, shape, arriving)
        return NodeResult(layer, shape, trainable, frozen, warnings=warnings)

    def _params(self, node, spec, raw: dict):
        """The node's params resolved and validated, or the error message."""
        try:
            # Types are part of the key: 1, 1.0 and True are equal in Python, but not as params.
            key = (spec.name, tuple((k, v.__class__, v) if v.__class__ is not list
                                    else (k, list, tuple(v), tuple(map(type, v))) for k, v in raw.items()))
            outcome = _RESOLVED.get(key)
        except TypeError:  # an unhashable value (a hand-built graph's dict, say): validate without the memo
            key, outcome = None, None
        if outcome is None:
            try:
                outcome = spec.resolve(raw)
                if spec.params_rule:
                    spec.params_rule(outcome)
            except (ParamError, ShapeError) as exc:
                outcome = _Refused(str(exc))
            except Exception as exc:  # noqa: BLE001 -- a bug in a rule must not take an edit down with it
                outcome = _Refused(internal_error(spec.name, exc))
            if key is not None:
                if len(_RESOLVED) >= _RESOLVED_LIMIT:
                    _RESOLVED.clear()
                _RESOLVED[key] = outcome
        return f"{node}: {outcome.message}" if isinstance(outcome, _Refused) else outcome

    def _local_warnings(self, graph, node) -> tuple[str, ...]:
        """The warnings of an already computed node, again (after what reads it has changed)."""
        result = self._local[node]
        if result.shape is None:
            return ()
        wires = wires_into(graph, node)
        arriving = [Arriving(u, self._local[u].shape) for u, _p in wires]
        return self._warnings_for(graph, node, result.layer, spec_for(result.layer), result.shape, arriving)

    @staticmethod
    def _warnings_for(graph, node, layer, spec, shape, arriving) -> tuple[str, ...]:
        """Warnings that depend on the node, its inputs and whether anything reads it."""
        found = []
        if spec.notice is not None:
            text = spec.notice(graph._node[node].get("params") or {})
            if text:
                found.append(f"{node}: {text}")
        if layer == "Input" and not graph._succ[node]:
            found.append(f"{node}: this Input is not used by any layer, yet the model would still ask for data "
                         "for it; connect it to a layer or delete it")
        elif layer == "Dense":
            found.extend(_dense_warnings(graph, node, shape, arriving))
        elif spec.is_merge and not spec.generic and len(arriving) == 1:
            found.append(f"{node}: {layer} has a single input, so it passes {arriving[0].source}'s tensor through "
                         "unchanged; connect a second branch or remove it")
        return tuple(found)

    # ---- whole-graph warnings -----------------------------------------------------------------------------

    def _flow_warnings(self, graph) -> dict[str, tuple[str, ...]]:
        """Nodes with a shape from which every path ends at an error, while other outputs do build: a branch
        cut off from the working model. (When nothing builds, the errors alone say it.)"""
        local = self._local
        if all(result.shape is not None for result in local.values()):
            return {}  # nothing is cut off when every node has a shape
        good_sinks = [n for n in graph if not graph._succ[n] and local.get(n) and local[n].shape is not None
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


class _Refused(NamedTuple):
    message: str


# Resolved params by (layer, params as a hashable tuple): real models repeat the same layer settings many
# times, and validating each value is the largest part of inference otherwise. Shared by every engine; the
# resolved dicts are never mutated, so sharing them is safe.
_RESOLVED: dict[tuple, dict | _Refused] = {}
_RESOLVED_LIMIT = 20_000


INTERNAL_ERROR = "internal error in Keras Canvas's rule for"


def internal_error(layer: str, exc: Exception) -> str:
    """The node's message when a shape rule itself fails (a bug of ours, not the person's mistake): the edit
    goes through and the node says so, instead of the window or the command crashing. The agreement tests
    fail on any such message."""
    return (f"{INTERNAL_ERROR} {layer} ({type(exc).__name__}: {exc}); the node cannot be checked. Please "
            "report it with the project file")


def _port_problem(node, spec, wires) -> str | None:
    """Wiring mistakes a hand-built graph can have (the document refuses them as edits)."""
    if len(wires) == 1 and wires[0][1] == 0 and spec.inputs != 0 and type(wires[0][1]) is int and (
            spec.required_inputs or 1) == 1:
        return None  # the common case, one wire on port 0, is always fine
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
    else:
        # Named ports (attention's query, value, key): the required ones first, each fed.
        needed = spec.inputs if spec.required_inputs is None else spec.required_inputs
        missing = [spec.port_name(p) or f"port {p}" for p in range(needed) if p not in ports]
        if missing:
            names = " and ".join(missing)
            return f"{node}: {spec.name} has nothing on its {names}; connect a tensor to {'them' if len(missing) > 1 else 'it'}"
    return None


def _dense_warnings(graph, node, shape, arriving):
    (x,) = arriving
    found = []
    if len(x.shape) > 2:
        found.append(f"{node}: Dense on the {len(x.shape)}D tensor {fmt(x.shape)} from {x.source} acts on the last "
                     f"axis only, giving {fmt(shape)}; add Flatten or GlobalAveragePooling2D before it if "
                     "you meant one vector per sample")
    kernel = x.shape[-1] * shape[-1]
    if kernel > DENSE_WEIGHT_WARNING and graph._node[x.source].get("layer") == "Flatten":
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
