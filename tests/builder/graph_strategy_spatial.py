"""Param strategies for the layers over 1, 2 or 3 spatial axes (convolutions, pooling, global pooling, cropping,
zero padding, upsampling, Flatten), every rank and both data formats, used by graph_strategy.layer_params.

data_format is drawn first: with 'channels_first' the channels are the source's axis 1 and its spatial sizes
follow, so windows that fit and groups that divide are chosen from the right axes.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.builder import graph_strategy as gs

FORMATS = st.sampled_from(("channels_first", "channels_last", None))


def data_format(draw, p) -> bool:
    """Maybe set data_format; True when the layer then reads channels first."""
    gs.optional(draw, p, "data_format", FORMATS, 30)
    return p.get("data_format") == "channels_first"


def sizes(low, high, rank):
    return st.one_of(st.integers(low, high), st.lists(st.integers(low, high), min_size=rank, max_size=rank))


def split(source_shape, rank, first):
    """(spatial sizes, channels) of the source as a layer of this rank reads it; (None, None) if it cannot."""
    if source_shape is None or len(source_shape) != rank + 2:
        return None, None
    if first:
        return list(source_shape[2:]), source_shape[1]
    return list(source_shape[1:-1]), source_shape[-1]


def window(draw, spatial, rank, high=4):
    """A kernel or pool size: usually one that fits in the source's spatial sizes."""
    value = draw(sizes(1, high, rank))
    if spatial is None or not gs.sometimes(draw, 70):
        return value
    limits = [high if d is None else min(d, high) for d in spatial]
    if isinstance(value, int):
        return min(value, *limits)
    return [min(w, limit) for w, limit in zip(value, limits)]


def convolution(rank, kind):
    def draw_params(draw, p, source_shape):
        first = data_format(draw, p)
        spatial, channels = split(source_shape, rank, first)
        groups = 1
        if kind == "conv":
            groups = draw(st.integers(1, 3))
            if channels and gs.sometimes(draw, 70):
                groups = draw(st.sampled_from([g for g in range(1, channels + 1) if channels % g == 0]))
            if groups > 1 or gs.sometimes(draw, 15):
                p["groups"] = groups
        if kind != "depthwise":
            p["filters"] = groups * draw(st.integers(1, 3)) if gs.sometimes(draw, 70) else draw(st.integers(1, 6))
        p["kernel_size"] = window(draw, spatial, rank)
        if gs.sometimes(draw, 25):
            p["dilation_rate"] = draw(sizes(1, 3, rank))
        if "dilation_rate" not in p or gs.sometimes(draw, 20):
            gs.optional(draw, p, "strides", sizes(1, 3, rank), 40)
        paddings = ("valid", "same", "causal") if kind == "conv" and rank == 1 else ("valid", "same")
        gs.optional(draw, p, "padding", st.sampled_from(paddings), 60)
        if kind == "transpose" and gs.sometimes(draw, 40):
            p["output_padding"] = draw(st.one_of(st.none(), sizes(0, 2, rank)))
        if kind in ("depthwise", "separable"):
            gs.optional(draw, p, "depth_multiplier", st.integers(1, 3), 40)
        gs.optional(draw, p, "activation", gs.activations(), 30)
        gs.optional(draw, p, "use_bias", st.booleans(), 25)
    return draw_params


def pooling(rank, required):
    def draw_params(draw, p, source_shape):
        first = data_format(draw, p)
        spatial, _ = split(source_shape, rank, first)
        if required or gs.sometimes(draw, 70):  # AveragePooling has no default pool_size
            p["pool_size"] = window(draw, spatial, rank, 3)
        gs.optional(draw, p, "strides", st.one_of(st.none(), sizes(1, 3, rank)), 50)
        gs.optional(draw, p, "padding", st.sampled_from(("valid", "same")), 60)
    return draw_params


def global_pooling(draw, p, source_shape):
    data_format(draw, p)
    gs.optional(draw, p, "keepdims", st.booleans(), 60)


def pads(rank, low=0, high=3):
    one = st.integers(low, high)
    if rank == 1:
        return st.one_of(one, st.lists(one, min_size=2, max_size=2))
    return st.one_of(one, st.lists(one, min_size=rank, max_size=rank),
                     st.lists(st.lists(one, min_size=2, max_size=2), min_size=rank, max_size=rank))


def zero_padding(rank):
    def draw_params(draw, p, source_shape):
        data_format(draw, p)
        gs.optional(draw, p, "padding", pads(rank), 70)
    return draw_params


def cropping(rank):
    def draw_params(draw, p, source_shape):
        if rank > 1:
            data_format(draw, p)
        gs.optional(draw, p, "cropping", pads(rank), 85)
    return draw_params


def up_sampling(rank):
    def draw_params(draw, p, source_shape):
        if rank == 1:
            gs.optional(draw, p, "size", st.integers(1, 3), 60)
            return
        data_format(draw, p)
        gs.optional(draw, p, "size", sizes(1, 3, rank), 60)
        if rank == 2:
            gs.optional(draw, p, "interpolation", st.sampled_from(("nearest", "bilinear", "bicubic", "lanczos3",
                                                                   "lanczos5", "area")), 30)
    return draw_params


def flatten(draw, p, source_shape):
    data_format(draw, p)


SPATIAL_PARAMS = {
    "Flatten": flatten,
    **{f"Conv{r}D": convolution(r, "conv") for r in (1, 2, 3)},
    **{f"Conv{r}DTranspose": convolution(r, "transpose") for r in (1, 2, 3)},
    **{f"DepthwiseConv{r}D": convolution(r, "depthwise") for r in (1, 2)},
    **{f"SeparableConv{r}D": convolution(r, "separable") for r in (1, 2)},
    **{f"MaxPooling{r}D": pooling(r, required=False) for r in (1, 2, 3)},
    **{f"AveragePooling{r}D": pooling(r, required=True) for r in (1, 2, 3)},
    **{f"Global{k}Pooling{r}D": global_pooling for k in ("Max", "Average") for r in (1, 2, 3)},
    **{f"ZeroPadding{r}D": zero_padding(r) for r in (1, 2, 3)},
    **{f"Cropping{r}D": cropping(r) for r in (1, 2, 3)},
    **{f"UpSampling{r}D": up_sampling(r) for r in (1, 2, 3)},
}
# Which layers suit a tensor of each rank (batch included): the spatial layers by their number of axes.
BY_TENSOR_RANK = {r + 2: tuple(name for name in SPATIAL_PARAMS if name != "Flatten" and f"{r}D" in name)
                  for r in (1, 2, 3)}
