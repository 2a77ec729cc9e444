"""Pooling: max and average pooling over 1D and 2D windows, and global pooling.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import (
    IMAGE,
    SEQUENCE,
    ShapeError,
    as_one,
    as_pair,
    fmt,
    need_rank,
    pair_text,
    window_out,
)


def _pooling_shape(layer):
    def rule(params, inputs):
        (x,) = inputs
        need_rank(x, layer, 4, "(batch, height, width, channels)",
                   "pool feature maps from a Conv2D, or Reshape to [h, w, c] first")
        pool = as_pair(params["pool_size"])
        strides = pool if params["strides"] is None else as_pair(params["strides"])
        spatial = tuple(window_out(s, p, st, params["padding"]) for s, p, st in zip(x.shape[1:3], pool, strides))
        if any(s is not None and s <= 0 for s in spatial):
            raise ShapeError(f"{layer}'s {pair_text(pool)} pool does not fit in the {fmt(x.shape[1:3])} input "
                             f"from {x.source} with padding='valid'; set padding='same' or use a smaller pool_size")
        return (x.shape[0], *spatial, x.shape[3])
    return rule


max_pooling2d_shape = _pooling_shape("MaxPooling2D")


average_pooling2d_shape = _pooling_shape("AveragePooling2D")


def global_average_pooling2d_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "GlobalAveragePooling2D", 4, "(batch, height, width, channels)",
               "use it on feature maps from a Conv2D or pooling layer")
    return (x.shape[0], 1, 1, x.shape[3]) if params["keepdims"] else (x.shape[0], x.shape[3])


def global_max_pooling2d_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "GlobalMaxPooling2D", 4, IMAGE, "use it on feature maps from a Conv2D or pooling layer")
    return (x.shape[0], 1, 1, x.shape[3]) if params["keepdims"] else (x.shape[0], x.shape[3])


def global_average_pooling1d_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "GlobalAveragePooling1D", 3, SEQUENCE, "use it on sequences, e.g. from a Conv1D or an LSTM "
               "with return_sequences=True")
    return (x.shape[0], 1, x.shape[2]) if params["keepdims"] else (x.shape[0], x.shape[2])


def max_pooling1d_shape(params, inputs):
    (x,) = inputs
    need_rank(x, "MaxPooling1D", 3, SEQUENCE, "pool sequences from a Conv1D, or give the Input a shape like "
               "[steps, features]")
    (pool,) = as_one(params["pool_size"])
    (stride,) = (pool,) if params["strides"] is None else as_one(params["strides"])
    steps = window_out(x.shape[1], pool, stride, params["padding"])
    if steps is not None and steps <= 0:
        raise ShapeError(f"MaxPooling1D's pool of {pool} does not fit in the {x.shape[1]} steps from {x.source} "
                         "with padding='valid'; set padding='same' or use a smaller pool_size")
    return (x.shape[0], steps, x.shape[2])
