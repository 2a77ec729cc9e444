"""Normalisation: BatchNormalization (renorm too) and LayerNormalization (over one axis or several, rms_scaling
too): shape kept; gamma/beta trainable, moving statistics not.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

import math

from builder.catalog.rules.common import ShapeError, as_one, axis_index, by
from builder.catalog.rules.terms import named


def batch_normalization_shape(params, inputs):
    (x,) = inputs
    axis, rank = params["axis"], len(x.shape)
    if not -rank <= axis < rank:
        raise ShapeError(f"BatchNormalization axis={axis} is out of range for the {rank}D input, as {by(x)}; "
                         f"use an axis from {1 - rank} to {rank - 1} (usually -1, the channels)")
    if x.shape[axis] is None:
        what = "the batch axis" if axis_index(axis, rank) == 0 else f"axis {axis}"
        raise ShapeError(f"BatchNormalization needs a known size on {what}, but {by(x)}; "
                         "normalise the channels axis (-1) or set that size in the Input shape")
    return x.shape


def batch_normalization_weights(params, inputs, out):
    size = named(inputs[0].shape[params["axis"]], "channels")
    learned = [name for name, on in (("γ", params["scale"]), ("β", params["center"])) if on]
    trainable = named(len(learned), f"({' and '.join(learned)})") * size if learned else 0
    # Moving mean and variance are not trained; renorm adds three more statistics (its mean, its stddev and
    # the moving stddev it tracks for inference).
    stats = named(5, "(moving mean and variance, renorm mean, stddev and moving stddev)") if params["renorm"] \
        else named(2, "(moving mean and variance)")
    return trainable, stats * size


def _layer_axes(params, rank) -> list[int]:
    return [axis_index(a, rank) for a in as_one(params["axis"])]


def layer_normalization_shape(params, inputs):
    (x,) = inputs
    axis, rank = params["axis"], len(x.shape)
    for one in as_one(axis):
        if not -rank <= one < rank:
            raise ShapeError(f"LayerNormalization axis={axis} is out of range for the {rank}D input, as {by(x)}; "
                             f"use an axis from {1 - rank} to {rank - 1} (usually -1, the features)")
    axes = _layer_axes(params, rank)
    if len(set(axes)) != len(axes):
        raise ShapeError(f"LayerNormalization axis={axis} names the same axis twice for the {rank}D input, as "
                         f"{by(x)}; name each axis once")
    # The sizes must be known only to create gamma and beta; without them Keras normalises any size.
    if _per_size(params):
        for one, at in zip(as_one(axis), axes):
            if x.shape[at] is None:
                what = "the batch axis" if at == 0 else f"axis {one}"
                raise ShapeError(f"LayerNormalization needs a known size on {what}, but {by(x)}; normalise the "
                                 "features axis (-1), set that size in the Input shape, or set center and scale "
                                 "to false")
    return x.shape


def _per_size(params) -> int:
    """How many weights per normalised value: gamma (scale, or rms_scaling, which always learns one and
    never a beta) and beta (center)."""
    if params["rms_scaling"]:
        return 1
    return int(params["center"]) + int(params["scale"])


def layer_normalization_weights(params, inputs, out):
    per = _per_size(params)
    if not per:
        return 0, 0
    shape = inputs[0].shape
    what = "(γ)" if params["rms_scaling"] or not params["center"] else "(β)" if not params["scale"] else "(γ and β)"
    return named(per, what) * named(math.prod(shape[a] for a in _layer_axes(params, len(shape))),
                                    "normalised values"), 0


def group_normalization_shape(params, inputs):
    """GroupNormalization: the channels of `axis` split into `groups` (-1: one group per channel), each group
    normalised on its own; the channel count must be known and divide by the groups."""
    (x,) = inputs
    axis, rank = params["axis"], len(x.shape)
    if not -rank <= axis < rank:
        raise ShapeError(f"GroupNormalization axis={axis} is out of range for the {rank}D input, as {by(x)}; use an "
                         f"axis from {1 - rank} to {rank - 1} (usually -1, the channels)")
    size, groups = x.shape[axis], params["groups"]
    if size is None:
        raise ShapeError(f"GroupNormalization needs a known size on axis {axis}, but {by(x)}; set the channel count "
                         "in the Input shape")
    groups = size if groups == -1 else groups
    if size < groups or size % groups:
        raise ShapeError(f"GroupNormalization with groups={groups} needs axis {axis} to split into {groups} equal "
                         f"groups, but {by(x)} ({size} there); choose groups that divide {size} (or -1 for one per "
                         "channel)")
    return x.shape


def group_normalization_weights(params, inputs, out):
    size = named(inputs[0].shape[params["axis"]], "channels")
    per = int(params["center"]) + int(params["scale"])
    return (named(per, "(γ and β)" if per == 2 else "(γ)" if params["scale"] else "(β)") * size) if per else 0, 0


def _normalization_axes(params) -> tuple:
    axis = params["axis"]
    return () if axis is None else as_one(axis)


def normalization_params(params):
    """What Keras's Normalization constructor checks: mean and variance given together, of one shape, and a list
    of them only when there is an axis to lay them along."""
    mean, variance = params["mean"], params["variance"]
    if (mean is None) != (variance is None):
        given, missing = ("mean", "variance") if variance is None else ("variance", "mean")
        raise ShapeError(f"Normalization needs mean and variance together, but only the {given} is set; set the "
                         f"{missing} too, or clear both to adapt the layer to data")
    if mean is None:
        return
    length = [len(v) if isinstance(v, list) else None for v in (mean, variance)]
    if length[0] != length[1]:
        shown = ["one number" if n is None else f"{n} numbers" for n in length]
        raise ShapeError(f"Normalization needs the mean and the variance of one shape, but the mean is {shown[0]} "
                         f"and the variance {shown[1]}; give as many variances as means")
    if length[0] is not None and not _normalization_axes(params):
        raise ShapeError("Normalization with axis=None keeps one mean for everything, so the mean must be one "
                         f"number, but it is a list of {length[0]}; give one number, or set an axis")


def normalization_shape(params, inputs):
    (x,) = inputs
    rank, axes = len(x.shape), _normalization_axes(params)
    for one in axes:
        if not -rank <= one < rank:
            raise ShapeError(f"Normalization axis={params['axis']} is out of range for the {rank}D input, as "
                             f"{by(x)}; use an axis from {-rank} to {rank - 1} (usually -1, the features)")
    keep = sorted(axis_index(a, rank) for a in axes)
    for at in keep:
        if x.shape[at] is None:
            what = "the batch axis" if at == 0 else f"axis {at}"
            raise ShapeError(f"Normalization keeps a mean and variance per position of {what}, so it needs its "
                             f"size, but {by(x)}; set that size in the Input shape, or normalise another axis")
    mean = params["mean"]
    if isinstance(mean, list):
        size = x.shape[keep[-1]]
        if len(mean) not in (1, size):
            raise ShapeError(f"Normalization lays its {len(mean)} means along axis {keep[-1]}, which has {size} "
                             f"positions, as {by(x)}; give {size} means and variances (or one)")
    return x.shape


def normalization_weights(params, inputs, out):
    """Adapted statistics (mean, variance and a sample count) are weights that are not trained; given ones are
    constants, no weights at all."""
    if params["mean"] is not None:
        return 0, 0
    shape = inputs[0].shape
    keep = {axis_index(a, len(shape)) for a in _normalization_axes(params)}
    return 0, 2 * math.prod(shape[a] for a in sorted(keep)) + 1


def normalization_notice(params) -> str | None:
    """What the node says while its statistics are unknown to the graph (raw, stored params)."""
    if params.get("mean") is not None:
        return None
    return ("Normalization has no mean and variance of its own: they are computed from data (adapt). Training in "
            "Keras Canvas, and the exported training script, adapt it to the training data before fitting; a model "
            "built or exported without that passes values through unchanged (mean 0, variance 1) until "
            "layer.adapt(data) is called. Set mean and variance to fix them instead")
