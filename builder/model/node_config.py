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

import keyword
import math
import unicodedata

from builder.catalog.params import ACTIVATIONS
from builder.quoting import quote, show

MAX_DEPTH = 12
MAX_ITEMS = 100_000
MAX_INT = 2 ** 63 - 1  # Keras and TensorFlow take 64-bit integers; a larger one fails deep inside them
# Python's own argument names for "the rest": a config key of that name reaches Keras as a stray keyword.
_NOT_ARGUMENTS = {"kwargs", "args", "self"}
# What an Input node's config may hold: keras.Input(shape, name) are the node's own; batch_size and batch_shape
# would change the batch axis that inference and the exported script both assume, and tensor is not JSON.
INPUT_CONFIG_KEYS = ("dtype",)


class ConfigError(ValueError):
    """A config or keras_shape value that is not plain JSON of the expected form."""


def _check_json(value, where: str, depth: int, count: list):
    count[0] += 1
    if count[0] > MAX_ITEMS or depth > MAX_DEPTH:
        raise ConfigError(f"{where}: too large or too deeply nested")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_INT:
            raise ConfigError(f"{where}: the integer {show(value)} is too large; Keras takes 64-bit integers")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError(f"{where}: expected a finite number, got {value!r}")  # a float: short
        return value
    if isinstance(value, (list, tuple)):
        return [_check_json(v, f"{where}[{i}]", depth + 1, count) for i, v in enumerate(value)]
    if isinstance(value, dict):
        _check_keras_object(value, where)
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ConfigError(f"{where}: keys must be text, got {show(k, python=True)}")
            out[k] = _check_json(v, f"{where}.{_located(k)}", depth + 1, count)
        return out
    raise ConfigError(f"{where}: expected plain JSON (object, list, text, number, true/false, null), "
                      f"got {type(value).__name__}")


def _located(key: str) -> str:
    shown = quote(key, 40)
    return key if shown[1:-1] == key else shown


# What Keras writes when it serializes its own objects: a module of a Keras package, or "builtins" for one of
# its functions by name ({"module": "builtins", "class_name": "function", "config": "relu"}).
_KERAS_PACKAGES = ("keras", "keras_hub", "keras_cv", "keras_nlp")


def _check_keras_object(value: dict, where: str):
    """Refuse a serialized object that is not Keras's own, before Keras or an exported script sees it.

    Keras deserializes these dicts itself, in safe mode, and imports only its own packages (tested in
    tests/builder/test_config_safety.py); refusing them here as well means a hostile project file is turned
    away when it is opened, with a message naming the node, and never reaches a build or an exported script.
    """
    class_name, module = value.get("class_name"), value.get("module")
    if class_name == "__lambda__":
        raise ConfigError(f"{where}: a Python lambda (compiled code) cannot be part of a project; only Keras's "
                          "own objects can")
    if module is not None:
        if not isinstance(module, str):
            raise ConfigError(f"{where}.module: expected the name of a Keras module, got {show(module)}")
        is_keras = module.split(".", 1)[0] in _KERAS_PACKAGES
        if module == "builtins":
            # Keras's form for one of its functions by name; Keras looks the name up among its own (an
            # activation), and refuses any other ('eval', 'open') only when a build deserializes it.
            function = value.get("config")
            if class_name != "function" or not (isinstance(function, str) and function in ACTIVATIONS):
                raise ConfigError(f"{where}: {show(value)} is not one of Keras's functions; by name a config may "
                                  "hold a Keras activation ('relu', 'gelu', ...)")
        elif not is_keras:
            raise ConfigError(f"{where}.module: {quote(module)} is not a Keras module; a project may name only "
                              "Keras's own objects (keras.initializers, keras.regularizers, ...)")
    registered = value.get("registered_name")
    if isinstance(registered, str) and ">" in registered:
        raise ConfigError(f"{where}: {quote(registered)} is a custom object registered outside Keras; only Keras's "
                          "own objects can be part of a project")


def check_config(config, spec) -> dict:
    """The config in its stored form, or ConfigError naming the first problem."""
    if not isinstance(config, dict):
        raise ConfigError(f"config: expected an object of Keras arguments, got {type(config).__name__}")
    out = {}
    for key, value in config.items():
        if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key) or key in _NOT_ARGUMENTS:
            raise ConfigError(f"config: {quote(key)} is not a Keras argument name")
        # Python reads identifiers in NFKC form: in an exported script 'ｕｎｉｔｓ' and 'ﬁlters' ARE units and
        # filters. Keys are kept as Python reads them, so the script, the build and the checks all see one name.
        name = unicodedata.normalize("NFKC", key)
        if name != key and (not name.isidentifier() or keyword.iskeyword(name) or name in _NOT_ARGUMENTS):
            raise ConfigError(f"config: {quote(key)} is not a Keras argument name")
        shown = _located(key) if name == key else f"{_located(key)} (Python reads it as {name})"
        if name == "name" or name in spec.param_by_name:
            raise ConfigError(f"config.{shown}: {spec.name}'s {name} is a typed param; set it in params instead")
        if name in out:
            raise ConfigError(f"config.{shown}: the argument {name} is given twice")
        if spec.is_input and name not in INPUT_CONFIG_KEYS:
            raise ConfigError(f"config.{shown}: an Input's config may hold only {', '.join(INPUT_CONFIG_KEYS)}; "
                              "its shape is a param, and its batch size is left to the data")
        out[name] = _check_json(value, f"config.{name}", 0, [0])
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
