"""Real Keras as the judge: what Keras does with each node of a graph, built layer by layer.

Each node is built in topological order with `keras.Input` or `getattr(keras.layers, layer)(name=id, **params)`
and called on the KerasTensors of its sources, catching the exception at the node where Keras refuses.

The issue's rule is stricter than Keras's symbolic build: an error wherever Keras refuses the graph *or a
forward pass on real data would fail*. So each node that Keras builds is also tried with a batch of 3:
  - traced in a TensorFlow graph on placeholders of its sources' declared shapes with a batch of 3 (this works
    with unknown sizes too), and
  - eagerly on zeros, when every Input upstream has a fully known shape (what `keras.Model.__call__` does in
    eager mode, one layer at a time, so that the failing node is known).
Either one raising, changing the batch size (Concatenate on the batch axis: 3 + 3 -> 6), or giving a shape
other than the one Keras declared (activation 'glu' halves the last axis without saying so) is a failure of
that node; nodes after it are blocked.

Each node is traced from its sources' declared shapes, not from the upstream traces: those may know more than
Keras declares (an Add of an unknown size with a 2 gives 2 at run time, while Keras declares None), and neither
Keras's shapes nor ours carry that. A failure that only such hidden sizes reveal is out of reach of both; with
fully known Inputs the eager pass has no such gap, since every declared size is then known.

Where sizes are unknown, the trace cannot see every failure (TensorFlow checks a Reshape's sizes only when
one input size is unknown). Where we report an error that the trace does not confirm (`suspects`), the node is
run alone on zeros with every combination of small sizes for its unknown dims: if every one fails (or gives an
empty tensor, see below), no real data can go through it, and Keras confirms the error.

Attention and AdditiveAttention on (batch, features) tensors build and run, but each query is scored against
the keys of every sample in the batch (samples mix, the result depends on the batch): a failure of that node.

One more rule of ours, documented in shape_rules.concatenate_shape: a Concatenate with a single input must have
an axis that would work with two (Keras passes one input through whatever the axis, even one out of range),
because the node fails as soon as a second branch is wired in. The oracle checks it by concatenating the input
with itself.

And one more: a node whose output has a size of 0 (a 'same' Conv2DTranspose with output_padding=0 on a 1x1
input: Keras declares (None, 0, 0, filters) and runs it on zeros) fails here: nothing can flow through an
empty tensor, so we report an error there, as we do for zero sizes in params.

Keras is passed in (the session-scoped `keras` fixture), so importing this module imports no TensorFlow.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx
import numpy as np

from builder.catalog.specs import CATALOG
from builder.keras.wrappers import keras_arguments

# 3, not 2: the generators draw many sizes of 2, and a per-channel array of 2 values on a rank-1 tensor then
# broadcast against a batch of 2 (Rescaling's scale on (None,)): a model that fails on any other batch passed.
BATCH = 3
OTHER_BATCH = 5  # a second batch size, for layers on (batch,) tensors (see _judge_node)


@dataclass
class KerasNode:
    status: str  # "ok", "error" (Keras refuses this node) or "blocked" (a source failed)
    shape: tuple | None = None  # the symbolic output shape, batch included, None for unknown dims
    trainable: int = 0
    non_trainable: int = 0
    count: int = 0  # layer.count_params()
    reason: str = ""  # what Keras said, for failure reports
    ran: bool = False  # a forward pass on zeros went through this node


def keras_kwargs(params: dict) -> dict:
    """Stored params as Keras takes them: JSON lists become tuples."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


def sources_of(graph, node) -> list[str]:
    wires = sorted(graph.in_edges(node, data="port"), key=lambda e: e[2])
    return [u for u, _v, _p in wires]


def judge(keras, graph: nx.MultiDiGraph, suspects=frozenset()) -> tuple[dict[str, KerasNode], dict]:
    """(node -> KerasNode, node -> keras layer) for every node of an acyclic graph. `suspects`: nodes where
    we report an error, which are tried at every small size when the trace alone accepts them."""
    verdict: dict[str, KerasNode] = {}
    tensors = _Tensors()
    layers: dict = {}
    for node in nx.topological_sort(graph):
        verdict[node] = _judge_node(keras, graph, node, tensors, layers, node in suspects)
    return verdict, layers


class _Tensors:
    """What each node gives so far, in the three forms the oracle runs."""

    def __init__(self):
        self.symbolic = {}  # node -> KerasTensor, batch unknown (as the model declares it)
        self.batched = {}  # node -> a placeholder of its declared shape, with a batch of BATCH
        self.concrete = {}  # node -> eager output on zeros, where every Input upstream has a known shape


