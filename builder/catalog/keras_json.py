"""Keras constructor arguments as plain JSON, checked: what a node's `config` (builder/model/node_config.py) and a
wrapped layer's `config` (builder/catalog/wrapped_layer.py) may hold. Objects with text keys, lists, text, finite
numbers, booleans and null, never evaluated; a serialized object only when it is Keras's own.

Part of the layer catalog (it sits here so that the wrapped layers of the catalog can use it).
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


class ConfigError(ValueError):
    """A config or keras_shape value that is not plain JSON of the expected form."""


def check_json(value, where: str, depth: int, count: list):
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
        return [check_json(v, f"{where}[{i}]", depth + 1, count) for i, v in enumerate(value)]
    if isinstance(value, dict):
        _check_keras_object(value, where)
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ConfigError(f"{where}: keys must be text, got {show(k, python=True)}")
            out[k] = check_json(v, f"{where}.{_located(k)}", depth + 1, count)
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




def check_arguments(config: dict, spec, where: str = "config") -> dict:
    """Keyword arguments of `spec`'s layer outside its typed params, in their stored form, or ConfigError naming
    the first problem (an argument name Python cannot take, a typed param, `name`, a value that is not plain
    JSON or not Keras's own object)."""
    out = {}
    for key, value in config.items():
        if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key) or key in _NOT_ARGUMENTS:
            raise ConfigError(f"{where}: {quote(key)} is not a Keras argument name")
        # Python reads identifiers in NFKC form: in an exported script 'ｕｎｉｔｓ' and 'ﬁlters' ARE units and
        # filters. Keys are kept as Python reads them, so the script, the build and the checks all see one name.
        name = unicodedata.normalize("NFKC", key)
        if name != key and (not name.isidentifier() or keyword.iskeyword(name) or name in _NOT_ARGUMENTS):
            raise ConfigError(f"{where}: {quote(key)} is not a Keras argument name")
        shown = _located(key) if name == key else f"{_located(key)} (Python reads it as {name})"
        if name == "name" or name in spec.param_by_name:
            raise ConfigError(f"{where}.{shown}: {spec.name}'s {name} is a typed param; set it in params instead")
        if name in out:
            raise ConfigError(f"{where}.{shown}: the argument {name} is given twice")
        out[name] = check_json(value, f"{where}.{name}", 0, [0])
    return out
