"""Shape and weight-count rules, one pair per layer, agreeing with Keras 3 (channels_last).

A shape rule takes (params, inputs) where inputs is a list of Arriving(source, shape) in port order, shapes
include the batch dim and use None for unknown sizes. It returns the output shape or raises ShapeError with a
message that says what was expected, what arrived from which node, and how to fix it. A weight rule returns
(trainable, non_trainable) counts as Keras's `count_params` would report them.

Where Keras builds a graph that would then fail on real data, or run with other shapes than it declares
(Concatenate along the batch axis, a 'glu' activation, a Reshape that no input size can fit), the rule refuses
it: a model that cannot run as declared is an error here. tests/builder/test_keras_agreement.py checks every
rule against real Keras on generated graphs.
"""

from __future__ import annotations

import math
from typing import NamedTuple


class ShapeError(ValueError):
    """The inputs arriving at a node cannot go through its layer."""


class Arriving(NamedTuple):
    source: str
    shape: tuple


def fmt(shape) -> str:
    if shape is None:
        return "unknown"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _by(inp: Arriving) -> str:
    return f"{inp.source} gives {fmt(inp.shape)}"


def _need_rank(inp: Arriving, layer: str, rank: int, what: str, fix: str):
    if len(inp.shape) != rank:
        raise ShapeError(f"{layer} needs a {rank}D tensor {what}, but {_by(inp)}; {fix}")


def _as_pair(value) -> tuple:
    return (value, value) if isinstance(value, int) else tuple(value)


def _pair_text(value) -> str:
    """3×3 for a pair, or one number; also a 1D layer's one-item list ([2] -> 2)."""
    return "×".join(str(v) for v in _as_pair(value))


def check_activation(layer: str, activation, shape, what: str):
    """'glu' splits the last axis into two halves and returns their product, so its output has half the size.
    Keras 3's layers still declare the full size, and it needs that size known (it checks it is even while
    tracing): whatever the size, a model using it has wrong shapes or does not run. So it is refused."""
    if activation != "glu":
        return
    size = shape[-1]
    if size is None:
        problem = f"{what} has an unknown size there, and Keras cannot check it is even, so the model does not run"
    elif size % 2:
        problem = f"{what} has an odd size {size}, which cannot be split in two"
    else:
        problem = (f"{layer} still declares size {size} for {what}, while the run gives {size // 2}, so layers "
                   "after it would be built for the wrong size")
    raise ShapeError(f"activation 'glu' halves the last axis, but {problem}; use another activation, such as "
                     "'gelu' or 'silu'")


# ---- Input -------------------------------------------------------------------------------------------------

def input_shape(params, inputs):
    return (None, *params["shape"])


# ---- Dense ---------------------------------------------------------------------------------------------------

def dense_shape(params, inputs):
    (x,) = inputs
    if len(x.shape) < 2:
        raise ShapeError(f"Dense needs a tensor with a feature axis (batch, features), but {_by(x)}; "
                         "give the Input a shape such as [16]")
    if x.shape[-1] is None:
        raise ShapeError(f"Dense needs a known size on the last axis, but {_by(x)}; set that size in the "
                         "Input shape, or use GlobalAveragePooling2D instead of Flatten on images of unknown size")
    out = (*x.shape[:-1], params["units"])
    check_activation("Dense", params["activation"], out, f"its output {fmt(out)}")
    return out


def dense_weights(params, inputs, out):
    n_in, units = inputs[0].shape[-1], params["units"]
    return n_in * units + (units if params["use_bias"] else 0), 0


# ---- Conv2D and pooling ---------------------------------------------------------------------------------------

def _window_out(size, window, stride, padding, dilation=1):
    """Output length of a sliding window along one axis, as Keras computes it; None stays None."""
    if size is None:
        return None
    if padding == "same":
        return (size - 1) // stride + 1
    return (size - dilation * (window - 1) - 1) // stride + 1


def conv2d_params(params):
    """Params that do not go together, whatever the input (Keras's constructor refuses them)."""
    strides, dilation = _as_pair(params["strides"]), _as_pair(params["dilation_rate"])
    if max(strides) > 1 and max(dilation) > 1:
        raise ShapeError(f"Conv2D cannot combine strides {_pair_text(strides)} with dilation_rate "
                         f"{_pair_text(dilation)}; set one of them to 1")
    filters, groups = params["filters"], params["groups"]
    if filters % groups:
        raise ShapeError(f"Conv2D needs filters divisible by groups, but filters={filters} and "
                         f"groups={groups}; choose filters as a multiple of {groups}")


