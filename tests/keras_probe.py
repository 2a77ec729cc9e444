"""Keras facts for the GUI tests, from a process of their own: the GUI test process never imports TensorFlow,
as the window's process never does (tests/gui/conftest.py checks it after every test).

    python -m tests.keras_probe models OUT_DIR        write the model files the GUI tests import, and
                                                      OUT_DIR/facts.json with Keras's facts of some
    python -m tests.keras_probe hand-written          facts of the seed models written by hand in Keras
    python -m tests.keras_probe facts FILE...         facts of .keras files and exported scripts
    python -m tests.keras_probe serve                 answer those commands, one a line of stdin, for as long
                                                      as stdin stays open (TensorFlow imported once, not each time)

Each prints one JSON object on its last line of stdout; `serve` prints one line per request, marked with ANSWER.
The GUI side (tests/gui/keras_files.py) keeps one serving probe for the whole GUI test session.
Facts of a model: {"params", "layers": {name: {"shape", "params"}}, "outputs": [shape, ...]} with shapes as
lists (None for unknown dims); a model Keras refuses gives {"error": message}.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def facts(model) -> dict:
    return {"params": int(model.count_params()),
            "layers": {layer.name: {"shape": list(layer.output.shape), "params": int(layer.count_params())}
                       for layer in model.layers},
            "outputs": [list(t.shape) for t in model.outputs]}


# ---- the model files ---------------------------------------------------------------------------------------------

def generic_model(keras):
    """x -> conv -> act (RMSNormalization over every axis: outside the catalog, weights per position) -> pool ->
    head."""
    inp = keras.Input((7, 7, 4), name="x")
    y = keras.layers.Conv2D(8, 3, padding="same", name="conv")(inp)
    y = keras.layers.RMSNormalization(axis=[1, 2, 3], name="act")(y)
    y = keras.layers.GlobalAveragePooling2D(name="pool")(y)
    return keras.Model(inp, keras.layers.Dense(3, name="head")(y))


def chain_model(keras, size: int = 7):
    """x -> conv -> act (RMSNormalization over every axis, weights per position) -> noise (RMSNormalization, epsilon 0.1) ->
    pool -> head. Both outside the catalog (PReLU and GaussianNoise, once used here, became catalog layers in issue
    17)."""
    inp = keras.Input((size, size, 4), name="x")
    y = keras.layers.Conv2D(8, 3, padding="same", kernel_initializer="he_normal", name="conv")(inp)
    y = keras.layers.RMSNormalization(axis=[1, 2, 3], name="act")(y)
    y = keras.layers.RMSNormalization(epsilon=0.1, name="noise")(y)
    y = keras.layers.GlobalAveragePooling2D(name="pool")(y)
    return keras.Model(inp, keras.layers.Dense(3, name="head")(y))


def write_models(out: Path) -> dict:
    import keras

    from builder.files import project
    from builder.keras.importer import import_model

    out.mkdir(parents=True, exist_ok=True)
    generic_model(keras).save(out / "small.keras")
    chain_model(keras).save(out / "chain.keras")
    project.write(import_model(out / "chain.keras").graph, out / "chain.json")
    inp = keras.Input((4,), name="x")
    # A layer outside the catalog (LeakyReLU, once used here, became a catalog layer in issue 17).
    keras.Model(inp, keras.layers.RMSNormalization(name="leaky")(inp)).save(out / "leaky.keras")
    inp = keras.Input((3,), name="x")
    (out / "lambda.json").write_text(keras.Model(inp, keras.layers.Lambda(lambda t: t * 2, name="double_it")(inp))
                                     .to_json())
    hand_written(keras, "cnn_28x28_three_kernels").save(out / "cnn.keras")
    keras.applications.MobileNetV2(weights=None).save(out / "mobilenetv2.keras")
    answers = {"small": facts(generic_model(keras)), "chain": facts(chain_model(keras)),
               "chain_9x9": facts(chain_model(keras, size=9))}
    (out / "facts.json").write_text(json.dumps(answers))
    return answers


# ---- the seed models, written by hand as the seed texts do ------------------------------------------------------

SEEDS = ["cnn_28x28_three_kernels", "cnn_two_kernels", "dense_branches", "dense_branches_function",
         "relu_tanh_fusion", "shape_mismatch", "two_inputs"]


def hand_written(keras, name):
    layers = keras.layers

    def cnn(size, kernels, padding, dense_units):
        image = keras.Input(shape=size, name="image")
        branches = [layers.Conv2D(32, k, padding=padding, activation="relu", name=f"conv_{k}x{k}")(image)
                    for k in kernels]
        x = layers.Concatenate(axis=-1, name="merged")(branches)
        x = layers.Flatten(name="flatten")(x)
        if dense_units:
            x = layers.Dense(dense_units, activation="relu", name="dense")(x)
        return keras.Model(image, layers.Dense(10, activation="softmax", name="classes")(x))

    def two_branches(size, first, second, merged, concatenate_function=False):
        features = keras.Input(shape=(size,), name="features")
        a = layers.Dense(first[1], activation=first[2], name=first[0])(features)
        b = layers.Dense(second[1], activation=second[2], name=second[0])(features)
        x = (layers.concatenate([a, b], name=merged) if concatenate_function
             else layers.Concatenate(axis=-1, name=merged)([a, b]))
        return keras.Model(features, layers.Dense(1, activation="sigmoid", name="output")(x))

    if name == "cnn_28x28_three_kernels":
        return cnn((28, 28, 1), (3, 5, 7), "same", 128)
    if name == "shape_mismatch":
        return cnn((28, 28, 1), (3, 5, 7), "valid", 128)
    if name == "cnn_two_kernels":
        return cnn((32, 32, 3), (3, 5), "same", None)
    if name == "dense_branches":
        return two_branches(10, ("dense_64", 64, "relu"), ("dense_32", 32, "relu"), "merged")
    if name == "dense_branches_function":
        return two_branches(10, ("dense_64", 64, "relu"), ("dense_32", 32, "relu"), "merged", True)
    if name == "relu_tanh_fusion":
        return two_branches(4, ("relu_features", 8, "relu"), ("tanh_features", 8, "tanh"), "fused")
    if name == "two_inputs":
        input_a, input_b = keras.Input(shape=(16,), name="input_a"), keras.Input(shape=(8,), name="input_b")
        a = layers.Dense(16, activation="relu", name="dense_a")(input_a)
        b = layers.Dense(8, activation="relu", name="dense_b")(input_b)
        x = layers.Concatenate(axis=-1, name="merged")([a, b])
        return keras.Model([input_a, input_b], layers.Dense(1, activation="sigmoid", name="output")(x))
    raise KeyError(name)


def all_hand_written() -> dict:
    import keras

    answers = {}
    for name in SEEDS:
        try:
            answers[name] = facts(hand_written(keras, name))
        except ValueError as exc:
            answers[name] = {"error": str(exc)}
    return answers


# ---- facts of files ------------------------------------------------------------------------------------------------

def file_facts(paths: list[str]) -> dict:
    import runpy

    import keras

    answers = {}
    for path in paths:
        if path.endswith(".py"):
            model = runpy.run_path(path, run_name="exported")["build_model"]()  # the script's own function
        else:
            model = keras.saving.load_model(path)
        answers[path] = facts(model)
    return answers


COMMANDS = {"models": lambda rest: write_models(Path(rest[0])), "hand-written": lambda rest: all_hand_written(),
            "facts": file_facts}
ANSWER = "ANSWER "  # marks serve's answer lines: a library may print to stdout too


def serve(lines, out) -> int:
    """Answer one command a line (a JSON list: the command and its arguments) until the input ends. Each starts
    from a cleared Keras session, as a new process would (the same layer names and counters); a command that
    raises answers {"probe_error": traceback} and the next one is served as usual."""
    import traceback

    import keras

    for line in lines:
        if not line.strip():
            continue
        command, *rest = json.loads(line)
        keras.backend.clear_session()
        try:
            answer = COMMANDS[command](rest)
        except Exception:  # noqa: BLE001 - the test that asked gets the whole traceback as its failure
            answer = {"probe_error": traceback.format_exc()}
        out.write(ANSWER + json.dumps(answer) + "\n")
        out.flush()
    return 0


def main(argv: list[str]) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    command, *rest = argv
    if command == "serve":
        return serve(sys.stdin, sys.stdout)
    if command not in COMMANDS:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    print(json.dumps(COMMANDS[command](rest)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