def _judge_node(keras, graph, node, tensors, layers, suspect) -> KerasNode:
    layer_name = graph.nodes[node]["layer"]
    params = keras_kwargs(graph.nodes[node].get("params") or {})
    if layer_name == "Input":
        return _judge_input(keras, node, params, tensors)
    if layer_name.startswith("ops."):
        return _judge_op(keras, graph, node, tensors, suspect)
    try:
        # Built first, before looking at the sources: Keras refuses bad constructor arguments whatever
        # arrives, so such a node has an error of its own even when its sources are blocked.
        layer = getattr(keras.layers, layer_name)(name=node, **keras_arguments(keras, CATALOG[layer_name], params))
    except Exception as exc:  # noqa: BLE001 - any refusal by Keras is the verdict
        return KerasNode("error", reason=f"constructor: {type(exc).__name__}: {exc}")
    layers[node] = layer
    sources = sources_of(graph, node)
    if not sources:
        return KerasNode("error", reason="a layer with no input cannot be called")
    if any(s not in tensors.symbolic for s in sources):
        return KerasNode("blocked")
    spec = CATALOG[layer_name]
    # Merges and Attention take a list; MultiHeadAttention takes its tensors as arguments (query, value, key).
    spread = spec.call_style == "arguments"
    merge = spec.is_merge or spec.call_style == "list" or spread
    feed = (lambda values: values) if merge else (lambda values: values[0])
    call = (lambda values: layer(*values)) if spread else layer
    try:
        out = call(feed([tensors.symbolic[s] for s in sources]))
    except Exception as exc:  # noqa: BLE001
        return KerasNode("error", reason=f"symbolic call: {type(exc).__name__}: {exc}")
    shape = tuple(out.shape)
    if shape[0] is not None:
        # A declared batch size: the layer read the batch axis as data (CenterCrop on a rank-3 tensor takes it
        # for an image's height), so the model would give another number of samples than it was given.
        return KerasNode("error", reason=f"symbolic call declared a fixed batch size {shape}: the batch axis read "
                                         "as data")
    if spec.call_style == "list" and any(len(tensors.symbolic[s].shape) < 3 for s in sources):
        # Attention on (batch, features) builds and runs, but multiplies each query with the keys of every
        # sample in the batch: samples mix, so the answer depends on the batch. Counted as a failure here.
        return KerasNode("error", reason="attention over rank-2 tensors attends across the samples of the batch")
    if layer_name == "MultiHeadAttention" and _attends_outside(params.get("attention_axes"), shape):
        # Keras runs attention over the batch or the heads its projection adds (attention_axes=0, or 3 on a
        # rank-4 query) without a word: samples or heads mix. Counted as a failure here, as for rank-2 Attention.
        return KerasNode("error", reason="attention_axes outside the axes between the batch and the features")
    if 0 in shape[1:]:
        return KerasNode("error", reason=f"symbolic call gave an empty tensor {shape}: no data can flow on")
    result = KerasNode("ok", shape, _size(layer.trainable_weights), _size(layer.non_trainable_weights),
                       layer.count_params())
    failure = _run(_traced(layer, spread), feed([tensors.batched[s] for s in sources]), shape, {}, node,
                   f"graph-mode trace with a batch of {BATCH}")
    if not failure and any(len(tensors.symbolic[s].shape) == 1 for s in sources):
        # On a (batch,) tensor the last axis is the batch axis: a per-channel array of BATCH values (Rescaling's
        # scale) broadcasts against the batch and works for this batch size only. Another batch size tells.
        other = [keras.Input(shape=tuple(tensors.symbolic[s].shape)[1:], batch_size=OTHER_BATCH) for s in sources]
        failure = _run(_traced(layer, spread), feed(other), shape, {}, node,
                       f"graph-mode trace with a batch of {OTHER_BATCH}", batch=OTHER_BATCH)
    inner = params.get("layer") if layer_name == "TimeDistributed" else None
    if not failure and isinstance(inner, dict) and (inner.get("params") or {}).get("rate"):
        # TimeDistributed calls its layer's call() directly, past the layer's input check: a SpatialDropout on
        # steps of another rank passes them through when predicting and fails in training, where dropout acts
        # (its noise shape reads an axis the step lacks, or lines the batch up with a step axis, which works
        # only when that size happens to equal the batch size). A dropout inside is traced in training too.
        failure = _fails_in_training(layer, tuple(tensors.symbolic[sources[0]].shape), shape, suspect)
    if not failure and layer_name == "Concatenate" and len(sources) == 1:
        twice = keras.layers.Concatenate(**params)
        failure = _run(twice, [tensors.batched[sources[0]]] * 2, None, {}, node, "the input concatenated twice")
    return _conclude(keras, node, sources, tensors, out, result, failure, call, merge, suspect)


