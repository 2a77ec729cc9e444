"""Param strategies for the layers added in issue 6 (other than the spatial ones: graph_strategy_spatial.py), used
by graph_strategy.layer_params.

Every param of every new layer is drawn somewhere here (mask_zero aside: see embedding), usually within the
values that suit the source's shape so that deep valid graphs come up, sometimes anywhere so that errors do.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.builder import graph_strategy as gs
from tests.builder.graph_strategy_wrappers import WRAPPER_PARAMS, attention_axes, renorm_clipping


def relu(draw, p, source_shape):
    gs.optional(draw, p, "max_value", st.one_of(st.none(), st.floats(0, 6)), 40)
    gs.optional(draw, p, "negative_slope", st.floats(0, 1), 30)
    gs.optional(draw, p, "threshold", st.floats(0, 2), 30)


def per_channel(draw, source_shape, number):
    """A number, or a list of them: usually one per channel of the source (its last axis), sometimes any."""
    if not gs.sometimes(draw, 35):
        return draw(number)
    last = source_shape[-1] if source_shape is not None and len(source_shape) > 1 else None
    length = last if last and gs.sometimes(draw, 75) else draw(st.integers(1, 4))
    return draw(st.lists(st.floats(-2, 2), min_size=length, max_size=length))


def rescaling(draw, p, source_shape):
    p["scale"] = per_channel(draw, source_shape, st.one_of(st.just(1 / 255), st.floats(-4, 4)))
    if gs.sometimes(draw, 40):
        p["offset"] = per_channel(draw, source_shape, st.floats(-2, 2))


def axis_list(draw, source_shape, low=-5, high=5):
    """An axis, or a list of distinct axes of the source (as negative or positive numbers), or any."""
    rank = len(source_shape) if source_shape is not None else None
    if rank is None or not gs.sometimes(draw, 40):
        return draw(gs.AXES)
    axes = draw(st.lists(st.integers(1, rank - 1), min_size=1, max_size=rank - 1, unique=True)) if rank > 1 else [0]
    return [a - rank if gs.sometimes(draw, 50) else a for a in axes]


def layer_norm(draw, p, source_shape):
    if gs.sometimes(draw, 50):
        p["axis"] = axis_list(draw, source_shape)
    gs.optional(draw, p, "epsilon", st.floats(1e-6, 0.5), 30)
    gs.optional(draw, p, "center", st.booleans(), 40)
    gs.optional(draw, p, "scale", st.booleans(), 40)
    gs.optional(draw, p, "rms_scaling", st.booleans(), 25)


def batch_norm(draw, p, source_shape):
    gs.optional(draw, p, "axis", gs.AXES, 60)
    gs.optional(draw, p, "momentum", st.floats(0, 1), 30)
    gs.optional(draw, p, "epsilon", st.floats(1e-6, 0.5), 30)
    gs.optional(draw, p, "center", st.booleans(), 40)
    gs.optional(draw, p, "scale", st.booleans(), 40)
    gs.optional(draw, p, "renorm", st.booleans(), 30)
    gs.optional(draw, p, "renorm_momentum", st.floats(0, 1), 15)
    gs.optional(draw, p, "synchronized", st.booleans(), 10)
    if gs.sometimes(draw, 15):
        p["renorm_clipping"] = renorm_clipping(draw)


def elu(draw, p, source_shape):
    gs.optional(draw, p, "alpha", st.floats(-2, 2), 60)


def leaky_relu(draw, p, source_shape):
    gs.optional(draw, p, "negative_slope", st.floats(0, 1), 60)


def prelu(draw, p, source_shape):
    rank = len(source_shape) if source_shape is not None else 3
    if gs.sometimes(draw, 60) and rank > 1:
        high = rank - 1 if gs.sometimes(draw, 90) else rank
        p["shared_axes"] = draw(st.one_of(st.integers(1, high),
                                          st.lists(st.integers(1, high), min_size=1, max_size=3, unique=True)))


def softmax(draw, p, source_shape):
    if gs.sometimes(draw, 60):
        p["axis"] = axis_list(draw, source_shape)


def dot(draw, p, source_shape):
    rank = len(source_shape) if source_shape is not None else 3
    axis = st.sampled_from((1, 1, 2, -1, -1, -2, 0, 3))
    if gs.sometimes(draw, 50) or rank < 2:
        p["axes"] = draw(axis)
    else:
        p["axes"] = [draw(st.integers(1, max(rank - 1, 1))), draw(axis)]
    gs.optional(draw, p, "normalize", st.booleans(), 30)


def embedding(draw, p, source_shape):
    # mask_zero is not drawn: every index here is 0, so every step would be masked, and how masks then travel
    # through merges is Keras's business, not a shape rule's. test_shape_rules.py covers it on its own.
    p["input_dim"] = draw(st.integers(1, 5))
    p["output_dim"] = draw(st.integers(1, 4))


def recurrent(extra):
    def draw_params(draw, p, source_shape):
        p["units"] = draw(st.integers(1, 4))
        gs.optional(draw, p, "activation", st.sampled_from(("tanh", "relu", "sigmoid", None)), 20)
        if extra:  # SimpleRNN has no gates
            gs.optional(draw, p, "recurrent_activation", st.sampled_from(("sigmoid", "hard_sigmoid", "tanh")), 20)
        gs.optional(draw, p, "use_bias", st.booleans(), 25)
        gs.optional(draw, p, "return_sequences", st.booleans(), 60)
        gs.optional(draw, p, "go_backwards", st.booleans(), 20)
        gs.optional(draw, p, "dropout", st.floats(0, 1), 15)
        gs.optional(draw, p, "recurrent_dropout", st.floats(0, 1), 15)
        if extra:
            gs.optional(draw, p, extra, st.booleans(), 40)
        gs.optional(draw, p, "unroll", st.booleans(), 20)
        gs.optional(draw, p, "stateful", st.booleans(), 5)
    return draw_params


def permute(draw, p, source_shape):
    rank = len(source_shape) - 1 if source_shape is not None and gs.sometimes(draw, 85) else draw(st.integers(1, 3))
    p["dims"] = list(draw(st.permutations(list(range(1, max(rank, 1) + 1)))))


def repeat_vector(draw, p, source_shape):
    p["n"] = draw(st.integers(1, 4))


def rate(draw, p, source_shape):
    p["rate"] = draw(st.one_of(st.sampled_from((0.0, 0.5, 0.999)), st.floats(0, 0.99)))


def spatial_dropout(draw, p, source_shape):
    rate(draw, p, source_shape)
    gs.optional(draw, p, "data_format", st.sampled_from(("channels_first", "channels_last", None)), 30)


def regularization(draw, p, source_shape):
    gs.optional(draw, p, "l1", st.floats(0, 1), 50)
    gs.optional(draw, p, "l2", st.floats(0, 1), 50)


def group_norm(draw, p, source_shape):
    channels = source_shape[-1] if source_shape is not None and len(source_shape) > 1 else None
    if channels and gs.sometimes(draw, 75):
        p["groups"] = draw(st.sampled_from([g for g in range(1, channels + 1) if channels % g == 0] + [-1]))
    else:
        p["groups"] = draw(st.integers(-1, 4).filter(lambda g: g != 0))
    if gs.sometimes(draw, 20):
        p["axis"] = draw(gs.AXES)
    gs.optional(draw, p, "epsilon", st.floats(1e-6, 0.5), 20)
    gs.optional(draw, p, "center", st.booleans(), 30)
    gs.optional(draw, p, "scale", st.booleans(), 30)


FORMATS = st.sampled_from(("channels_first", "channels_last", None))


def to_size(extra):
    def draw_params(draw, p, source_shape):
        p["height"] = draw(st.integers(1, 6))
        p["width"] = draw(st.integers(1, 6))
        gs.optional(draw, p, "data_format", FORMATS, 25)
        if extra:
            gs.optional(draw, p, "interpolation", st.sampled_from(("bilinear", "nearest", "bicubic", "area")), 30)
            gs.optional(draw, p, "crop_to_aspect_ratio", st.booleans(), 20)
            if not p.get("crop_to_aspect_ratio"):  # Keras refuses both at once
                gs.optional(draw, p, "pad_to_aspect_ratio", st.booleans(), 20)
            gs.optional(draw, p, "fill_value", st.floats(-1, 1), 10)
            gs.optional(draw, p, "antialias", st.booleans(), 15)
    return draw_params


def factor(low, high):
    one = st.floats(low, high)
    return st.one_of(one, st.tuples(one, one).map(sorted))


def augmentation(factors, fills=True, value_range=False):
    def draw_params(draw, p, source_shape):
        for name, (low, high) in factors.items():
            p[name] = draw(factor(low, high))
        if fills:
            gs.optional(draw, p, "fill_mode", st.sampled_from(("reflect", "wrap", "constant", "nearest")), 30)
            gs.optional(draw, p, "interpolation", st.sampled_from(("nearest", "bilinear")), 30)
            gs.optional(draw, p, "fill_value", st.floats(0, 1), 15)
            gs.optional(draw, p, "data_format", FORMATS, 25)
        if value_range:
            gs.optional(draw, p, "value_range", st.sampled_from(([0, 1], [0, 255], [-1, 1])), 30)
    return draw_params


def random_flip(draw, p, source_shape):
    gs.optional(draw, p, "mode", st.sampled_from(("horizontal", "vertical", "horizontal_and_vertical")), 60)
    gs.optional(draw, p, "data_format", FORMATS, 25)


def random_zoom(draw, p, source_shape):
    augmentation({"height_factor": (-0.9, 1)})(draw, p, source_shape)
    if gs.sometimes(draw, 50):
        p["width_factor"] = draw(st.one_of(st.none(), factor(-0.9, 1)))


def multi_head_attention(draw, p, source_shape):
    p["num_heads"] = draw(st.integers(1, 3))
    p["key_dim"] = draw(st.integers(1, 4))
    gs.optional(draw, p, "value_dim", st.one_of(st.none(), st.integers(1, 4)), 30)
    gs.optional(draw, p, "output_shape", st.one_of(st.none(), st.integers(1, 4)), 30)
    gs.optional(draw, p, "use_bias", st.booleans(), 30)
    gs.optional(draw, p, "dropout", st.floats(0, 1), 15)
    if gs.sometimes(draw, 20):
        p["attention_axes"] = attention_axes(draw, source_shape)


def attention(draw, p, source_shape):
    gs.optional(draw, p, "use_scale", st.booleans(), 50)
    gs.optional(draw, p, "dropout", st.floats(0, 1), 15)
    if "use_scale" in p and gs.sometimes(draw, 50):
        p["score_mode"] = draw(st.sampled_from(("dot", "concat")))


MORE_PARAMS = {
    "ReLU": relu, "Rescaling": rescaling, "LayerNormalization": layer_norm, "Embedding": embedding,
    "BatchNormalization": batch_norm, "ELU": elu, "LeakyReLU": leaky_relu, "PReLU": prelu, "Softmax": softmax,
    "Dot": dot, "GaussianDropout": rate, "AlphaDropout": rate, "SpatialDropout1D": rate,
    "SpatialDropout2D": spatial_dropout, "SpatialDropout3D": spatial_dropout, "ActivityRegularization": regularization,
    "GaussianNoise": lambda draw, p, source_shape: p.update(stddev=draw(st.floats(0, 1))),
    "UnitNormalization": lambda draw, p, source_shape: p.update(axis=axis_list(draw, source_shape))
    if gs.sometimes(draw, 60) else None, "Masking": lambda draw, p, source_shape: gs.optional(draw, p, "mask_value", st.floats(-1, 1), 50),
    "LSTM": recurrent("unit_forget_bias"), "GRU": recurrent("reset_after"), "Permute": permute,
    "RepeatVector": repeat_vector, "SimpleRNN": recurrent(None), "GroupNormalization": group_norm,
    "Resizing": to_size(extra=True), "CenterCrop": to_size(extra=False), "RandomFlip": random_flip,
    "RandomRotation": augmentation({"factor": (-1, 1)}), "RandomZoom": random_zoom,
    "RandomTranslation": augmentation({"height_factor": (-1, 1), "width_factor": (-1, 1)}),
    "RandomContrast": augmentation({"factor": (0, 1)}, fills=False, value_range=True),
    "MultiHeadAttention": multi_head_attention, "Attention": attention,
    "AdditiveAttention": lambda draw, p, source_shape: attention(draw, p, source_shape) or p.pop("score_mode", None),
    "RandomBrightness": augmentation({"factor": (-1, 1)}, fills=False, value_range=True),
}
MORE_PARAMS.update(WRAPPER_PARAMS)
