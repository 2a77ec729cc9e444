"""Live shape inference: per node its output shape, parameter counts, error and warnings.

Errors sit on the node that causes them; a node downstream of an error has no shape and no error of its own
(it is `blocked_by` the first error upstream). After an edit only the changed nodes and what lies downstream
are recomputed: a ShapeInference attached to a GraphDocument listens to its changes and `update()` walks
from the dirty nodes in topological order. Shapes are derived data, never saved and never undone.
"""

from __future__ import annotations

import heapq
from collections import deque

import networkx as nx

from builder.catalog.keras_names import KERAS_LAYERS
from builder.catalog.ops import op_spec
from builder.catalog.params import ParamError
from builder.catalog.rules import Arriving, ShapeError
from builder.catalog.rules.merging import with_paddings
from builder.catalog.specs import CATALOG, UnknownLayerError, generic_spec, spec_for
from builder.inference.memos import (
    _GOOD_IDS,
    _RESOLVED,
    _RESOLVED_LIMIT,
    _RULED,
    _RULED_LIMIT,
    _dense_warned,
    _params_key,
    _Refused,
    _warned,
)
from builder.inference.node_problems import dense_warnings, port_problem

# NodeResult, STATUSES, INTERNAL_ERROR and totals are read from this module by most callers.
from builder.inference.node_result import INTERNAL_ERROR, STATUSES, NodeResult, internal_error, totals  # noqa: F401
from builder.inference.op_name_clash import clash_warnings
from builder.inference.stored_shapes import StaleShape, stored_shape
from builder.model.document import Change, GraphDocument, GraphError, check_node_id
from builder.model.node_checks import remember_good_id, remember_good_ids
from builder.model.order import document_order_if_topological, topological_order, wires_into

