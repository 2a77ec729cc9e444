"""Param strategies for the layers added in issue 6 (other than the spatial ones: graph_strategy_spatial.py), used
by graph_strategy.layer_params.

Every param of every new layer is drawn somewhere here (mask_zero aside: see embedding), usually within the
values that suit the source's shape so that deep valid graphs come up, sometimes anywhere so that errors do.
"""

from __future__ import annotations

from hypothesis import strategies as st

from tests.builder import graph_strategy as gs


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
    "ReLU": relu, "Rescaling": rescaling, "LayerNormalization": layer_norm, "Embedding": embedding,
    "LSTM": recurrent("unit_forget_bias"), "GRU": recurrent("reset_after"), "Permute": permute,
    "RepeatVector": repeat_vector,
}
