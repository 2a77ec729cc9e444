"""Candidate fixes for one node's problem, read from the graph's structure and shapes (not from the message's
words): each is (title, edits), cheapest first within its kind. None is offered before verify.py has tried it.

Kinds covered (the issue's list): merge size mismatch (padding='same' on exactly the branches that shrink,
Cropping on the larger inputs, ZeroPadding on the smaller, Resizing), merge channel mismatch (a 1×1
projection on the narrower inputs), rank mismatch (Flatten or Reshape on the odd input), Dense after a tensor of
rank > 2 (Flatten or global pooling), convolution or pooling on too few axes (Reshape adding them), a window
larger than its input (padding='same' or a smaller window), a Reshape no size fits (a target with -1),
concatenation along the batch axis or an axis out of range (axis -1), a node without input (wire the nearest
output that works), an unused Input (delete it). More kinds, met by the generated graphs: more_candidates.py.
"""

from __future__ import annotations

import math
import re

from builder.catalog.ops import op_spec
from builder.catalog.specs import CATALOG, spec_for
from builder.fixes import edits as E
from builder.fixes import more_candidates as more
from builder.inference.op_name_clash import auto_name, clash_fix
from builder.model.order import free_id, wires_into


def candidates(graph, results, node) -> list[tuple[str, str, list[dict]]]:
    """[(problem, title, edits)] for the node's error, or for its warnings that have a clear remedy."""
    result = results[node]
    layer = result.layer
    spec = CATALOG.get(layer) if isinstance(layer, str) else None
    if spec is None:
        op = op_spec(layer)  # an op node: only its params can be fitted
        if op is None or op.generic or not result.error or result.stale:
            return []
        shapes = [results[u].shape for u, _p in wires_into(graph, node)]
        return [] if None in shapes else [(result.error, t, e) for t, e in more.param_fixes(graph, node, op, shapes)]
    if spec.generic:
        return []
    ids = _Ids(graph)
    found = []
    if result.error and not result.stale:
        wires = wires_into(graph, node)
        shapes = [results[u].shape for u, _p in wires]
        if not wires and not spec.is_input:
            kinds = _wire_nearest(graph, results, node)
        elif None in shapes:
            kinds = []
        elif layer in more.TWO_INPUTS and len(wires) == 1:
            kinds = _wire_nearest(graph, results, node, port=1, besides=wires[0][0])
        elif spec.is_merge:
            kinds = _merge(graph, node, layer, wires, shapes, ids)
        elif layer == "Reshape":
            kinds = _reshape(graph, node, shapes[0])
        elif layer in more.ATTENTION:
            kinds = more.attention_sequences(node, wires, shapes, ids)
        elif _window_rank(layer) and len(shapes[0]) <= _window_rank(layer) + 2:
            kinds = _windowed(graph, node, layer, wires, shapes[0], ids)
        elif _needed_rank(layer) and len(shapes) == 1 and len(shapes[0]) < _needed_rank(layer):
            (source, port), = wires
            kinds = _add_axes(node, source, port, shapes[0], _needed_rank(layer) - 2, ids, graph)
        else:
            kinds = more.merge_extra_axes(graph, node, layer, wires, shapes[0], ids) if len(shapes) == 1 else []
        if None not in shapes:
            kinds += more.param_fixes(graph, node, spec, shapes)
        found += [(result.error, title, edits) for title, edits in kinds]
    for warning in result.warnings:
        clash = clash_fix(graph, node, warning)
        if clash is not None:  # an id Keras can give one of its ops by itself: rename the node
            found.append((warning, f"rename {node} to {clash[1]}", [E.rename(node, clash[1])]))
        elif layer == "Input" and "is not used by any layer" in warning:
            found.append((warning, f"delete the unused Input {node}", [E.remove(node)]))
        elif layer == "Dense" and warning.startswith(f"{node}: Dense on the "):
            found += [(warning, title, edits) for title, edits in _before_dense(graph, results, node, ids)]
    return found


