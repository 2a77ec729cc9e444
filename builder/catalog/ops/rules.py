"""Shape rules of the keras.ops operations that functional models use most, as Keras's `compute_output_spec`
gives them (keras/src/ops/numpy.py, nn.py, core.py, operation_utils.py), with one rule of the house on top:
the batch axis stays the first axis and passes through untouched. Keras builds an op that joins, reduces, moves
or broadcasts across the batch axis, but the model then returns another number of samples than it was given,
or mixes samples (tests/builder/keras_oracle.py counts both as failures, as it does for the layers).

Ops have no weights (rules.no_weights). A rule takes (params, inputs) like every catalog rule
(builder/catalog/rules/__init__.py); the operands of a binary op are its wires and the numbers set as params
(`operands`), in the order of Keras's arguments.

Part of the op catalog (builder/catalog/ops/).
"""

from __future__ import annotations

import math

from builder.catalog.rules.common import Arriving, ShapeError, as_one, axis_index, by, fmt
from builder.catalog.rules.merging import _conflict
from builder.catalog.rules.softmax_rank import check_softmax_rank


def _op(name: str) -> str:
    return f"keras.ops.{name}"


def operands(name: str, params: dict, inputs: list, names: tuple) -> list:
    """The operands of a binary op in Keras's order: a number where a param gives one, else the next wire."""
    wires = iter(inputs)
    given = [params.get(n) for n in names]
    constants = sum(v is not None for v in given)
    if constants + len(inputs) != len(names):
        got = ", ".join(by(inp) for inp in inputs) or "no tensor arrives"
        set_ = [f"{n}={params[n]!r}" for n in names if params.get(n) is not None]
        also = f" and {' and '.join(set_)} set" if set_ else ""
        fix = ("clear the number, or disconnect a wire" if constants + len(inputs) > len(names) else
               f"connect a second tensor or set {names[-1]} to a number")
        raise ShapeError(f"{_op(name)} takes {len(names)} operands ({', '.join(names)}), but {got}{also}; {fix}")
    if constants == len(names):
        raise ShapeError(f"{_op(name)} needs at least one tensor, but only numbers are set; connect a tensor")
    return [v if v is not None else next(wires) for v in given]


def _same_rank(name: str, tensors: list):
    """Tensors of different ranks broadcast their batch axis against a feature axis: samples mix."""
    if len({len(t.shape) for t in tensors}) > 1:
        shown = " and ".join(by(t) for t in tensors)
        raise ShapeError(f"{_op(name)} would align the batch axis of one tensor with a feature axis of the other, "
                         f"as {shown}; give both the same rank first (keras.ops.expand_dims or Reshape)")


def broadcast(name: str, first, second) -> tuple:
    """Keras's broadcast_shapes, with its message turned into ours."""
    a, b = list(first), list(second)
    a = [1] * (len(b) - len(a)) + a
    b = [1] * (len(a) - len(b)) + b
    out = list(a)
    for i, (x, y) in enumerate(zip(a, b)):
        if x == 1:
            out[i] = y
        elif x is None:
            out[i] = None if y == 1 else y
        elif not (y == 1 or y is None or y == x):
            raise ShapeError(f"{_op(name)} cannot broadcast {fmt(tuple(first))} with {fmt(tuple(second))}: sizes "
                             f"{x} and {y} differ on axis {i - len(a)}; make them equal, or 1 to broadcast")
    return tuple(out)


def elementwise(name: str, names=("x1", "x2")):
    """add, subtract, multiply, divide, maximum, minimum: two operands, tensors or numbers, broadcast."""
    def rule(params, inputs):
        values = operands(name, params, inputs, names)
        tensors = [v for v in values if isinstance(v, Arriving)]
        _same_rank(name, tensors)
        shapes = [v.shape if isinstance(v, Arriving) else () for v in values]
        try:
            return broadcast(name, *shapes)
        except ShapeError as exc:
            shown = " and ".join(by(t) for t in tensors)
            raise ShapeError(f"{exc} ({shown})") from None
    return rule


def matmul_shape(params, inputs):
    values = operands("matmul", params, inputs, ("x1", "x2"))
    if not all(isinstance(v, Arriving) for v in values):
        raise ShapeError("keras.ops.matmul multiplies two tensors, not a tensor and a number; use "
                         "keras.ops.multiply for a number")
    x1, x2 = values
    _same_rank("matmul", values)
    if len(x1.shape) < 3:
        raise ShapeError(f"keras.ops.matmul on 2D tensors would multiply across the batch axis, as {by(x1)}; "
                         "give each sample a matrix (batch, rows, cols), or use Dense for a vector")
    if None not in (x1.shape[-1], x2.shape[-2]) and x1.shape[-1] != x2.shape[-2]:
        raise ShapeError(f"keras.ops.matmul needs x1's last size to equal x2's second to last, but {by(x1)} and "
                         f"{by(x2)}; transpose one of them or change its size")
    leading = broadcast("matmul", x1.shape[:-2], x2.shape[:-2])
    return (*leading, x1.shape[-2], x2.shape[-1])


