"""Shared check for importer tests: import a model, compare with Keras per layer, export, rebuild, compare."""

from __future__ import annotations

import json
import time

from builder.files import project
from builder.inference.engine import infer
from builder.keras.code_export import export_code
from builder.keras.importer import import_model


def _canonical(config) -> str:
    return json.dumps(config, sort_keys=True, default=str)


def round_trip(keras, model, tmp_path, kind: str) -> dict:
    """Import `model` saved as `kind` ('keras', 'json' or 'h5'); assert per-layer shapes and counts, the
    project file's round trip and the exported script's rebuild. Returns the timings in seconds."""
    path = tmp_path / f"model.{kind}"
    if kind == "json":
        path.write_text(model.to_json())
    else:
        model.save(path)
    times = {}
    start = time.perf_counter()
    doc = import_model(path)
    times["import"] = time.perf_counter() - start

    start = time.perf_counter()
    results = infer(doc.graph)
    times["inference"] = time.perf_counter() - start
    keras_layers = {layer.name: layer for layer in model.layers}
    for node, result in results.items():
        layer = keras_layers[node]
        assert result.error is None, result.error
        assert result.shape == tuple(layer.output.shape), (node, result.shape, layer.output.shape)
        assert result.params == layer.count_params(), (node, result.params, layer.count_params())
    assert set(results) == set(keras_layers)

    text = project.dumps(doc.graph)
    assert project.dumps(project.parse(text)) == text  # saving and loading again gives the same graph
    again = project.parse(text)
    assert list(again.nodes(data=True)) == list(doc.graph.nodes(data=True))

    start = time.perf_counter()
    code = export_code(doc)
    times["export"] = time.perf_counter() - start
    namespace: dict = {}
    exec(compile(code, "exported", "exec"), namespace)  # noqa: S102 - our own exported script, the thing tested
    rebuilt = namespace["build_model"]()
    assert rebuilt.count_params() == model.count_params()
    for layer in model.layers:
        other = rebuilt.get_layer(layer.name)
        assert type(other) is type(layer), layer.name
        assert _canonical(other.get_config()) == _canonical(layer.get_config()), layer.name
        assert _wiring(other) == _wiring(layer), layer.name
    return times


def _wiring(layer) -> list:
    return [[t._keras_history[0].name for t in node.input_tensors] for node in layer._inbound_nodes]