class _Ids:
    """Fresh node ids, unique in the graph and among the nodes one fix adds."""

    def __init__(self, graph):
        self.taken = set(graph)
        # Keras names an op node's operation after its function, "reshape", "reshape_1", ..., counting across
        # the process: a layer inserted as reshape_1 beside an ops.reshape node could take that name, and Keras
        # refuses a model with a name twice (found by a generated graph). Such prefixes get "_layer".
        self.op_functions = {name for layer in (d.get("layer") for d in graph._node.values())
                             if (name := auto_name(layer)) is not None}

    def new(self, layer: str) -> str:
        prefix = spec_for(layer).id_prefix or layer.lower()
        node = free_id(prefix + "_layer" if prefix in self.op_functions else prefix, self.taken)
        self.taken.add(node)
        return node


def _names(nodes) -> str:
    nodes = list(nodes)
    return nodes[0] if len(nodes) == 1 else ", ".join(nodes[:-1]) + f" and {nodes[-1]}"


def _window_rank(layer: str) -> int | None:
    """The spatial rank of a windowed layer (convolution or local pooling), None for other layers."""
    found = re.search(r"([123])D", layer)
    if not found or layer.startswith("Global") or not ("Conv" in layer or "Pooling" in layer):
        return None
    return int(found.group(1))


def _needed_rank(layer: str) -> int | None:
    """The rank a global pooling or recurrent layer takes (batch included); None for other layers."""
    if layer in ("LSTM", "GRU", "SimpleRNN"):
        return 3
    found = re.search(r"([123])D", layer)
    return int(found.group(1)) + 2 if found and layer.startswith("Global") else None


def _padding(graph, node):
    spec = CATALOG.get(graph.nodes[node].get("layer"))
    param = spec.param_by_name.get("padding") if spec else None
    if param is None or param.kind != "choice":
        return None
    return (graph.nodes[node].get("params") or {}).get("padding", param.default)


# ---- merges --------------------------------------------------------------------------------------------------

def _merge(graph, node, layer, wires, shapes, ids):
    found = []
    ranks = {len(s) for s in shapes}
    params = graph.nodes[node].get("params") or {}
    if layer == "Concatenate":
        axis = params.get("axis", -1)
        rank = len(shapes[0])
        if not -rank <= axis < rank or axis in (0, -rank):
            found.append(("set axis=-1 on " + node, [E.set_param(node, "axis", -1)]))
    if layer in ("Subtract", "Dot") and len(wires) > 2:  # exactly two inputs: keep the first two
        extra = sorted(wires[2:], key=lambda w: -w[1])
        found.append(((f"disconnect {_names(u for u, _p in reversed(extra))} from {node} (it takes exactly two "
                       "inputs)"), [E.disconnect(u, node, p) for u, p in extra]))
    if len(ranks) > 1:
        return found + _rank_mismatch(wires, shapes, node, ids)
    rank = ranks.pop()
    if rank >= 3:
        found += _spatial_mismatch(graph, node, wires, shapes, ids, rank - 2)
    if layer != "Concatenate":
        found += _channel_mismatch(node, wires, shapes, ids, rank)
    return found


def _rank_mismatch(wires, shapes, node, ids):
    low = min(len(s) for s in shapes)
    odd = [(w, s) for w, s in zip(wires, shapes) if len(s) != low]
    found = []
    if low == 2:
        inserts = [E.insert(ids.new("Flatten"), "Flatten", {}, (u, node, p)) for (u, p), _s in odd]
        found.append((f"Flatten {_names(u for (u, _p), _s in odd)} before {node}", inserts))
    target = next(s for s in shapes if len(s) == low)
    reshapes = [E.insert(ids.new("Reshape"), "Reshape", {"target_shape": [*target[1:-1], -1]}, (u, node, p))
                for (u, p), _s in odd if None not in target[1:-1]]
    if reshapes:
        found.append((f"Reshape {_names(u for (u, _p), _s in odd)} to rank {low} before {node}", reshapes))
    return found