def _axis_in_range(name: str, x: Arriving, axis: int, rank: int) -> int:
    if not -rank <= axis < rank:
        raise ShapeError(f"{_op(name)} axis={axis} is out of range for the {len(x.shape)}D input, as {by(x)}; use "
                         f"an axis from {1 - rank} to {rank - 1}")
    return axis_index(axis, rank)


def _not_batch(name: str, x: Arriving, axis, what: str):
    raise ShapeError(f"{_op(name)} axis={axis} is the batch axis: it would {what}, and change the batch size; use a "
                     "feature axis (-1, say)")


def concatenate_shape(params, inputs):
    axis, first = params["axis"], inputs[0]
    rank = len(first.shape)
    for other in inputs[1:]:
        if len(other.shape) != rank:
            raise ShapeError(f"keras.ops.concatenate needs tensors of the same rank, but {by(first)} and "
                             f"{by(other)}; Reshape one of them first")
    at = _axis_in_range("concatenate", first, axis, rank)
    if at == 0:
        _not_batch("concatenate", first, axis, "join samples, not features")

    def sizes_at(inp):
        return [None if i == at else d for i, d in enumerate(inp.shape)]

    clash = _conflict(inputs, sizes_at)
    if clash:
        raise ShapeError(f"keras.ops.concatenate needs equal sizes except on axis {axis}, but {by(clash[0])} and "
                         f"{by(clash[1])}; make the other sizes equal, or concatenate on the axis that differs")
    sizes = [inp.shape[at] for inp in inputs]
    return (*first.shape[:at], None if None in sizes else sum(sizes), *first.shape[at + 1:])


def stack_shape(params, inputs):
    axis, first = params["axis"], inputs[0]
    rank = len(first.shape)
    clash = _conflict(inputs, lambda inp: list(inp.shape)) if len({len(i.shape) for i in inputs}) == 1 else \
        next((first, other) for other in inputs if len(other.shape) != rank)
    if clash:
        raise ShapeError(f"keras.ops.stack needs tensors of one shape, but {by(clash[0])} and {by(clash[1])}; "
                         "make them equal, or use keras.ops.concatenate to join along an axis")
    at = _axis_in_range("stack", first, axis, rank + 1)
    if at == 0:
        _not_batch("stack", first, axis, "put the tensors where the samples are")
    out = list(first.shape)
    out.insert(at, len(inputs))
    return tuple(out)


def reshape_shape(params, inputs):
    (x,) = inputs
    new = params["newshape"]
    if not new or new[0] != -1:
        raise ShapeError(f"keras.ops.reshape's newshape={tuple(new)} fixes the batch axis (its first size); write "
                         f"-1 first, as in (-1, {', '.join(map(str, new[1:] or [8]))}), or use layers.Reshape, "
                         "whose target shape leaves the batch out")
    sample = x.shape[1:]
    if None in sample:
        raise ShapeError(f"keras.ops.reshape with -1 first keeps the batch only if each sample's size is known, "
                         f"but {by(x)}; set the sizes in the Input, or use layers.Reshape")
    if math.prod(sample) != math.prod(new[1:]):
        raise ShapeError(f"keras.ops.reshape needs the same number of values per sample, but {by(x)} "
                         f"({math.prod(sample)} values) and newshape={tuple(new)} holds {math.prod(new[1:])}; "
                         "change newshape so its sizes after -1 multiply to the same")
    return (None, *new[1:])


def transpose_shape(params, inputs):
    (x,) = inputs
    axes, rank = params["axes"], len(x.shape)
    if axes is None:
        if rank > 1:
            raise ShapeError(f"keras.ops.transpose without axes reverses every axis, the batch axis too, as "
                             f"{by(x)}; set axes with 0 first, e.g. {[0, *range(rank - 1, 0, -1)]}")
        return x.shape
    if len(axes) != rank or sorted(axis_index(a, rank) for a in axes if -rank <= a < rank) != list(range(rank)):
        raise ShapeError(f"keras.ops.transpose axes={list(axes)} is not an order of the {rank} axes of the "
                         f"input, as {by(x)}; list each of 0..{rank - 1} once, 0 first")
    order = [axis_index(a, rank) for a in axes]
    if order[0] != 0:
        raise ShapeError(f"keras.ops.transpose axes={list(axes)} moves the batch axis; keep 0 first")
    return tuple(x.shape[a] for a in order)


