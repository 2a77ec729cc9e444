"""Keras again for generic nodes whose stored shape is stale (builder/inference/stored_shapes.py): the layer is
deserialized from its config in safe mode (after the importer's safety check) and called on symbolic tensors of
the new input shapes. keras is imported inside `recompute` only; the window runs it in the Keras worker process,
`check --keras` in its own.
"""

from __future__ import annotations

from builder.inference.stored_shapes import KERAS_ERROR_LIMIT, stale_requests


def recompute(node: str, layer: str, config: dict, inputs: list) -> dict:
    """The keras_shape Keras gives a generic node for these input shapes: {"shape", "trainable",
    "non_trainable", "inputs"}, or {"inputs", "error"} with Keras's message when it refuses them.

    The layer is deserialized from {"class_name", "config"} in Keras's safe mode, after the same check the
    importer makes (no Lambda, no custom object anywhere in the config), then called on symbolic tensors of
    the input shapes (a list when several arrive, as builder/keras/build.py does), which builds its weights.
    """
    from builder.catalog.keras_names import KERAS_LAYERS
    from builder.catalog.ops import op_name
    from builder.keras.importer import ImportRefused, check_safe

    inputs = [list(s) for s in inputs]
    if op_name(layer) is not None:
        return _recompute_op(layer, config, inputs)
    if layer not in KERAS_LAYERS:
        return {"inputs": inputs, "error": f"{layer} is not a built-in Keras layer"}
    try:
        check_safe({"class_name": layer, "config": {**config, "name": node}}, node)
    except ImportRefused as exc:
        return {"inputs": inputs, "error": str(exc)}
    import keras  # deferred: only this function needs TensorFlow

    try:
        instance = keras.saving.deserialize_keras_object(
            {"module": "keras.layers", "class_name": layer, "config": _unbuilt({**config, "name": node}),
             "registered_name": None}, safe_mode=True)
        tensors = [keras.KerasTensor(tuple(s)) for s in inputs]
        out = instance(tensors if len(tensors) > 1 else tensors[0])
    except Exception as exc:  # noqa: BLE001 - whatever Keras refuses goes on the node, as its message
        return {"inputs": inputs, "error": _keras_message(exc)}
    if not isinstance(out, keras.KerasTensor):
        return {"inputs": inputs, "error": "it returns several tensors; a node has a single output"}
    return {"shape": [None if d is None else int(d) for d in out.shape],
            "trainable": sum(_count(w) for w in instance.trainable_weights),
            "non_trainable": sum(_count(w) for w in instance.non_trainable_weights),
            "inputs": inputs}


def _recompute_op(layer: str, config: dict, inputs: list) -> dict:
    """A generic op node (builder/catalog/ops/): its keras.ops function called as the node calls it, on symbolic
    tensors of the input shapes. The function comes from the fixed list of keras.ops names, its arguments are
    plain JSON; nothing is deserialized."""
    import keras  # deferred: only this function needs TensorFlow

    from builder.catalog.ops import op_spec
    from builder.catalog.ops.calls import op_call
    from builder.keras.op_build import build_op
    from builder.keras.plan import Step

    spec = op_spec(layer)
    sources = [f"input_{i}" for i in range(len(inputs))]
    step = Step("op", spec, {}, tuple(sources), dict(config))
    try:
        op_call(spec, {}, sources, config)
        out = build_op(keras, step, {s: keras.KerasTensor(tuple(shape)) for s, shape in zip(sources, inputs)})
    except Exception as exc:  # noqa: BLE001 - whatever Keras refuses goes on the node, as its message
        return {"inputs": inputs, "error": _keras_message(exc)}
    if not isinstance(out, keras.KerasTensor):
        return {"inputs": inputs, "error": "it returns several tensors; a node has a single output"}
    return {"shape": [None if d is None else int(d) for d in out.shape], "trainable": 0, "non_trainable": 0,
            "inputs": inputs}


def _unbuilt(value):
    """The config without the build_config of the layers nested in it (a wrapper's inner layer): Keras would
    build them for the input shape they had in the imported model, and count weights for that shape."""
    if isinstance(value, dict):
        return {k: _unbuilt(v) for k, v in value.items() if not (k == "build_config" and "class_name" in value)}
    if isinstance(value, list):
        return [_unbuilt(v) for v in value]
    return value


def _count(weight) -> int:
    n = 1
    for d in weight.shape:
        n *= int(d)
    return n


def _keras_message(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    text = f"{type(exc).__name__}: {text}"
    return text if len(text) <= KERAS_ERROR_LIMIT else text[:KERAS_ERROR_LIMIT - 1] + "…"


def refresh_with_keras(graph) -> list[str]:
    """Recompute every stale generic node of a plain graph with Keras, in place, until none is left (a
    recomputed node may make a generic node after it stale); returns the ids updated, in order."""
    from builder.inference.engine import infer

    updated = []
    done = set()  # each node once: its new keras_shape matches what arrives, so it cannot be stale again
    while True:
        requests = [r for r in stale_requests(graph, infer(graph)) if r["node"] not in done]
        if not requests:
            return updated
        for request in requests:
            graph.nodes[request["node"]]["keras_shape"] = recompute(**request)
            done.add(request["node"])
            updated.append(request["node"])