def _spatial_mismatch(graph, node, wires, shapes, ids, rank):
    """Inputs of one rank whose spatial sizes (between batch and the last axis) differ."""
    spatial = [tuple(s[1:-1]) for s in shapes]
    if len(set(spatial)) == 1 or any(None in s for s in spatial):
        return []
    found = []
    shrinking = [w for u, _p in wires if (w := _shrinking_window(graph, u)) is not None]
    if shrinking:
        found.append((f"set padding='same' on {_names(dict.fromkeys(shrinking))}",
                      [E.set_param(u, "padding", "same") for u in dict.fromkeys(shrinking)]))
    smallest = tuple(min(s[i] for s in spatial) for i in range(rank))
    largest = tuple(max(s[i] for s in spatial) for i in range(rank))
    crop_layer, pad_layer = f"Cropping{rank}D", f"ZeroPadding{rank}D"
    crops = [E.insert(ids.new(crop_layer), crop_layer, {"cropping": _pairs(s, smallest, rank)}, (u, node, p))
             for (u, p), s in zip(wires, spatial) if s != smallest]
    found.append((f"crop {_names(e['wire'][0] for e in crops)} to {'×'.join(map(str, smallest))}", crops))
    pads = [E.insert(ids.new(pad_layer), pad_layer, {"padding": _pairs(largest, s, rank)}, (u, node, p))
            for (u, p), s in zip(wires, spatial) if s != largest]
    found.append((f"zero-pad {_names(e['wire'][0] for e in pads)} to {'×'.join(map(str, largest))}", pads))
    if rank == 2:
        resize = [E.insert(ids.new("Resizing"), "Resizing", {"height": largest[0], "width": largest[1]},
                           (u, node, p)) for (u, p), s in zip(wires, spatial) if s != largest]
        found.append((f"resize {_names(e['wire'][0] for e in resize)} to {largest[0]}×{largest[1]}", resize))
    return found


def _shrinking_window(graph, node, steps: int = 8):
    """The 'valid' window layer whose output is smaller than its input, at `node` or up through layers that keep
    the size (BatchNormalization, Activation, Dropout: one input each); None when there is none."""
    for _ in range(steps):
        if _padding(graph, node) == "valid":
            params = graph.nodes[node].get("params") or {}
            window = params.get("kernel_size", params.get("pool_size", 1))
            return node if any(k > 1 for k in ([window] if isinstance(window, int) else window)) else None
        layer = graph.nodes[node].get("layer")
        spec = CATALOG.get(layer)
        inputs = list(graph.predecessors(node))
        if spec is None or spec.is_merge or len(inputs) != 1 or spec.category not in _SIZE_KEEPING:
            return None
        node = inputs[0]
    return None


# Families whose layers give back their input's spatial size (a branch's shrinking layer may sit behind them).
_SIZE_KEEPING = ("Normalization", "Regularization", "Activation")