# The full pass's shortcuts (remembered results by layer, params and arriving shapes); off only in the test that
# checks they give what computing every node in full gives (tests/builder/test_inference_fast_path.py).
SHORTCUTS = True


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
        self._index_map: dict[str, int] | None = None
        self._order: list | None = None  # the order _index is made from, until it is first asked for
        self._next_index = 0
        self._adopted = False  # adopt() took another engine's full pass: the next update reports it
        self._ops: set[str] = set()  # the op nodes (keras.ops calls): their automatic names (op_name_clash.py)
        if self._doc is not None:
            self._doc.subscribe(self._on_change)

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self._doc.graph if self._doc is not None else self._plain

    def close(self):
        if self._doc is not None:
            self._doc.unsubscribe(self._on_change)

    def adopt(self, other: ShapeInference) -> None:
        """Take the full pass another engine ran on this very graph (the window infers a large file it opens
        in a background thread, before showing it), so the next update() need not run it again: it reports
        every node as changed, as a full pass would."""
        if other.graph is not self.graph or other._full or other._dirty:
            raise ValueError("adopt takes an engine that has run update() on this engine's graph")
        self.results, self._local, self._flow = dict(other.results), dict(other._local), dict(other._flow)
        self._ops = set(other._ops)
        self._index, self._next_index = other._index, other._next_index
        self._dirty.clear()
        self._touched.clear()
        self._full = self._flow_stale = False
        self._adopted = True

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
            self._ops.discard(change.node)
            self._dirty.discard(change.node)
            self._touched.discard(change.node)
        elif kind == "node_renamed":
            for store in (self.results, self._local):
                store.pop(change.old_id, None)
            if change.old_id in self._ops:
                self._ops.discard(change.old_id)
                self._ops.add(change.node)
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
        if self._adopted:
            self._adopted = False
            if not (self._full or self._dirty or self._touched):
                return set(self.results)
        if self._full or self._index is None and not self._reindex(graph):
            return self._publish_all(graph)
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
            old = self.results.get(node)
            if old is not result:
                # The object made for these inputs is kept even when it equals the old one: a node whose inputs
                # changed but not its shape (a pooling to (None, 8) after the image size changed) has another
                # cost, and the costs are remembered by result object (builder/cost/totals.py).
                self.results[node] = result
                if old != result:
                    changed.add(node)
        self._dirty.clear()
        self._touched.clear()
        self._full = self._flow_stale = False
        return changed

    def _publish_all(self, graph) -> set[str]:
        """A full pass: every node computed, every result new (so every node counts as changed)."""
        self._recompute_all(graph)
        self._flow = self._flow_warnings(graph)
        results = self.results
        results.update(self._local)
        for node, extra in self._flow.items():
            results[node] = results[node]._replace(warnings=results[node].warnings + extra)
        self._dirty.clear()
        self._touched.clear()
        self._full = self._flow_stale = False
        return set(results)

    def _recompute_all(self, graph) -> set[str]:
        self._local.clear()
        self.results.clear()
        self._ops.clear()
        order = document_order_if_topological(graph)
        stuck = set()
        if order is None:
            order, stuck = topological_order(graph, set(graph))
        local, compute = self._local, self._compute
        node_data, pred_of, catalog, ruled_get = graph._node, graph._pred, CATALOG, _RULED.get
        shortcuts = SHORTCUTS
        # Ids this process has not checked yet (the file reader checks those it reads), checked all at once: the
        # loop then skips only the bad ones, which _compute reports.
        unseen = node_data.keys() - _GOOD_IDS
        bad_ids = remember_good_ids(unseen) if unseen else ()
        for node in order:
            # The common node, seen with the same params on the same shapes before (by any engine of this
            # process: a one-input layer with one wire on port 0, or a merge with wires on ports 0..n-1; no notice),
            # costs only the lookups below: a remembered success implies valid params. Anything else, or anything
            # not seen, goes to _compute.
            data = node_data[node]
            layer = data.get("layer")
            if shortcuts and layer.__class__ is str and (not bad_ids or node not in bad_ids):
                spec = catalog.get(layer)
                if spec is not None and spec.notice is None:  # a notice is a warning the remembered result lacks
                    preds = pred_of[node]
                    shapes = None
                    if len(preds) == 1:
                        if spec.inputs == 1 and spec.required_inputs in _ONE_REQUIRED:
                            ((source, keyed),) = preds.items()
                            if len(keyed) == 1:
                                (edge,) = keyed.values()
                                port = edge.get("port")
                                shape = local[source].shape
                                if port == 0 and port.__class__ is int and shape is not None:
                                    shapes = (shape,)
                    elif preds and spec.inputs is None:
                        shapes = _merge_shapes(preds, local)
                    if shapes is not None:
                        try:
                            ruled = ruled_get((_params_key(layer, data.get("params") or {}), shapes))
                        except TypeError:  # an unhashable param: _compute says what it makes of it
                            ruled = None
                        if ruled is not None and ruled[0] is spec:
                            result = ruled[1]
                            if layer == "Dense":  # the one such layer with warnings of its own
                                result = _dense_warned(graph, node, source, shape, result)
                            local[node] = result
                            continue
            local[node] = compute(graph, node)
        local.update(_cycle_results(graph, stuck))
        self._flow_stale = True  # every result is new
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
        self._index_map, self._order = None, order
        self._next_index = len(order or ())

    @property
    def _index(self) -> dict[str, int] | None:
        """Made from the order of the last full pass when first needed: a one-time infer() never needs it (a
        100,000-node `check` spent a tenth of its inference making it)."""
        if self._index_map is None and self._order is not None:
            self._index_map = dict(zip(self._order, range(len(self._order))))
            self._order = None
        return self._index_map

    @_index.setter
    def _index(self, index: dict[str, int] | None):
        self._index_map, self._order = index, None

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
        if node not in _GOOD_IDS:
            try:
                check_node_id(node)  # the document refuses bad ids; a hand-built graph may still hold one
            except GraphError as exc:
                return NodeResult(layer, error=str(exc))
            remember_good_id(node)
        spec = CATALOG.get(layer) if isinstance(layer, str) else None
        if spec is None:
            if isinstance(layer, str) and layer in KERAS_LAYERS:
                spec = generic_spec(layer)
            else:
                spec = op_spec(layer)  # "ops.add": a keras.ops operation
                if spec is not None:
                    self._ops.add(node)
            if spec is None:
                return NodeResult(layer, error=f"{node}: {UnknownLayerError.message(layer)}")
        key, params = self._params(spec, data.get("params") or {})
        if params.__class__ is _Refused:
            return NodeResult(layer, error=f"{node}: {params.message}")
        preds = graph._pred[node]
        local = self._local
        # The common case, one wire on port 0 of a one-input layer, is always fine; anything else is sorted by
        # port and checked in full.
        wires = None
        if len(preds) == 1 and spec.inputs == 1 and spec.required_inputs in _ONE_REQUIRED:
            for source, keyed in preds.items():
                if len(keyed) == 1:
                    for edge in keyed.values():
                        port = edge.get("port")
                        if port == 0 and port.__class__ is int:
                            wires = ((source, 0),)
                            upstream = local[source]
                            if upstream.shape is None:
                                return NodeResult(layer, blocked_by=upstream.blocked_by or source)
                            shapes = (upstream.shape,)
        if wires is None:
            wires = wires_into(graph, node)
            problem = port_problem(node, spec, wires)
            if problem:
                return NodeResult(layer, error=problem)
            shapes = []
            for source, _port in wires:
                upstream = local[source]
                if upstream.shape is None:
                    return NodeResult(layer, blocked_by=upstream.blocked_by or source)
                shapes.append(upstream.shape)
            shapes = tuple(shapes)
        # The layers that can have warnings: Input, Dense, merges (any number of inputs) and a spec with a notice
        # (Normalization before it is adapted).
        if layer == "Input" or layer == "Dense" or spec.inputs is None or spec.notice is not None:
            result = self._ruled(graph, node, spec, key, params, wires, shapes, data)
            if result.shape is None:
                return result
            if layer == "Dense" and spec.notice is None:
                return _dense_warned(graph, node, wires[0][0], shapes[0], result)
            arriving = [Arriving(source, shape) for (source, _port), shape in zip(wires, shapes)]
            warnings = self._warnings_for(graph, node, layer, spec, result.shape, arriving)
            return _warned(result, warnings) if warnings else result
        return self._ruled(graph, node, spec, key, params, wires, shapes, data)

    @staticmethod
    def _ruled(graph, node, spec, key, params, wires, shapes, data) -> NodeResult:
        """The node's result by its layer's rules, before warnings. The rules are pure functions of the layer,
        its params and the shapes arriving (names appear only in their messages), and models repeat the same
        layer on the same shapes many times: a success is remembered by those and the same (immutable)
        result reused, so most nodes of a large model cost a dictionary lookup."""
        layer = spec.name
        if spec.generic:
            try:
                shape, trainable, frozen = stored_shape(layer, data.get("keras_shape"), list(shapes))
            except ShapeError as exc:
                return NodeResult(layer, error=f"{node}: {exc}", stale=isinstance(exc, StaleShape))
            except Exception as exc:  # noqa: BLE001 -- see internal_error
                return NodeResult(layer, error=f"{node}: {internal_error(layer, exc)}")
            return NodeResult(layer, shape, trainable, frozen)
        ruled_key = None if key is None else (key, shapes)
        if ruled_key is not None:
            ruled = _RULED.get(ruled_key)
            if ruled is not None and ruled[0] is spec:
                return ruled[1]
        arriving = [Arriving(source, shape) for (source, _port), shape in zip(wires, shapes)]
        try:
            shape, trainable, frozen = _apply_rules(graph, spec, params, arriving)
        except ShapeError as exc:
            return NodeResult(layer, error=f"{node}: {exc}")
        except Exception as exc:  # noqa: BLE001 -- see internal_error
            return NodeResult(layer, error=f"{node}: {internal_error(layer, exc)}")
        result = NodeResult(layer, shape, trainable, frozen)
        if ruled_key is not None:
            if len(_RULED) >= _RULED_LIMIT:
                _RULED.clear()
            _RULED[ruled_key] = (spec, result)
        return result

    @staticmethod
    def _params(spec, raw: dict):
        """(the memo key of the params, the params resolved and validated or _Refused saying why). The key is
        None for a value that cannot be a key (a hand-built graph's dict, say): then nothing is remembered."""
        key = _params_key(spec.name, raw)
        try:
            outcome = _RESOLVED.get(key)
        except TypeError:  # an unhashable value: validate without the memo
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
        return key, outcome

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
            found.extend(dense_warnings(graph, node, shape, arriving))
        elif spec.is_merge and not spec.generic and len(arriving) == 1:
            found.append(f"{node}: {layer} has a single input, so it passes {arriving[0].source}'s tensor through "
                         "unchanged; connect a second branch or remove it")
        return tuple(found)

    # ---- whole-graph warnings -----------------------------------------------------------------------------

    def _flow_warnings(self, graph) -> dict[str, tuple[str, ...]]:
        """The warnings that depend on the whole graph: branches cut off from the working model, and layer ids
        that can meet an op's automatic name (op_name_clash.py)."""
        flow = self._cut_off(graph)
        if self._ops:
            for node, warning in clash_warnings(graph, self._ops).items():
                flow[node] = flow.get(node, ()) + (warning,)
        return flow

    def _cut_off(self, graph) -> dict[str, tuple[str, ...]]:
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


