"""Importing Keras models: every argument survives, shapes and counts equal Keras's, exports rebuild the model.

The applications of keras.applications (built with weights=None, nothing downloaded) are slow to build and
import, so all but one small MobileNetV2 run only with `pytest -m slow` (see README); their timings are printed.
"""

from __future__ import annotations

import json
import time

import pytest

from builder.catalog.keras_names import KERAS_LAYERS, NOT_GENERIC
from builder.inference.engine import infer
from tests.builder.import_check import round_trip
from tests.main_in_process import run_main


def small_model(keras):
    from keras import layers

    inp = keras.Input((12, 12, 3), name="image")
    x = layers.Conv2D(8, 3, use_bias=False, kernel_initializer="he_normal", name="conv")(inp)
    x = layers.BatchNormalization(epsilon=1.001e-5, scale=False, axis=3, name="bn")(x)
    x = layers.ReLU(6.0, name="relu6")(x)
    x = layers.ZeroPadding2D(((0, 1), (0, 1)), name="pad")(x)
    x = layers.DepthwiseConv2D(3, strides=2, name="dw")(x)
    y = layers.SpatialDropout2D(0.2, name="spatial_dropout")(x)  # a catalog layer since issue 17
    z = layers.Multiply(name="gate")([x, y])
    z = layers.GlobalMaxPooling2D(name="pool")(z)
    seq = keras.Input((5,), name="tokens")
    e = layers.Embedding(20, 4, name="embed")(seq)
    e = layers.LSTM(3, return_sequences=True, name="lstm")(e)
    e = layers.GRU(2, reset_after=False, name="gru")(e)
    both = layers.Concatenate(name="joined")([z, e])
    out = layers.Dense(4, activation="softmax", kernel_regularizer=keras.regularizers.L2(0.01), name="head")(both)
    return keras.Model([inp, seq], out)


@pytest.mark.parametrize("kind", ["keras", "json", "h5"])
def test_small_model_round_trips(keras, tmp_path, kind):
    round_trip(keras, small_model(keras), tmp_path, kind)


def test_non_default_arguments_survive(keras, tmp_path):
    from builder.keras.importer import import_model

    path = tmp_path / "m.keras"
    small_model(keras).save(path)
    graph = import_model(path).graph
    assert graph.nodes["bn"]["params"] == {"axis": 3, "epsilon": 1.001e-05, "scale": False}
    assert graph.nodes["conv"]["params"]["use_bias"] is False
    assert graph.nodes["conv"]["config"]["kernel_initializer"]["class_name"] == "HeNormal"
    assert graph.nodes["gru"]["params"]["reset_after"] is False
    native = graph.nodes["spatial_dropout"]
    assert native["layer"] == "SpatialDropout2D" and native["params"] == {"rate": 0.2}
    assert "keras_shape" not in native and not native.get("config")  # native: our own rule gives its shape
    assert set(graph.graph["ui"]["positions"]) == set(graph)


def test_mobilenet_v2_small(keras, tmp_path):
    model = keras.applications.MobileNetV2(input_shape=(32, 32, 3), alpha=0.35, weights=None, classes=10)
    round_trip(keras, model, tmp_path, "keras")


def test_lambda_is_refused_by_name(keras, tmp_path, capsys):
    inp = keras.Input((3,), name="x")
    out = keras.layers.Lambda(lambda t: t * 2, name="double_it")(inp)
    path = tmp_path / "lambda.json"
    path.write_text(keras.Model(inp, out).to_json())
    done = run_main(capsys, "import", path, "-o", tmp_path / "out.json")
    assert done.returncode == 2
    assert "double_it" in done.stderr and "Lambda" in done.stderr
    assert not (tmp_path / "out.json").exists()


def test_custom_object_is_refused_by_name(tmp_path, capsys):
    config = {"class_name": "Functional", "config": {"name": "m", "layers": [
        {"module": "my_package.layers", "class_name": "Magic", "config": {"name": "magic_layer"},
         "registered_name": "my_package>Magic"}]}}
    path = tmp_path / "custom.json"
    path.write_text(json.dumps(config))
    done = run_main(capsys, "import", path, "-o", tmp_path / "out.json")
    assert done.returncode == 2 and "magic_layer" in done.stderr and "custom object" in done.stderr


def test_cli_import_then_check_and_export(keras, tmp_path, capsys):
    model_path = tmp_path / "m.keras"
    small_model(keras).save(model_path)
    out = tmp_path / "project.json"
    done = run_main(capsys, "import", model_path, "-o", out)
    assert done.returncode == 0, done.stderr
    assert run_main(capsys, "check", out).returncode == 0
    script = run_main(capsys, "export", out)
    assert script.returncode == 0 and "SpatialDropout2D(rate=0.2" in script.stdout


def test_generic_layer_names_are_keras_layers(keras):
    import inspect

    names = {n for n in dir(keras.layers)
             if inspect.isclass(getattr(keras.layers, n)) and issubclass(getattr(keras.layers, n), keras.layers.Layer)}
    assert KERAS_LAYERS == names - set(NOT_GENERIC)


APPLICATIONS = ["InceptionV3", "DenseNet121", "ResNet50", "MobileNetV2", "EfficientNetB0"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["keras", "json"])
@pytest.mark.parametrize("name", APPLICATIONS)
def test_applications_round_trip(keras, tmp_path, name, kind):
    start = time.perf_counter()
    model = getattr(keras.applications, name)(weights=None)
    built = time.perf_counter() - start
    times = round_trip(keras, model, tmp_path, kind)
    print(f"\n{name} via .{kind}: {len(model.layers)} layers, build {built:.1f}s, import {times['import']:.2f}s, "
          f"inference {times['inference']:.3f}s, export {times['export']:.3f}s")