def conv2d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "Conv2D", 4, "(batch, height, width, channels)",
               "give the Input a shape like [28, 28, 1], or Reshape to [h, w, c] first")
    channels, groups, filters = x.shape[3], params["groups"], params["filters"]
    kernel, strides = _as_pair(params["kernel_size"]), _as_pair(params["strides"])
    dilation = _as_pair(params["dilation_rate"])
    if channels is None:
        raise ShapeError(f"Conv2D needs a known number of channels, but {_by(x)}; set the channel count "
                         "in the Input shape")
    if channels % groups:
        raise ShapeError(f"Conv2D with groups={groups} needs input channels divisible by {groups}, but "
                         f"{_by(x)} ({channels} channels); change groups or the channel count")
    padding = params["padding"]
    spatial = tuple(_window_out(s, k, st, padding, d) for s, k, st, d in zip(x.shape[1:3], kernel, strides, dilation))
    if any(s is not None and s <= 0 for s in spatial):
        reach = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
        raise ShapeError(f"Conv2D's {_pair_text(reach)} window does not fit in the {fmt(x.shape[1:3])} input "
                         f"from {x.source} with padding='valid'; set padding='same', use a smaller kernel or "
                         "dilation, or a larger input")
    out = (x.shape[0], *spatial, filters)
    check_activation("Conv2D", params["activation"], out, f"its output {fmt(out)}")
    return out


def conv2d_weights(params, inputs, out):
    kh, kw = _as_pair(params["kernel_size"])
    per_filter = kh * kw * (inputs[0].shape[3] // params["groups"])
    filters = params["filters"]
    return per_filter * filters + (filters if params["use_bias"] else 0), 0


def _pooling_shape(layer):
    def rule(params, inputs):
        (x,) = inputs
        _need_rank(x, layer, 4, "(batch, height, width, channels)",
                   "pool feature maps from a Conv2D, or Reshape to [h, w, c] first")
        pool = _as_pair(params["pool_size"])
        strides = pool if params["strides"] is None else _as_pair(params["strides"])
        spatial = tuple(_window_out(s, p, st, params["padding"]) for s, p, st in zip(x.shape[1:3], pool, strides))
        if any(s is not None and s <= 0 for s in spatial):
            raise ShapeError(f"{layer}'s {_pair_text(pool)} pool does not fit in the {fmt(x.shape[1:3])} input "
                             f"from {x.source} with padding='valid'; set padding='same' or use a smaller pool_size")
        return (x.shape[0], *spatial, x.shape[3])
    return rule


max_pooling2d_shape = _pooling_shape("MaxPooling2D")
average_pooling2d_shape = _pooling_shape("AveragePooling2D")


def global_average_pooling2d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "GlobalAveragePooling2D", 4, "(batch, height, width, channels)",
               "use it on feature maps from a Conv2D or pooling layer")
    return (x.shape[0], 1, 1, x.shape[3]) if params["keepdims"] else (x.shape[0], x.shape[3])


# ---- Shape-preserving layers ----------------------------------------------------------------------------------

def same_shape(params, inputs):
    (x,) = inputs
    return x.shape


def activation_shape(params, inputs):
    (x,) = inputs
    check_activation("Activation", params["activation"], x.shape, f"the input {fmt(x.shape)} from {x.source}")
    return x.shape


def _axis_index(axis: int, rank: int):
    return axis + rank if axis < 0 else axis


def batch_normalization_shape(params, inputs):
    (x,) = inputs
    axis, rank = params["axis"], len(x.shape)
    if not -rank <= axis < rank:
        raise ShapeError(f"BatchNormalization axis={axis} is out of range for the {rank}D input, as {_by(x)}; "
                         f"use an axis from {1 - rank} to {rank - 1} (usually -1, the channels)")
    if x.shape[axis] is None:
        what = "the batch axis" if _axis_index(axis, rank) == 0 else f"axis {axis}"
        raise ShapeError(f"BatchNormalization needs a known size on {what}, but {_by(x)}; "
                         "normalise the channels axis (-1) or set that size in the Input shape")
    return x.shape


def batch_normalization_weights(params, inputs, out):
    size = inputs[0].shape[params["axis"]]
    trainable = size * (int(params["center"]) + int(params["scale"]))
    return trainable, 2 * size  # moving mean and moving variance are not trained


# ---- Reshaping ----------------------------------------------------------------------------------------------

def flatten_shape(params, inputs):
    (x,) = inputs
    rest = x.shape[1:]
    size = None if None in rest else math.prod(rest)
    return (x.shape[0], size)