def _judge_op(keras, graph, node, tensors, suspect) -> KerasNode:
    """An op node: its keras.ops function called on its sources (as builder.keras.op_build spells the call), with
    the layers' rules (batch size kept and declared unknown, no empty tensor, the trace and the run on zeros),
    and one more: tensors that meet with different ranks, or a matmul of 2D tensors, broadcast or multiply the
    batch axis against a feature axis (samples mix, as attention over rank-2 tensors): a failure."""
    from keras.src.backend import compute_output_spec

    from builder.catalog.ops import op_spec
    from builder.keras.op_build import build_op
    from builder.keras.plan import Step

    data = graph.nodes[node]
    sources = sources_of(graph, node)
    if not sources:
        return KerasNode("error", reason="an op with no tensor cannot be called")
    if any(s not in tensors.symbolic for s in sources):
        return KerasNode("blocked")
    step = Step(node, op_spec(data["layer"]), dict(data.get("params") or {}), tuple(sources),
                dict(data.get("config") or {}))

    def call(values):
        return build_op(keras, step, dict(zip(sources, values)))

    ranks = {len(tensors.symbolic[s].shape) for s in sources}
    try:
        out = call([tensors.symbolic[s] for s in sources])
    except Exception as exc:  # noqa: BLE001 - any refusal by Keras is the verdict
        return KerasNode("error", reason=f"symbolic call: {type(exc).__name__}: {exc}")
    shape = tuple(out.shape)
    if not shape or shape[0] is not None:
        return KerasNode("error", reason=f"symbolic call declared {shape}: the batch axis is gone or fixed")
    if len(ranks) > 1 or (step.spec.op == "matmul" and min(ranks) < 3):
        return KerasNode("error", reason="tensors of different ranks (or 2D matrices) meet across the batch axis")
    if 0 in shape[1:]:
        return KerasNode("error", reason=f"symbolic call gave an empty tensor {shape}: no data can flow on")
    result = KerasNode("ok", shape)
    traced = lambda values: compute_output_spec(lambda *v: call(list(v)), *values)
    failure = _run(traced, [tensors.batched[s] for s in sources], shape, {}, node,
                   f"graph-mode trace with a batch of {BATCH}")
    if not failure and step.spec.op == "concatenate" and len(sources) == 1:  # as for the Concatenate layer
        axis = step.params.get("axis", 0)
        failure = _run(lambda v: keras.ops.concatenate(v, axis=axis), [tensors.batched[sources[0]]] * 2, None, {},
                       node, "the input concatenated twice")
    return _conclude(keras, node, sources, tensors, out, result, failure, call, True, suspect)


def _conclude(keras, node, sources, tensors, out, result: KerasNode, failure: str | None, call, merge: bool,
              suspect: bool) -> KerasNode:
    """The last steps of judging a layer or an op node that Keras built and the trace accepted (`failure` says
    whether the checks so far failed): the forward pass on zeros where every Input upstream has a known shape,
    every small size for a suspect that no run confirmed, then the verdict, and the node's tensors kept for the
    nodes after it. `merge`: `call` takes the list of its sources' values (else the first one alone)."""
    feed = (lambda values: values) if merge else (lambda values: values[0])
    if not failure and all(s in tensors.concrete for s in sources):
        failure = _run(call, feed([tensors.concrete[s] for s in sources]), result.shape, tensors.concrete, node,
                       "forward pass")
        result.ran = not failure
    if not failure and suspect and not result.ran:
        failure = _fails_at_every_size(call, merge, [tuple(tensors.symbolic[s].shape) for s in sources])
    if failure:
        return KerasNode("error", reason=failure)
    tensors.symbolic[node] = out
    tensors.batched[node] = keras.Input(shape=result.shape[1:], batch_size=BATCH)
    return result


def _judge_input(keras, node, params, tensors) -> KerasNode:
    try:
        tensor = keras.Input(shape=params["shape"], name=node)
        tensors.batched[node] = keras.Input(shape=params["shape"], batch_size=BATCH)
    except Exception as exc:  # noqa: BLE001
        return KerasNode("error", reason=f"Input: {type(exc).__name__}: {exc}")
    tensors.symbolic[node] = tensor
    if None not in params["shape"]:
        tensors.concrete[node] = np.zeros((BATCH, *params["shape"]), dtype="float32")
    return KerasNode("ok", tuple(tensor.shape), ran=node in tensors.concrete)


def _traced(layer, spread=False):
    """The layer's own computation traced in a TensorFlow graph (what `Model.predict` runs), rather than the
    shape it declares: this sees what really happens even where sizes are unknown. `spread`: the layer takes
    its tensors as arguments (MultiHeadAttention), not as one list."""
    from keras.src.backend import compute_output_spec  # the tracing Keras itself uses for layers without a rule

    if spread:
        return lambda values: compute_output_spec(layer.call, *values)
    return lambda value: compute_output_spec(layer.call, value)