def _pairs(big, small, rank):
    """((before, after), ...) per axis taking `big` to `small` (or the reverse, for padding)."""
    pairs = [[(b - s) // 2, (b - s) - (b - s) // 2] for b, s in zip(big, small)]
    return pairs[0] if rank == 1 else pairs


def _channel_mismatch(node, wires, shapes, ids, rank):
    """Element-wise merges whose inputs agree but on the last axis: project the narrower ones (ResNet's 1×1)."""
    if len({tuple(s[1:-1]) for s in shapes}) != 1 or None in [s[-1] for s in shapes]:
        return []
    widest = max(s[-1] for s in shapes)
    narrow = [(w, s) for w, s in zip(wires, shapes) if s[-1] != widest]
    if not narrow:
        return []
    if rank == 4:
        layer, params, what = "Conv2D", {"filters": widest, "kernel_size": 1}, "a 1×1 Conv2D"
    else:
        layer, params, what = "Dense", {"units": widest}, "a Dense"
    inserts = [E.insert(ids.new(layer), layer, dict(params), (u, node, p)) for (u, p), _s in narrow]
    return [(f"project {_names(u for (u, _p), _s in narrow)} to {widest} channels with {what}", inserts)]


# ---- single-input layers -------------------------------------------------------------------------------------

def _windowed(graph, node, layer, wires, shape, ids):
    rank = _window_rank(layer)
    ((source, port),) = wires[:1]
    params = graph.nodes[node].get("params") or {}
    if len(shape) < rank + 2:
        return _add_axes(node, source, port, shape, rank, ids, graph)
    if len(shape) != rank + 2 or None in shape[1:-1]:
        return []
    name = "kernel_size" if "Conv" in layer else "pool_size"
    found = []
    if params.get("padding", "valid") == "valid":
        found.append((f"set padding='same' on {node}", [E.set_param(node, "padding", "same")]))
    window = params.get(name, 2 if name == "pool_size" else 1)
    window = [window] * rank if isinstance(window, int) else list(window)
    fitted = [min(w, s) for w, s in zip(window, shape[1:-1])]
    if fitted != window:
        value = fitted[0] if rank == 1 else fitted
        found.append((f"set {name}={value} on {node} (the size of its input)", [E.set_param(node, name, value)]))
    return found


def _add_axes(node, source, port, shape, rank, ids, graph):
    """A vector (or a tensor of too few axes) into a convolution, pooling or recurrent layer: Reshape adding the
    missing axes (a square image when the size is a square, else size-1 axes)."""
    rest = shape[1:]
    if None in rest:
        return []
    size = math.prod(rest)
    if rank == 2 and len(rest) == 2:
        target = [*rest, 1]
    elif rank == 2 and math.isqrt(size) ** 2 == size:
        side = math.isqrt(size)
        target = [side, side, 1]
    else:
        target = [*rest, *([1] * (rank + 1 - len(rest)))]
    found = [(f"Reshape {source}'s {_shape_text(shape)} to {tuple(target)} before {node}",
              [E.insert(ids.new("Reshape"), "Reshape", {"target_shape": target}, (source, node, port))])]
    if _padding(graph, node) == "valid":
        edits = [E.insert(ids.new("Reshape"), "Reshape", {"target_shape": target}, (source, node, port)),
                 E.set_param(node, "padding", "same")]
        found.append((f"Reshape {source}'s output to {tuple(target)} and set padding='same' on {node}", edits))
    return found


def _shape_text(shape) -> str:
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _reshape(graph, node, shape):
    target = list((graph.nodes[node].get("params") or {}).get("target_shape") or [])
    if -1 in target:
        return [(f"set target_shape={[-1]} on {node} (one axis holding everything)",
                 [E.set_param(node, "target_shape", [-1])])]
    found = []
    for i in range(len(target)):
        fitted = target[:i] + [-1] + target[i + 1:]
        found.append((f"set target_shape={fitted} on {node} (Keras computes the -1)",
                      [E.set_param(node, "target_shape", fitted)]))
    found.append((f"set target_shape={[-1]} on {node} (one axis holding everything)",
                  [E.set_param(node, "target_shape", [-1])]))
    return found


def _before_dense(graph, results, node, ids):
    ((source, port),) = wires_into(graph, node)
    rank = len(results[source].shape) - 2
    found = [(f"Flatten {source} before {node}", [E.insert(ids.new("Flatten"), "Flatten", {}, (source, node, port))])]
    if 1 <= rank <= 3:
        pool = f"GlobalAveragePooling{rank}D"
        found.append((f"{pool} on {source} before {node}", [E.insert(ids.new(pool), pool, {}, (source, node, port))]))
    return found


# ---- a node without input ------------------------------------------------------------------------------------

def _wire_nearest(graph, results, node, tries: int = 8, port: int = 0, besides=None):
    """Wire the nearest node that has a shape (by canvas distance, else document order), that is not fed by
    this one (no cycle), to `port` (0; 1 for a two-input merge's missing second input, `besides` its first);
    the nearest few are tried and the verified ones offered."""
    positions = (graph.graph.get("ui") or {}).get("positions") or {}
    order = {n: i for i, n in enumerate(graph)}
    here = positions.get(node)
    downstream = _descendants(graph, node)

    def distance(other):
        there = positions.get(other)
        if here is not None and there is not None:
            return (0, math.dist(here, there))
        return (1, abs(order[other] - order[node]))

    sources = [n for n in graph if n not in (node, besides) and n not in downstream and results[n].shape is not None]
    sources.sort(key=distance)
    which = "" if port == 0 else " as its second input"
    return [(f"connect {s} to {node}{which}", [E.connect(s, node, port)]) for s in sources[:tries]]


def _descendants(graph, node) -> set:
    seen, stack = set(), [node]
    while stack:
        for succ in graph.successors(stack.pop()):
            if succ not in seen:
                seen.add(succ)
                stack.append(succ)
    return seen
