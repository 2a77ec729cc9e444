"""Pooling over 1, 2 or 3 spatial axes, one rule per family taking the rank, as Keras's BasePooling and
BaseGlobalPooling do: Max/AveragePooling1D/2D/3D and GlobalMax/GlobalAveragePooling1D/2D/3D, channels last or first.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import (
    ShapeError,
    as_rank,
    fmt,
    join_channels,
    need_spatial,
    sizes_text,
    split_channels,
    window_out,
)

# How to get a tensor a pooling layer takes, by rank (the message's fix).
_POOL_FIX = {1: "pool sequences from a Conv1D, or give the Input a shape like [steps, features]",
             2: "pool feature maps from a Conv2D, or Reshape to [h, w, c] first",
             3: "pool volumes from a Conv3D, or Reshape to [d, h, w, c] first"}
_GLOBAL_FIX = {1: "use it on sequences, e.g. from a Conv1D or an LSTM with return_sequences=True",
               2: "use it on feature maps from a Conv2D or pooling layer",
               3: "use it on volumes from a Conv3D or pooling layer"}


def pooling_shape(layer: str, rank: int):
    """MaxPooling and AveragePooling over `rank` spatial axes: a window of pool_size, moved by strides
    (pool_size when None)."""
    def rule(params, inputs):
        (x,) = inputs
        need_spatial(x, layer, rank, params, _fix(_POOL_FIX, rank, params))
        pool = as_rank(params["pool_size"], rank)
        strides = pool if params["strides"] is None else as_rank(params["strides"], rank)
        spatial_in, channels = split_channels(x.shape, params)
        spatial = tuple(window_out(s, p, st, params["padding"]) for s, p, st in zip(spatial_in, pool, strides))
        if any(s is not None and s <= 0 for s in spatial):
            if rank == 1:
                raise ShapeError(f"{layer}'s pool of {pool[0]} does not fit in the {spatial_in[0]} steps from "
                                 f"{x.source} with padding='valid'; set padding='same' or use a smaller pool_size")
            raise ShapeError(f"{layer}'s {sizes_text(pool)} pool does not fit in the {fmt(spatial_in)} input from "
                             f"{x.source} with padding='valid'; set padding='same' or use a smaller pool_size")
        return join_channels(x.shape[0], spatial, channels, params)
    return rule


def global_pooling_shape(layer: str, rank: int):
    """GlobalMax and GlobalAveragePooling: one value per channel, the spatial axes kept as 1s with keepdims."""
    def rule(params, inputs):
        (x,) = inputs
        need_spatial(x, layer, rank, params, _fix(_GLOBAL_FIX, rank, params))
        channels = split_channels(x.shape, params)[1]
        if params["keepdims"]:
            return join_channels(x.shape[0], (1,) * rank, channels, params)
        return (x.shape[0], channels)
    return rule


def _fix(fixes: dict, rank: int, params) -> str | None:
    # Channels first: the generic layout advice (need_spatial's) says which order the Input needs.
    return None if params.get("data_format") == "channels_first" else fixes[rank]