def _run(layer, value, declared: tuple | None, store: dict, node, what: str, batch: int = BATCH) -> str | None:
    """Call the layer on batch-2 data; a message if that fails, changes the batch size, or gives another
    shape than the declared one (None: only the batch size is checked)."""
    try:
        out = layer(value)
    except Exception as exc:  # noqa: BLE001
        return f"{what}: {type(exc).__name__}: {exc}"
    actual = tuple(out.shape)
    if actual[0] != batch:
        return f"{what} changed the batch size from {batch} to {actual[0]}"
    # A size that the trace leaves unknown is no disagreement: TensorFlow loses some static sizes (a dilated
    # 'same' convolution goes through space_to_batch), and the run itself would still work.
    if declared is not None and (len(actual) != len(declared) or
                                 any(None not in (d, a) and d != a for d, a in zip(declared, actual))):
        return f"{what} gave shape {actual}, but Keras declared {declared}"
    store[node] = out
    return None


SMALL_SIZES = {1: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16), 2: (1, 2, 3, 4, 5, 6, 8, 12), 3: (1, 2, 3, 4, 6),
               4: (1, 2, 3, 4)}


def _fails_at_every_size(layer, merge: bool, declared: list[tuple]) -> str | None:
    """A message if the layer fails on zeros for every combination of small sizes in place of the unknown
    ones (each input on its own, which includes every consistent choice); None if one works."""
    unknown = [(i, axis) for i, shape in enumerate(declared) for axis, d in enumerate(shape) if axis and d is None]
    if not unknown or len(unknown) > max(SMALL_SIZES):
        return None
    for sizes in itertools.product(SMALL_SIZES[len(unknown)], repeat=len(unknown)):
        shapes = [[BATCH if axis == 0 else d for axis, d in enumerate(shape)] for shape in declared]
        for (i, axis), size in zip(unknown, sizes):
            shapes[i][axis] = size
        values = [np.zeros(shape, dtype="float32") for shape in shapes]
        try:
            out = layer(values if merge else values[0])
        except Exception:  # noqa: BLE001, S112 - this size fails; try the next one
            continue
        if out.shape[0] == BATCH and 0 not in tuple(out.shape)[1:]:
            return None  # an empty output (a size of 0) is a failure here too, as in _judge_node
    return f"fails on zeros at every size tried for its unknown dims {declared} (or gives an empty tensor)"


TRAINING_SIZES = (1, 2, 3, 4)  # fewer than SMALL_SIZES: a trace in training is slower than a run on zeros


def _fails_in_training(layer, declared: tuple, out: tuple, suspect: bool) -> str | None:
    """A message if the layer's graph-mode trace in training fails, or gives another shape than `out`, at a
    batch of BATCH or of OTHER_BATCH (a layer that works at one batch size only is a failure). Where the input
    has unknown sizes and we report an error (`suspect`), every combination of small sizes is tried: one that
    works at both batch sizes means the layer can train. The layer is a TimeDistributed: an unknown number of
    steps (axis 1) is taken as 2, since each step goes through the wrapped layer alone."""
    from keras.src.backend import compute_output_spec

    if len(declared) > 1 and declared[1] is None:
        declared = (declared[0], 2, *declared[2:])
    unknown = [axis for axis, d in enumerate(declared) if axis and d is None]
    if not suspect or len(unknown) > 4:  # 4 ** 4 traces at most, only for a node we refuse
        unknown = []
    first = None
    for sizes in itertools.product(TRAINING_SIZES, repeat=len(unknown)):
        failure = None
        for batch in (BATCH, OTHER_BATCH):
            shape = [batch if axis == 0 else d for axis, d in enumerate(declared)]
            for axis, size in zip(unknown, sizes):
                shape[axis] = size
            try:
                traced = tuple(compute_output_spec(layer.call, _spec(shape), training=True).shape)
            except Exception as exc:  # noqa: BLE001
                failure = f"graph-mode trace in training with input {tuple(shape)}: {type(exc).__name__}: {exc}"
                break
            expected = (batch, *out[1:])
            if len(traced) != len(expected) or any(None not in (d, a) and d != a for d, a in zip(expected, traced)):
                failure = f"graph-mode trace in training with input {tuple(shape)} gave {traced}, not {expected}"
                break
        if failure is None:
            return None
        first = first or failure
    return first


def _spec(shape):
    from keras import KerasTensor

    return KerasTensor(tuple(shape), dtype="float32")


def _attends_outside(axes, shape) -> bool:
    if axes is None:
        return False
    rank = len(shape)
    return any(not 1 <= (a + rank if a < 0 else a) <= rank - 2 for a in ((axes,) if isinstance(axes, int) else axes))


def _size(weights) -> int:
    return sum(int(np.prod(w.shape)) for w in weights)
