"""What every rule shares: ShapeError, Arriving (what reaches a port), shape formatting, rank checks,
the sliding-window size formula, and the pass-through rules (same shape, no weights).

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from typing import NamedTuple

from builder.catalog.rules.terms import SUM, formula, tracing


class ShapeError(ValueError):
    """The inputs arriving at a node cannot go through its layer."""


class Arriving(NamedTuple):
    source: str
    shape: tuple
    # The source layer's padding ('valid', 'same', ...) when it has one; the inference engine fills it in for
    # merge layers only, so a size mismatch can name the branches whose padding needs changing (merging.py).
    padding: str | None = None


def fmt(shape) -> str:
    if shape is None:
        return "unknown"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def by(inp: Arriving) -> str:
    return f"{inp.source} gives {fmt(inp.shape)}"


def need_rank(inp: Arriving, layer: str, rank: int, what: str, fix: str):
    if len(inp.shape) != rank:
        raise ShapeError(f"{layer} needs a {rank}D tensor {what}, but {by(inp)}; {fix}")


def as_pair(value) -> tuple:
    return (value, value) if isinstance(value, int) else tuple(value)


def pair_text(value) -> str:
    """3×3 for a pair, or one number; also a 1D layer's one-item list ([2] -> 2)."""
    return "×".join(str(v) for v in as_pair(value))


def window_out(size, window, stride, padding, dilation=1):
    """Output length of a sliding window along one axis, as Keras computes it; None stays None."""
    if size is None:
        return None
    if padding == "same":
        out = (size - 1) // stride + 1
        return formula(int(out), f"ceil({size:,} / {stride:,})") if tracing() else out
    out = (size - dilation * (window - 1) - 1) // stride + 1
    if not tracing():
        return out
    # Keras's documented form: floor((size − window) / stride) + 1, the window widened by its dilation.
    reach = f"{window:,}" if dilation == 1 else f"{dilation:,} × ({window:,} − 1) − 1"
    return formula(int(out), f"floor(({size:,} − {reach}) / {stride:,}) + 1", SUM)


def same_shape(params, inputs):
    (x,) = inputs
    return x.shape


def axis_index(axis: int, rank: int):
    return axis + rank if axis < 0 else axis


def no_weights(params, inputs, out):
    return 0, 0


IMAGE = "(batch, height, width, channels)"


SEQUENCE = "(batch, steps, features)"


def image_channels(x: Arriving, layer: str) -> int:
    need_rank(x, layer, 4, IMAGE, "give the Input a shape like [28, 28, 1], or Reshape to [h, w, c] first")
    if x.shape[3] is None:
        raise ShapeError(f"{layer} needs a known number of channels, but {by(x)}; set the channel count in "
                         "the Input shape")
    return x.shape[3]


def as_one(value) -> tuple:
    return (value,) if isinstance(value, int) else tuple(value)


def as_rank(value, rank: int) -> tuple:
    """A size param as one value per spatial axis: 3 -> (3, 3) for rank 2; a stored list as it is."""
    return (value,) * rank if isinstance(value, int) else tuple(value)


def sizes_text(values) -> str:
    """3×3 for two axes, 2×2×2 for three, one number for one (a 1D layer's one-item list [2] -> 2)."""
    return "×".join(str(v) for v in values)


def channels_first(params) -> bool:
    """Whether a layer's data_format puts the channels right after the batch axis. None is Keras's default
    image_data_format, 'channels_last' unless a keras.json says otherwise (the catalog assumes it does not)."""
    return params.get("data_format") == "channels_first"


# What a tensor of each spatial rank looks like, channels last and first, and how to get one.
_LAYOUTS = {
    (1, False): ("(batch, steps, features)", "give the Input a shape like [steps, features], or Reshape first"),
    (2, False): (IMAGE, "give the Input a shape like [28, 28, 1], or Reshape to [h, w, c] first"),
    (3, False): ("(batch, depth, height, width, channels)",
                 "give the Input a shape like [8, 28, 28, 1], or Reshape to [d, h, w, c] first"),
    (1, True): ("(batch, features, steps)", "give the Input a shape like [features, steps], or Reshape first"),
    (2, True): ("(batch, channels, height, width)",
                "give the Input a shape like [1, 28, 28], or Reshape to [c, h, w] first"),
    (3, True): ("(batch, channels, depth, height, width)",
                "give the Input a shape like [1, 8, 28, 28], or Reshape to [c, d, h, w] first"),
}


def layout(rank: int, params) -> tuple[str, str]:
    """(what the tensor looks like, how to get one) for a layer over `rank` spatial axes."""
    return _LAYOUTS[(rank, channels_first(params))]


def split_channels(shape: tuple, params) -> tuple[tuple, object]:
    """(the spatial sizes, the channel size) of a (batch, ...) shape, by the layer's data_format."""
    if channels_first(params):
        return tuple(shape[2:]), shape[1]
    return tuple(shape[1:-1]), shape[-1]


def join_channels(batch, spatial, channels, params) -> tuple:
    """The inverse of split_channels: a (batch, ...) shape from spatial sizes and a channel size."""
    return (batch, channels, *spatial) if channels_first(params) else (batch, *spatial, channels)


def need_spatial(x: Arriving, layer: str, rank: int, params, fix: str | None = None):
    """Check x has `rank` spatial axes plus batch and channels; ShapeError saying the layout otherwise."""
    what, how = layout(rank, params)
    need_rank(x, layer, rank + 2, what, fix or how)
