"""Normalisation: BatchNormalization and LayerNormalization (shape kept; gamma/beta trainable, moving
statistics not).

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import ShapeError, axis_index, by


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
    size = inputs[0].shape[params["axis"]]
    trainable = size * (int(params["center"]) + int(params["scale"]))
    return trainable, 2 * size  # moving mean and moving variance are not trained


def layer_normalization_shape(params, inputs):
    (x,) = inputs
    axis, rank = params["axis"], len(x.shape)
    if not -rank <= axis < rank:
        raise ShapeError(f"LayerNormalization axis={axis} is out of range for the {rank}D input, as {by(x)}; "
                         f"use an axis from {1 - rank} to {rank - 1} (usually -1, the features)")
    # The size must be known only to create gamma and beta; without them Keras normalises any size.
    if x.shape[axis] is None and (params["center"] or params["scale"]):
        what = "the batch axis" if axis_index(axis, rank) == 0 else f"axis {axis}"
        raise ShapeError(f"LayerNormalization needs a known size on {what}, but {by(x)}; normalise the "
                         "features axis (-1), set that size in the Input shape, or set center and scale to false")
    return x.shape


def layer_normalization_weights(params, inputs, out):
    per = int(params["center"]) + int(params["scale"])
    return (inputs[0].shape[params["axis"]] * per if per else 0), 0