def test_sequential_and_nested_models_keep_their_layers_in_a_model_block(keras):
    from keras import layers

    from builder.keras.importer import model_to_graph

    inner = keras.Sequential([layers.Dense(4, name="inner_a"), layers.Dense(3, name="inner_b")], name="inner")
    inp = keras.Input((8,), name="x")
    out = layers.Dense(1, name="post")(inner(layers.Dense(5, name="pre")(inp)))
    graph = model_to_graph(keras.Model(inp, out)).graph
    assert list(graph) == ["x", "pre", "inner_a", "inner_b", "post"]
    assert [(u, v) for u, v, _k in graph.edges] == [("x", "pre"), ("pre", "inner_a"), ("inner_a", "inner_b"),
                                                    ("inner_b", "post")]
    assert [graph.nodes[n].get("block") for n in graph] == [None, None, "inner", "inner", None]
    seq = keras.Sequential([keras.Input((8,), name="s_in"), layers.Dense(2, name="only")])
    assert list(model_to_graph(seq).graph) == ["s_in", "only"]


@pytest.mark.parametrize("kind", ["keras", "json", "h5"])
def test_a_saved_sequential_model_imports(keras, tmp_path, kind):
    """A loaded Sequential has called each layer more than once (each build calls them again): only the calls
    in the model's own graph are its uses, so this is no shared layer. The same for an inner Sequential."""
    from keras import layers

    from builder.keras.code_export import export_code
    from builder.keras.importer import import_model

    seq = keras.Sequential([keras.Input((28, 28, 1), name="image"), layers.Conv2D(8, 3, name="conv"),
                            layers.LeakyReLU(name="leaky"), layers.Flatten(name="flat"), layers.Dense(10, name="out")])
    inner = keras.Sequential([layers.Dense(4, name="inner_a"), layers.GaussianNoise(0.1, name="noise")], name="inner")
    x = keras.Input((6,), name="x")
    wrapped = keras.Model(x, layers.Dense(2, name="post")(inner(x)))
    for model, expected in ((seq, ["image", "conv", "leaky", "flat", "out"]),
                            (wrapped, ["x", "inner_a", "noise", "post"])):
        path = tmp_path / f"{model.name}.{kind}"
        path.write_text(model.to_json()) if kind == "json" else model.save(path)
        doc = import_model(path)
        assert list(doc.graph) == expected
        results = infer(doc.graph)
        assert sum(r.params for r in results.values()) == model.count_params()
        assert all(r.error is None for r in results.values())
        namespace = {}
        exec(compile(export_code(doc), "exported.py", "exec"), namespace)  # noqa: S102 -- our own export, in a test
        assert namespace["build_model"]().count_params() == model.count_params()


def test_a_layer_used_twice_is_no_longer_refused(keras):
    """Issue 20: each call is a node, in a one-node shared block (tests/builder/test_blocks_keras.py)."""
    from keras import layers

    from builder.keras.importer import model_to_graph

    shared = layers.Dense(3, name="shared")
    x = keras.Input((3,), name="x")
    graph = model_to_graph(keras.Model(x, shared(shared(x)))).graph
    assert [(n, b) for n, b in graph.nodes(data="block")] == [("x", None), ("shared", "shared"),
                                                             ("shared_2", "shared_2")]


def test_exported_script_of_an_imported_model_passes_ruff(keras, tmp_path):
    from builder.keras.code_export import export_code
    from builder.keras.importer import import_model
    from tests.builder.test_codegen import ruff_problems

    path = tmp_path / "m.keras"
    small_model(keras).save(path)
    for style in ("layer", "function"):
        assert ruff_problems(export_code(import_model(path), style), tmp_path) == ""


def test_channels_first_comes_in_as_a_native_node(keras):
    from builder.inference.engine import infer
    from builder.keras.importer import model_to_graph

    inp = keras.Input((3, 8, 8), name="x")
    out = keras.layers.Conv2D(4, 3, data_format="channels_first", name="cf_conv")(inp)
    doc = model_to_graph(keras.Model(inp, out))
    assert doc.graph.nodes["cf_conv"]["params"]["data_format"] == "channels_first"
    assert infer(doc.graph)["cf_conv"].shape == (None, 4, 6, 6)


def test_an_argument_that_changes_the_shape_unmodelled_is_refused_by_name(keras, monkeypatch):
    """A catalog spec that does not model an argument (here Conv2D without its data_format) carries it in the
    node's config; the shape check at import then refuses the layer by name."""
    import dataclasses

    from builder.catalog.specs import CATALOG
    from builder.keras.importer import ImportRefused, model_to_graph

    spec = CATALOG["Conv2D"]
    unmodelled = tuple(p for p in spec.params if p.name != "data_format")
    monkeypatch.setitem(CATALOG, "Conv2D", dataclasses.replace(spec, params=unmodelled))
    inp = keras.Input((3, 8, 8), name="x")
    out = keras.layers.Conv2D(4, 3, data_format="channels_first", name="cf_conv")(inp)
    with pytest.raises(ImportRefused, match="cf_conv: Keras gives Conv2D the shape"):
        model_to_graph(keras.Model(inp, out))
