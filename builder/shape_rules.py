"""Shape and weight-count rules, one pair per layer, agreeing with Keras 3 (channels_last).

A shape rule takes (params, inputs) where inputs is a list of Arriving(source, shape) in port order, shapes
include the batch dim and use None for unknown sizes. It returns the output shape or raises ShapeError with a
message that says what was expected, what arrived from which node, and how to fix it. A weight rule returns
(trainable, non_trainable) counts as Keras's `count_params` would report them.

Where Keras builds a graph that would then fail on real data (Concatenate's lenient size-1 check, a 'glu'
activation on an odd size), the rule refuses it: a model that cannot run is an error here.
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
    a, b = _as_pair(value)
    return f"{a}×{b}"


def check_activation(activation, shape, what: str):
    """'glu' halves the last axis, so that axis must have an even (or unknown) size."""
    if activation == "glu" and shape[-1] is not None and shape[-1] % 2:
        raise ShapeError(f"activation 'glu' splits the last axis in two halves, but {what} has an odd size "
                         f"{shape[-1]}; use an even size or another activation")


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
    check_activation(params["activation"], out, f"its output {fmt(out)}")
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


def conv2d_shape(params, inputs):
    (x,) = inputs
    _need_rank(x, "Conv2D", 4, "(batch, height, width, channels)",
               "give the Input a shape like [28, 28, 1], or Reshape to [h, w, c] first")
    channels, groups, filters = x.shape[3], params["groups"], params["filters"]
    kernel, strides = _as_pair(params["kernel_size"]), _as_pair(params["strides"])
    dilation = _as_pair(params["dilation_rate"])
    if max(strides) > 1 and max(dilation) > 1:
        raise ShapeError(f"Conv2D cannot combine strides {_pair_text(strides)} with dilation_rate "
                         f"{_pair_text(dilation)}; set one of them to 1")
    if filters % groups:
        raise ShapeError(f"Conv2D needs filters divisible by groups, but filters={filters} and "
                         f"groups={groups}; choose filters as a multiple of {groups}")
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
    check_activation(params["activation"], out, f"its output {fmt(out)}")
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
    check_activation(params["activation"], x.shape, f"the input from {x.source} {fmt(x.shape)}")
    return x.shape


def _axis_index(axis: int, rank: int):
    return axis + rank if axis < 0 else axis


def batch_normalization_shape(params, inputs):
    (x,) = inputs
    axis, rank = params["axis"], len(x.shape)
    if not -rank <= axis < rank:
        raise ShapeError(f"BatchNormalization axis={axis} is out of range for the {rank}D input; {_by(x)}; "
                         f"use an axis from {-rank} to {rank - 1} (usually -1, the channels)")
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
    if None in rest:
        return (x.shape[0], *(None if d == -1 else d for d in target))
    size = math.prod(rest)
    known = math.prod(d for d in target if d != -1)
    if -1 in target:
        if size % known:
            raise ShapeError(f"Reshape cannot fit {size} values ({fmt(rest)} from {x.source}) into "
                             f"{fmt(target)}: {size} is not a multiple of {known}; change target_shape")
        target = tuple(size // known if d == -1 else d for d in target)
    elif known != size:
        raise ShapeError(f"Reshape needs target_shape to hold as many values as its input, but {x.source} gives "
                         f"{fmt(rest)} = {size} values and {fmt(target)} holds {known}; change target_shape "
                         "(a -1 lets Keras compute one size)")
    return (x.shape[0], *target)


# ---- Merging ------------------------------------------------------------------------------------------------

def concatenate_shape(params, inputs):
    first, axis = inputs[0], params["axis"]
    rank = len(first.shape)
    for other in inputs[1:]:
        if len(other.shape) != rank:
            raise ShapeError(f"Concatenate needs inputs of the same rank, but {_by(first)} and {_by(other)}; "
                             "Flatten or Reshape one of them first")
    if not -rank <= axis < rank:
        raise ShapeError(f"Concatenate axis={axis} is out of range for {rank}D inputs ({_by(first)}); use an "
                         f"axis from {1 - rank} to {rank - 1} (usually -1)")
    at = _axis_index(axis, rank)
    if at == 0:
        raise ShapeError(f"Concatenate axis={axis} is the batch axis: it would join samples, not features, "
                         "and change the batch size; use axis=-1 (or another feature axis)")
    for other in inputs[1:]:
        for i, (a, b) in enumerate(zip(first.shape, other.shape)):
            if i != at and a is not None and b is not None and a != b:
                raise ShapeError(
                    f"Concatenate needs equal sizes except on axis {axis}, but {_by(first)} and {_by(other)}; "
                    f"{_concat_fix(first, other)}")
    # Like Keras: the other axes come from the first input; the joined axis is the sum (unknown if any is).
    sizes = [inp.shape[at] for inp in inputs]
    joined = None if None in sizes else sum(sizes)
    return (*first.shape[:at], joined, *first.shape[at + 1:])


def _concat_fix(first: Arriving, other: Arriving) -> str:
    if len(first.shape) == 4:
        return "set padding='same' on both branches, or crop or pool the larger one"
    return "make the other sizes equal (Reshape, Dense, or pooling), or concatenate on the axis that differs"


def add_shape(params, inputs):
    """Keras's element-wise merge: shapes align from the right; size 1 broadcasts; unknown stays unknown."""
    out = inputs[0].shape[1:]
    for other in inputs[1:]:
        a, b = out, other.shape[1:]
        if len(a) < len(b):
            a, b = b, a
        merged = list(a[: len(a) - len(b)])
        for i, j in zip(a[len(a) - len(b):], b):
            if i is None or j is None:
                merged.append(None)
            elif i == 1 or j == 1 or i == j:
                merged.append(j if i == 1 else i)
            else:
                raise ShapeError(f"Add needs equal shapes (or size 1 to broadcast), but {_by(inputs[0])} and "
                                 f"{_by(other)}; make the sizes equal, e.g. with a Dense or a 1×1 Conv2D")
        out = tuple(merged)
    return (None, *out)


def no_weights(params, inputs, out):
    return 0, 0
