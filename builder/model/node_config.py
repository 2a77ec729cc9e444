"""Keras constructor arguments that the catalog does not model as typed params, carried by a node as `config`.

An imported model keeps every argument that differs from Keras's default. Those the catalog types (units,
padding, ...) go into `params` and are validated as usual; the rest (initializers, regularizers, dtype policies,
data_format, ...) go into the node's `config`: plain JSON (objects with text keys, lists, text, finite numbers,
booleans, null), never evaluated. keras_build passes them to the constructor as they are (Keras deserializes
initializer and regularizer dicts itself), codegen writes them as Python literals, project.py saves and reads
them. A config key may not repeat a typed param or `name`, so the typed params' validation cannot be bypassed.

A generic node (a Keras layer outside the catalog) also carries `keras_shape`: {"shape": [...], "trainable": n,
"non_trainable": m, "inputs": [[...], ...]}, what Keras computed for it from the input shapes in `inputs` (at
import, or again in the app after an edit upstream), so inference, check and export work without TensorFlow. When
Keras refused those inputs it is {"inputs": [...], "error": "..."} instead. Files written before `inputs` existed
are still read; their stored shape cannot be checked against what arrives.
"""


from __future__ import annotations

# The JSON and Keras-object checks are the catalog's (a wrapped layer's config uses them too); their names are
# kept here for the modules that import them from this one.
from builder.catalog.keras_json import (  # noqa: F401
    MAX_DEPTH,
    MAX_INT,
    MAX_ITEMS,
    ConfigError,
    _located,
    check_arguments,
    check_json,
)
from builder.quoting import show

# What an Input node's config may hold: keras.Input(shape, name) are the node's own; batch_size and batch_shape
# would change the batch axis that inference and the exported script both assume, and tensor is not JSON.
INPUT_CONFIG_KEYS = ("dtype",)


def check_config(config, spec) -> dict:
    """The config in its stored form, or ConfigError naming the first problem."""
    if not isinstance(config, dict):
        raise ConfigError(f"config: expected an object of Keras arguments, got {type(config).__name__}")
    out = check_arguments(config, spec)
    if spec.is_input:
        for name in out:
            if name not in INPUT_CONFIG_KEYS:
                raise ConfigError(f"config.{_located(name)}: an Input's config may hold only "
                                  f"{', '.join(INPUT_CONFIG_KEYS)}; its shape is a param, and its batch size is "
                                  "left to the data")
    return out


MAX_KERAS_ERROR = 2000  # characters: Keras's messages are a few lines; a file cannot smuggle a novel in
MAX_RANK = 16
MAX_INPUTS = 64


def _check_sizes(shape, where: str) -> list:
    if not isinstance(shape, (list, tuple)) or len(shape) > MAX_RANK or not all(
            d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0) for d in shape):
        raise ConfigError(f"{where}: expected a list of sizes (null for unknown), got {show(shape)}")
    return list(shape)


def check_keras_shape(stored, spec) -> dict:
    if not spec.generic:
        raise ConfigError(f"keras_shape: only layers outside the catalog carry a stored shape; {spec.name} has "
                          "its own shape rule")
    if not isinstance(stored, dict) or set(stored) - {"shape", "trainable", "non_trainable", "inputs", "error"}:
        raise ConfigError("keras_shape: expected {\"shape\": [...], \"trainable\": n, \"non_trainable\": m, "
                          "\"inputs\": [[...], ...]}")
    out = {}
    if "inputs" in stored:
        inputs = stored["inputs"]
        if not isinstance(inputs, (list, tuple)) or not 1 <= len(inputs) <= MAX_INPUTS:
            raise ConfigError(f"keras_shape.inputs: expected a list of 1 to {MAX_INPUTS} input shapes, "
                              f"got {show(inputs)}")
        out["inputs"] = [_check_sizes(s, f"keras_shape.inputs[{i}]") for i, s in enumerate(inputs)]
    if "error" in stored:
        error = stored["error"]
        if set(stored) != {"inputs", "error"}:
            raise ConfigError("keras_shape: an error Keras gave holds only the inputs it was given and the message: "
                              "{\"inputs\": [[...], ...], \"error\": \"...\"}")
        if not isinstance(error, str) or not error.strip() or len(error) > MAX_KERAS_ERROR:
            raise ConfigError(f"keras_shape.error: expected Keras's message (text of 1 to {MAX_KERAS_ERROR} "
                              "characters)")
        return {"inputs": out["inputs"], "error": error}
    shape = _check_sizes(stored.get("shape"), "keras_shape.shape")
    counts = {}
    for key in ("trainable", "non_trainable"):
        n = stored.get(key, 0)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ConfigError(f"keras_shape.{key}: expected a count >= 0, got {show(n)}")
        counts[key] = n
    return {"shape": shape, **counts, **out}