def reshape_shape(params, inputs):
    (x,) = inputs
    target = tuple(params["target_shape"])
    rest = x.shape[1:]
    known = math.prod(d for d in target if d != -1)
    if None in rest:
        # The input holds a multiple of its known sizes' product, whatever the unknown ones turn out to be;
        # without a -1, a target that is not such a multiple fails on every batch. (TensorFlow's own check
        # sees this only when one size is unknown; the rule holds for any number of them.)
        factor = math.prod(d for d in rest if d is not None)
        if -1 not in target and known % factor:
            raise ShapeError(f"Reshape needs target_shape to hold as many values as its input, but {_by(x)}, a "
                             f"multiple of {factor} values per sample whatever the unknown sizes, and "
                             f"{fmt(target)} holds {known}; change target_shape (a -1 lets Keras compute one size)")
        return (x.shape[0], *(None if d == -1 else d for d in target))
    size = math.prod(rest)
    if -1 in target:
        if size % known:
            raise ShapeError(f"Reshape needs the sizes in target_shape to divide its input, but {_by(x)}, {size} "
                             f"values per sample, which is not a multiple of {known} (the sizes of {fmt(target)} "
                             "other than -1); change target_shape")
        target = tuple(size // known if d == -1 else d for d in target)
    elif known != size:
        raise ShapeError(f"Reshape needs target_shape to hold as many values as its input, but {_by(x)}, {size} "
                         f"values per sample, and {fmt(target)} holds {known}; change target_shape (a -1 lets "
                         "Keras compute one size)")
    return (x.shape[0], *target)


# ---- Merging ------------------------------------------------------------------------------------------------

def _conflict(inputs, sizes_at) -> tuple[Arriving, Arriving] | None:
    """Two inputs with different known sizes at some position (sizes_at(input) -> sizes by position, None
    where the position is skipped or unknown). Every pair counts, not just pairs with the first input: an
    unknown size in between does not reconcile a 2 with a 6, and Keras's build and TensorFlow agree."""
    seen: dict[int, Arriving] = {}
    for inp in inputs:
        for position, size in enumerate(sizes_at(inp)):
            if size is None:
                continue
            holder = seen.setdefault(position, inp)
            if sizes_at(holder)[position] != size:
                return holder, inp
    return None


def concatenate_shape(params, inputs):
    first, axis = inputs[0], params["axis"]
    rank = len(first.shape)
    for other in inputs[1:]:
        if len(other.shape) != rank:
            raise ShapeError(f"Concatenate needs inputs of the same rank, but {_by(first)} and {_by(other)}; "
                             "Flatten or Reshape one of them first")
    # Checked even with a single input, which Keras passes through whatever the axis: the axis is wrong all
    # the same, and the node would fail as soon as a second branch is connected.
    if not -rank <= axis < rank:
        raise ShapeError(f"Concatenate axis={axis} is out of range for {rank}D inputs ({_by(first)}); use an "
                         f"axis from {1 - rank} to {rank - 1} (usually -1)")
    at = _axis_index(axis, rank)
    if at == 0:
        # Keras builds it, but the model then returns more samples than it was given.
        raise ShapeError(f"Concatenate axis={axis} is the batch axis: it would join samples, not features, "
                         "and change the batch size; use axis=-1 (or another feature axis)")
    clash = _conflict(inputs, lambda inp: [None if i == at else d for i, d in enumerate(inp.shape)])
    if clash:
        a, b = clash
        raise ShapeError(f"Concatenate needs equal sizes except on axis {axis}, but {_by(a)} and {_by(b)}; "
                         f"{_concat_fix(a, b)}")
    # Like Keras: the other axes come from the first input; the joined axis is the sum (unknown if any is).
    sizes = [inp.shape[at] for inp in inputs]
    joined = None if None in sizes else sum(sizes)
    return (*first.shape[:at], joined, *first.shape[at + 1:])


def _concat_fix(first: Arriving, other: Arriving) -> str:
    if len(first.shape) == 4:
        return "set padding='same' on both branches, or crop or pool the larger one"
    return "make the other sizes equal (Reshape, Dense, or pooling), or concatenate on the axis that differs"


def elementwise_shape(layer: str, exactly: int | None = None):
    """Keras's element-wise merges (Add, Multiply, Average, Maximum, Subtract): shapes align from the right (a
    shorter one gains size-1 axes after the batch axis); size 1 broadcasts; unknown stays unknown."""
    def rule(params, inputs):
        if exactly is not None and len(inputs) != exactly:
            got = ", ".join(_by(inp) for inp in inputs)
            raise ShapeError(f"{layer} needs exactly {exactly} inputs (the first minus the second), but "
                             f"{len(inputs)} arrive: {got}; connect exactly two tensors")
        rank = max(len(inp.shape) for inp in inputs)

        def aligned(inp):  # per sample, right-aligned, size 1 counting as no constraint
            dims = [None] * (rank - len(inp.shape)) + list(inp.shape[1:])
            return [None if d == 1 else d for d in dims]

        clash = _conflict(inputs, aligned)
        if clash:
            a, b = clash
            raise ShapeError(f"{layer} needs equal shapes (or size 1 to broadcast), but {_by(a)} and {_by(b)}; "
                             "make the sizes equal, e.g. with a Dense or a 1×1 Conv2D")
        # The declared shape folds the inputs pairwise, as Keras does: once a size is unknown it stays unknown.
        out = inputs[0].shape[1:]
        for other in inputs[1:]:
            a, b = out, other.shape[1:]
            if len(a) < len(b):
                a, b = b, a
            merged = list(a[: len(a) - len(b)])
            for i, j in zip(a[len(a) - len(b):], b):
                merged.append(None if i is None or j is None else j if i == 1 else i)
            out = tuple(merged)
        return (None, *out)
    return rule


add_shape = elementwise_shape("Add")


def no_weights(params, inputs, out):
    return 0, 0
