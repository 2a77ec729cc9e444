"""Param strategies for the layers added in issue 6, used by graph_strategy.layer_params.

Every param of every new layer is drawn somewhere here (mask_zero aside: see embedding), usually within the
values that suit the source's shape so that deep valid graphs come up, sometimes anywhere so that errors do.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.builder import graph_strategy as gs


def _window(draw, p, source_shape, with_multiplier=False, with_filters=True, dilation=True):
    if with_filters:
        p["filters"] = draw(st.integers(1, 4))
    p["kernel_size"] = gs.fitting_window(draw, source_shape)
    if dilation and gs.sometimes(draw, 25):
        p["dilation_rate"] = draw(gs.ints_or_pair(1, 3))
    if "dilation_rate" not in p or gs.sometimes(draw, 20):
        gs.optional(draw, p, "strides", gs.ints_or_pair(1, 3), 40)
    gs.optional(draw, p, "padding", st.sampled_from(("valid", "same")), 60)
    if with_multiplier:
        gs.optional(draw, p, "depth_multiplier", st.integers(1, 3), 40)
    gs.optional(draw, p, "activation", gs.activations(), 30)
    gs.optional(draw, p, "use_bias", st.booleans(), 25)


def conv2d_transpose(draw, p, source_shape):
    _window(draw, p, source_shape)
    if gs.sometimes(draw, 40):
        p["output_padding"] = draw(st.one_of(st.none(), gs.ints_or_pair(0, 2)))


def depthwise(draw, p, source_shape):
    _window(draw, p, source_shape, with_multiplier=True, with_filters=False)


def separable(draw, p, source_shape):
    _window(draw, p, source_shape, with_multiplier=True)


def pads(draw, low=0, high=3):
    one = st.integers(low, high)
    return st.one_of(one, st.lists(one, min_size=2, max_size=2),
                     st.lists(st.lists(one, min_size=2, max_size=2), min_size=2, max_size=2))


def zero_padding(draw, p, source_shape):
    gs.optional(draw, p, "padding", pads(draw), 70)


def cropping(draw, p, source_shape):
    gs.optional(draw, p, "cropping", pads(draw), 85)


def up_sampling(draw, p, source_shape):
    gs.optional(draw, p, "size", gs.ints_or_pair(1, 3), 60)
    gs.optional(draw, p, "interpolation", st.sampled_from(("nearest", "bilinear", "bicubic", "lanczos3",
                                                           "lanczos5", "area")), 30)


def relu(draw, p, source_shape):
    gs.optional(draw, p, "max_value", st.one_of(st.none(), st.floats(0, 6)), 40)
    gs.optional(draw, p, "negative_slope", st.floats(0, 1), 30)
    gs.optional(draw, p, "threshold", st.floats(0, 2), 30)


def rescaling(draw, p, source_shape):
    p["scale"] = draw(st.one_of(st.just(1 / 255), st.floats(-4, 4)))
    gs.optional(draw, p, "offset", st.floats(-2, 2), 40)


def layer_norm(draw, p, source_shape):
    gs.optional(draw, p, "axis", gs.AXES, 50)
    gs.optional(draw, p, "epsilon", st.floats(1e-6, 0.5), 30)
    gs.optional(draw, p, "center", st.booleans(), 40)
    gs.optional(draw, p, "scale", st.booleans(), 40)


def keepdims(draw, p, source_shape):
    gs.optional(draw, p, "keepdims", st.booleans(), 60)


def one_or_list(low, high):
    return st.one_of(st.integers(low, high), st.lists(st.integers(low, high), min_size=1, max_size=1))


def conv1d(draw, p, source_shape):
    channels = source_shape[-1] if source_shape is not None and len(source_shape) == 3 else None
    groups = 1
    if channels and gs.sometimes(draw, 25):
        groups = draw(st.sampled_from([g for g in range(1, channels + 1) if channels % g == 0]))
        p["groups"] = groups
    p["filters"] = groups * draw(st.integers(1, 3))
    steps = source_shape[1] if channels else None
    p["kernel_size"] = draw(one_or_list(1, min(steps or 4, 4) if gs.sometimes(draw, 70) else 4))
    if gs.sometimes(draw, 25):
        p["dilation_rate"] = draw(one_or_list(1, 3))
    if "dilation_rate" not in p or gs.sometimes(draw, 20):
        gs.optional(draw, p, "strides", one_or_list(1, 3), 40)
    gs.optional(draw, p, "padding", st.sampled_from(("valid", "same", "causal")), 60)
    gs.optional(draw, p, "activation", gs.activations(), 30)
    gs.optional(draw, p, "use_bias", st.booleans(), 25)


def max_pool1d(draw, p, source_shape):
    gs.optional(draw, p, "pool_size", one_or_list(1, 3), 60)
    gs.optional(draw, p, "strides", st.one_of(st.none(), one_or_list(1, 3)), 40)
    gs.optional(draw, p, "padding", st.sampled_from(("valid", "same")), 50)


def embedding(draw, p, source_shape):
    # mask_zero is not drawn: every index here is 0, so every step would be masked, and how masks then travel
    # through merges is Keras's business, not a shape rule's. test_shape_rules.py covers it on its own.
    p["input_dim"] = draw(st.integers(1, 5))
    p["output_dim"] = draw(st.integers(1, 4))


def recurrent(extra):
    def draw_params(draw, p, source_shape):
        p["units"] = draw(st.integers(1, 4))
        gs.optional(draw, p, "activation", st.sampled_from(("tanh", "relu", "sigmoid", None)), 20)
        gs.optional(draw, p, "recurrent_activation", st.sampled_from(("sigmoid", "hard_sigmoid", "tanh")), 20)
        gs.optional(draw, p, "use_bias", st.booleans(), 25)
        gs.optional(draw, p, "return_sequences", st.booleans(), 60)
        gs.optional(draw, p, "go_backwards", st.booleans(), 20)
        gs.optional(draw, p, "dropout", st.floats(0, 1), 15)
        gs.optional(draw, p, "recurrent_dropout", st.floats(0, 1), 15)
        gs.optional(draw, p, extra, st.booleans(), 40)
    return draw_params


def permute(draw, p, source_shape):
    rank = len(source_shape) - 1 if source_shape is not None and gs.sometimes(draw, 85) else draw(st.integers(1, 3))
    p["dims"] = list(draw(st.permutations(list(range(1, max(rank, 1) + 1)))))


def repeat_vector(draw, p, source_shape):
    p["n"] = draw(st.integers(1, 4))


MORE_PARAMS = {
    "Conv2DTranspose": conv2d_transpose, "DepthwiseConv2D": depthwise, "SeparableConv2D": separable,
    "ZeroPadding2D": zero_padding, "Cropping2D": cropping, "UpSampling2D": up_sampling, "ReLU": relu,
    "Rescaling": rescaling, "LayerNormalization": layer_norm, "GlobalMaxPooling2D": keepdims,
    "GlobalAveragePooling1D": keepdims, "Conv1D": conv1d, "MaxPooling1D": max_pool1d, "Embedding": embedding,
    "LSTM": recurrent("unit_forget_bias"), "GRU": recurrent("reset_after"), "Permute": permute,
    "RepeatVector": repeat_vector,
}
