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