def _apply_rules(graph, spec, params, arriving) -> tuple[tuple, int, int]:
    """(shape, trainable, non-trainable) by the spec's rules; raises ShapeError (or a rule's own bug)."""
    try:
        shape = tuple(spec.shape_rule(params, arriving))
    except ShapeError:
        if not spec.is_merge:
            raise
        # A size mismatch names the branches whose padding to change: the merge is asked again with them
        # (only on failure, since looking them up costs more than the rule).
        shape = tuple(spec.shape_rule(params, with_paddings(graph, arriving)))
    trainable, frozen = spec.weight_rule(params, arriving, shape)
    return shape, trainable, frozen


_ONE_REQUIRED = (None, 1)


def _merge_shapes(preds, local) -> tuple | None:
    """The shapes arriving at a merge in port order, when its two or more wires use ports 0..n-1 (integers,
    each once) and every source has a shape; None otherwise (then _compute checks the wiring and says why)."""
    by_port = {}
    for source, keyed in preds.items():
        shape = local[source].shape
        if shape is None:
            return None
        for edge in keyed.values():
            port = edge.get("port")
            if port.__class__ is not int or port in by_port:
                return None
            by_port[port] = shape
    try:
        return tuple([by_port[port] for port in range(len(by_port))])
    except KeyError:  # a gap in the ports
        return None


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
