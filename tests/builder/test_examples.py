"""Each bundled example against the same model written by hand in Keras, the way the seed texts write it."""

import pytest

import builder
from builder.keras.plan import ModelError
from tests.conftest import EXAMPLES


def dense_branches(keras, function_style=False):
    layers = keras.layers
    features = keras.Input(shape=(10,), name="features")
    dense_64 = layers.Dense(64, activation="relu", name="dense_64")(features)
    dense_32 = layers.Dense(32, activation="relu", name="dense_32")(features)
    if function_style:
        merged = layers.concatenate([dense_64, dense_32], name="merged")
    else:
        merged = layers.Concatenate(name="merged")([dense_64, dense_32])
    output = layers.Dense(1, activation="sigmoid", name="output")(merged)
    return keras.Model(inputs=features, outputs=output)


def cnn_two_kernels(keras):
    layers = keras.layers
    image = keras.Input(shape=(32, 32, 3), name="image")
    conv_3x3 = layers.Conv2D(32, (3, 3), padding="same", activation="relu", name="conv_3x3")(image)
    conv_5x5 = layers.Conv2D(32, (5, 5), padding="same", activation="relu", name="conv_5x5")(image)
    merged = layers.Concatenate(name="merged")([conv_3x3, conv_5x5])
    flatten = layers.Flatten(name="flatten")(merged)
    classes = layers.Dense(10, activation="softmax", name="classes")(flatten)
    return keras.Model(inputs=image, outputs=classes)


def relu_tanh_fusion(keras):
    layers = keras.layers
    features = keras.Input(shape=(4,), name="features")
    relu_features = layers.Dense(8, activation="relu", name="relu_features")(features)
    tanh_features = layers.Dense(8, activation="tanh", name="tanh_features")(features)
    fused = layers.Concatenate(name="fused")([relu_features, tanh_features])
    output = layers.Dense(1, activation="sigmoid", name="output")(fused)
    return keras.Model(inputs=features, outputs=output)


def two_inputs(keras):
    layers = keras.layers
    input_a = keras.Input(shape=(16,), name="input_a")
    input_b = keras.Input(shape=(8,), name="input_b")
    dense_a = layers.Dense(16, activation="relu", name="dense_a")(input_a)
    dense_b = layers.Dense(8, activation="relu", name="dense_b")(input_b)
    merged = layers.Concatenate(name="merged")([dense_a, dense_b])
    output = layers.Dense(1, activation="sigmoid", name="output")(merged)
    return keras.Model(inputs=[input_a, input_b], outputs=output)


def cnn_28x28_three_kernels(keras):
    layers = keras.layers
    image = keras.Input(shape=(28, 28, 1), name="image")
    branches = [layers.Conv2D(32, (k, k), padding="same", activation="relu", name=f"conv_{k}x{k}")(image)
                for k in (3, 5, 7)]
    merged = layers.Concatenate(name="merged")(branches)
    flatten = layers.Flatten(name="flatten")(merged)
    dense = layers.Dense(128, activation="relu", name="dense")(flatten)
    classes = layers.Dense(10, activation="softmax", name="classes")(dense)
    return keras.Model(inputs=image, outputs=classes)


HAND_WRITTEN = {
    "dense_branches": dense_branches,
    "dense_branches_function": lambda keras: dense_branches(keras, function_style=True),
    "cnn_two_kernels": cnn_two_kernels,
    "relu_tanh_fusion": relu_tanh_fusion,
    "two_inputs": two_inputs,
    "cnn_28x28_three_kernels": cnn_28x28_three_kernels,
}


def test_every_example_is_covered():
    assert set(HAND_WRITTEN) | {"shape_mismatch"} == {p.stem for p in EXAMPLES.glob("*.json")}


@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
def test_example_agrees_with_hand_written_keras(keras, name):
    graph = builder.load(EXAMPLES / f"{name}.json")
    results = builder.infer(graph)
    expected = HAND_WRITTEN[name](keras)
    for layer in expected.layers:
        ours = results[layer.name]
        assert ours.error is None and not ours.warnings, (layer.name, ours)
        assert ours.shape == tuple(layer.output.shape), layer.name
        assert ours.params == layer.count_params(), layer.name
    assert set(results) == {layer.name for layer in expected.layers}

    built = builder.build_model(graph)
    assert built.count_params() == expected.count_params()
    assert [t.name for t in built.inputs] == [t.name for t in expected.inputs]
    for ours, theirs in zip(built.layers, expected.layers):
        assert type(ours) is type(theirs) and ours.name == theirs.name
        assert ours.get_config() == theirs.get_config()


def test_shape_mismatch_example_fails_like_keras(keras):
    graph = builder.load(EXAMPLES / "shape_mismatch.json")
    results = builder.infer(graph)
    errors = {n: r.error for n, r in results.items() if r.error}
    assert list(errors) == ["merged"]
    assert "conv_3x3 gives 26×26, conv_5x5 24×24 and conv_7x7 22×22" in errors["merged"]
    assert "padding='same'" in errors["merged"]
    with pytest.raises(ModelError) as refused:
        builder.build_model(graph)
    assert refused.value.errors == [errors["merged"]]
    layers = keras.layers
    image = keras.Input(shape=(28, 28, 1))
    branches = [layers.Conv2D(32, k, activation="relu")(image) for k in (3, 5, 7)]
    with pytest.raises(ValueError):
        layers.Concatenate()(branches)
