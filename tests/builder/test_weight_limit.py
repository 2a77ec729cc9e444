"""builder/keras/weight_limit.py: sizes, the refusal of models over the limit (project graphs and Keras configs, no
TensorFlow), and the counts of generic layers and saved configs against real Keras."""

from __future__ import annotations

import json

import pytest

from builder.files import project
from builder.keras.weight_limit import WeightLimitExceeded, check_weights, config_counts, parse_size

SIZES = {"2GB": 2_000_000_000, "500MB": 500_000_000, "1.5GiB": int(1.5 * 2 ** 30), "800k": 800_000,
         "1000": 1000, " 4 gb ": 4_000_000_000, "2TB": 2 * 10 ** 12}


@pytest.mark.parametrize("text", list(SIZES))
def test_parse_size(text):
    assert parse_size(text) == SIZES[text]


@pytest.mark.parametrize("text", ["", "lots", "2XB", "-1GB", "1e9", "9" * 30])
def test_parse_size_refuses_nonsense(text):
    with pytest.raises(ValueError, match="expected a size such as 2GB"):
        parse_size(text)


def _graph(units: int, width: int, extra_nodes=()):
    nodes = [{"id": "x", "layer": "Input", "params": {"shape": [width]}},
             {"id": "big", "layer": "Dense", "params": {"units": units}}, *extra_nodes]
    edges = [{"source": "x", "target": "big", "port": 0}]
    return project.from_dict({"format": "keras-canvas", "version": 1, "nodes": nodes, "edges": edges})


# (units, width, limit) -> refused?
GRAPHS = {"Dense 30000x30000 at 2GB": (30_000, 30_000, 2 * 10 ** 9, True),
          "Dense 30000x30000 at 8GB": (30_000, 30_000, 8 * 10 ** 9, False),
          "Dense 1000x1000 at 4MB": (1000, 1000, 4_000_000, True),
          "Dense 1000x1000 at 5MB": (1000, 1000, 5_000_000, False)}


@pytest.mark.parametrize("case", list(GRAPHS))
def test_project_graph_over_the_limit_is_refused_naming_the_layer(case):
    units, width, limit, refused = GRAPHS[case]
    graph = _graph(units, width)
    if not refused:
        assert check_weights(graph, limit) == units * width + units
        return
    with pytest.raises(WeightLimitExceeded) as caught:
        check_weights(graph, limit)
    assert f"'big' ('Dense'): {units * width + units:,} weights" in str(caught.value)


def test_generic_node_counts_by_its_config_not_only_its_stored_count():
    """A generic node's stored keras_shape may say 0 weights; its config (ConvLSTM2D) asks for more."""
    graph = project.from_dict({"format": "keras-canvas", "version": 1, "nodes": [
        {"id": "x", "layer": "Input", "params": {"shape": [3, 4, 4, 2048]}},
        {"id": "c3", "layer": "ConvLSTM2D", "params": {}, "config": {"filters": 2048, "kernel_size": [9, 9]},
         "keras_shape": {"shape": [None, 4, 4, 2048], "trainable": 0, "non_trainable": 0,
                         "inputs": [[None, 3, 4, 4, 2048]]}}],
        "edges": [{"source": "x", "target": "c3", "port": 0}]})
    with pytest.raises(WeightLimitExceeded, match="'c3' \\('ConvLSTM2D'\\)"):
        check_weights(graph)


def _models(keras):
    from keras import layers

    def functional():
        inp = keras.Input((10, 16), name="seq")
        x = layers.Bidirectional(layers.LSTM(5, return_sequences=True), name="bi")(inp)
        x = layers.MultiHeadAttention(2, 8, name="mha")(x, x)
        x = layers.EinsumDense("abc,cd->abd", output_shape=(None, 12), bias_axes="d", name="einsum")(x)
        x = layers.TimeDistributed(layers.Dense(3), name="td")(x)
        x = layers.Conv1DTranspose(4, 3, name="c1t")(x)
        x = layers.SeparableConv1D(6, 3, name="sep1")(x)
        x = layers.DepthwiseConv1D(3, name="dw1")(x)
        x = layers.SimpleRNN(3, name="rnn")(x)
        return keras.Model(inp, x)

    def volumes():
        inp = keras.Input((6, 6, 6, 3), name="vol")
        x = layers.PReLU(name="prelu")(inp)
        x = layers.Conv3D(4, 3, name="c3")(x)
        x = layers.Conv3DTranspose(2, 2, name="c3t")(x)
        return keras.Model(inp, x)

    def images():
        inp = keras.Input((3, 12, 12, 3), name="frames")
        x = layers.ConvLSTM2D(4, 3, name="clstm")(inp)
        x = layers.SeparableConv2D(5, 3, name="sep2")(x)
        x = layers.BatchNormalization(name="bn")(x)
        x = layers.GlobalAveragePooling2D(name="gap")(x)
        return keras.Model(inp, x)

    def nested():
        inp = keras.Input((9,), name="flat")
        inner = keras.Sequential([keras.Input((8,)), layers.Dense(5, name="d1"), layers.Dense(2, name="d2")],
                                 name="inner")
        return keras.Model(inp, inner(layers.Dense(8, name="d0")(inp)))

    return {"functional": functional, "volumes": volumes, "images": images, "nested": nested,
            "sequential": lambda: keras.Sequential([keras.Input((7,)), layers.Dense(5), layers.Dense(3)])}


@pytest.mark.parametrize("name", ["functional", "volumes", "images", "nested", "sequential"])
def test_config_counts_agree_with_keras(keras, name):
    model = _models(keras)[name]()
    counts = config_counts(json.loads(model.to_json()))
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer" or isinstance(layer, keras.Model):
            continue
        assert counts[layer.name][1] == layer.count_params(), (layer.name, counts[layer.name])
    assert sum(c for _l, c in counts.values()) == model.count_params()
