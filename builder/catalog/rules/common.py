"""What every rule shares: ShapeError, Arriving (what reaches a port), shape formatting, rank checks,
the sliding-window size formula, and the pass-through rules (same shape, no weights).

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from typing import NamedTuple


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
        return (size - 1) // stride + 1
    return (size - dilation * (window - 1) - 1) // stride + 1


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
