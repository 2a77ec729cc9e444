"""Mine Keras's own layer tests for cases of the given catalog layers: run as a pytest plugin over Keras's test
files, it records each construction of those layers (arguments in our stored form; a wrapped layer through the
importer's conversion) and each call (input shapes without the batch, and Keras's output shape or its refusal),
then appends the new cases to keras_layer_cases.json. How the table of test_keras_layer_tests.py grows:

    KC_MINE_LAYERS=Bidirectional,TimeDistributed,Normalization .venv/bin/python -m pytest -q -p no:cacheprovider \\
        -p tests.builder.mine_layer_cases KERAS/src/layers/rnn/bidirectional_test.py ...

Cases with call arguments (masks, initial states), constructor arguments the catalog does not type, or inputs
other than one tensor are left out, as they were for the first 874.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

TABLE = Path(__file__).with_name("keras_layer_cases.json")
_found: list[dict] = []


def _stored_args(keras, layer_name, args, kwargs):
    from builder.catalog.specs import CATALOG
    from builder.keras.model_file import ImportRefused
    from builder.keras.wrapper_import import _stored

    spec = CATALOG[layer_name]
    names = [p.name for p in spec.params]
    given = dict(zip(names, args))
    given.update(kwargs)
    params = {}
    for key, value in given.items():
        if key not in spec.param_by_name:
            return None
        if isinstance(value, keras.layers.Layer):
            try:
                value = _stored(keras, value, "case")
            except ImportRefused:
                return None
        elif hasattr(value, "tolist"):
            value = value.tolist()
        elif isinstance(value, tuple):
            value = list(value)
        params[key] = value
    try:
        json.dumps(params)
    except TypeError:
        return None
    return params


def pytest_configure(config):
    import keras

    wanted = [n for n in os.environ.get("KC_MINE_LAYERS", "").split(",") if n]
    for name in wanted:
        cls = getattr(keras.layers, name)
        init, call = cls.__init__, cls.__call__

        def patched_init(self, *args, _init=init, _name=name, **kwargs):
            params = _stored_args(keras, _name, args, kwargs)
            try:
                _init(self, *args, **kwargs)
            except Exception:
                if params is not None:
                    _found.append({"layer": _name, "params": params, "keras": "constructor"})
                raise
            self._kc_params = params

        def patched_call(self, *args, _call=call, _name=name, **kwargs):
            params = getattr(self, "_kc_params", None)
            # One tensor; attention's query, value and key (the key by keyword too), in port order.
            tensors = [*args, *([kwargs["key"]] if set(kwargs) == {"key"} else [])]
            recordable = params is not None and (not kwargs or set(kwargs) == {"key"}) and 1 <= len(tensors) <= 3 \
                and all(hasattr(t, "shape") for t in tensors) and type(self).__name__ == _name
            shapes = [[None if d is None else int(d) for d in t.shape[1:]] for t in tensors] if recordable else None
            try:
                out = _call(self, *args, **kwargs)
            except Exception:
                if recordable:
                    _found.append({"layer": _name, "params": params, "inputs": shapes, "keras": "call"})
                raise
            if recordable and hasattr(out, "shape"):
                _found.append({"layer": _name, "params": params, "inputs": shapes,
                               "keras": [None, *[None if d is None else int(d) for d in out.shape[1:]]]})
            return out

        cls.__init__, cls.__call__ = patched_init, patched_call


def pytest_unconfigure(config):
    if not _found:
        return
    cases = json.loads(TABLE.read_text())
    seen = {json.dumps(c, sort_keys=True) for c in cases}
    added = 0
    for case in _found:
        key = json.dumps(case, sort_keys=True)
        if key not in seen:
            seen.add(key)
            cases.append(case)
            added += 1
    TABLE.write_text(json.dumps(cases) + ("\n" if TABLE.read_text().endswith("\n") else ""))
    print(f"\nmined {added} new cases")