def expand_dims_shape(params, inputs):
    (x,) = inputs
    axes = as_one(params["axis"])
    rank = len(x.shape) + len(axes)
    if any(not -rank <= a < rank for a in axes):
        raise ShapeError(f"keras.ops.expand_dims axis={params['axis']} is out of range for a {rank}D result from "
                         f"{by(x)}; use axes from {1 - rank} to {rank - 1}")
    at = [axis_index(a, rank) for a in axes]
    if len(set(at)) != len(at):
        raise ShapeError(f"keras.ops.expand_dims axis={params['axis']} names one axis twice; name each once")
    if 0 in at:
        _not_batch("expand_dims", x, params["axis"], "add an axis before the samples")
    sizes = iter(x.shape)
    return tuple(1 if i in at else next(sizes) for i in range(rank))


def squeeze_shape(params, inputs):
    (x,) = inputs
    rank = len(x.shape)
    if params["axis"] is None:
        if None in x.shape[1:]:  # a size of 1 at run time would go too: the rank would depend on the data
            raise ShapeError(f"keras.ops.squeeze without an axis removes every size-1 axis, but {by(x)} has unknown "
                             "sizes, so the result's rank would depend on the data; name the axis to remove")
        return tuple(d for d in x.shape if d != 1)
    axes = as_one(params["axis"])
    for a in axes:
        if not -rank <= a < rank:
            raise ShapeError(f"keras.ops.squeeze axis={a} is out of range for the {rank}D input, as {by(x)}")
        if x.shape[a] != 1:
            what = "the batch axis" if axis_index(a, rank) == 0 else \
                f"its size is {'unknown' if x.shape[a] is None else x.shape[a]}"
            raise ShapeError(f"keras.ops.squeeze can only remove axes of size 1, but axis {a} of {by(x)} is not: "
                             f"{what}; choose an axis of size 1")
    at = {axis_index(a, rank) for a in axes}
    if len(at) != len(axes):
        raise ShapeError(f"keras.ops.squeeze axis={params['axis']} names one axis twice; name each once")
    return tuple(d for i, d in enumerate(x.shape) if i not in at)


def reduce_rule(name: str):
    """mean, sum, max, min over `axis` (one or several), keepdims or not; never over the batch axis."""
    def rule(params, inputs):
        (x,) = inputs
        rank, axis = len(x.shape), params["axis"]
        if axis is None:
            raise ShapeError(f"keras.ops.{name} without an axis reduces every axis, the batch axis too, giving one "
                             f"number for the whole batch; set axis to the feature axes, e.g. axis={list(range(1, rank)) if rank > 2 else -1}")
        at = [_axis_in_range(name, x, a, rank) for a in as_one(axis)]
        if len(set(at)) != len(at):
            raise ShapeError(f"keras.ops.{name} axis={axis} names one axis twice; name each once")
        if 0 in at:
            _not_batch(name, x, axis, "reduce across the samples")
        if params["keepdims"]:
            return tuple(1 if i in at else d for i, d in enumerate(x.shape))
        return tuple(d for i, d in enumerate(x.shape) if i not in at)
    return rule


def softmax_shape(params, inputs):
    (x,) = inputs
    rank = len(x.shape)
    axes = as_one(params["axis"])
    for a in axes:
        _axis_in_range("softmax", x, a, rank)
    if len(axes) > 1 and any(a < 0 for a in axes):  # Keras folds the axes with a transpose that reads them as given
        positive = [a + rank if a < 0 else a for a in axes]
        raise ShapeError(f"softmax over several axes needs them counted from the front: Keras cannot fold "
                         f"axis={list(axes)} of {by(x)}; use axis={positive}")
    # An axis tuple is folded into one axis first, so the kernel sees rank - len(axes) + 1 dimensions.
    check_softmax_rank(rank - len(axes) + 1, f"softmax of {by(x)}", "Reshape to 5D or fewer first")
    return x.shape


def split_shape(params, inputs):
    (x,) = inputs
    sections, axis, index = params["indices_or_sections"], params["axis"], params["index"]
    rank = len(x.shape)
    at = _axis_in_range("split", x, axis, rank)
    if at == 0 and sections != 1:  # one section is the whole tensor: the samples stay as they are
        _not_batch("split", x, axis, "split the samples")
    size = x.shape[at]
    if size is not None and size % sections:
        raise ShapeError(f"keras.ops.split cannot cut {size} into {sections} equal parts along axis {axis} "
                         f"({by(x)}); choose a number of sections that divides {size}")
    if index >= sections:
        raise ShapeError(f"keras.ops.split index={index} is past the last of its {sections} parts; use an index "
                         f"from 0 to {sections - 1}")
    return (*x.shape[:at], None if size is None else size // sections, *x.shape[at + 1:])
