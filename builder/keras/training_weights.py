"""Keeping what was learnt when the model is rebuilt after an edit: a layer whose name (node id), class, config
and weight shapes are the same as in the previous trained model takes that model's weights; every other layer
starts fresh, and the answer says which (so the person knows what will be learnt again)."""

from __future__ import annotations

from pathlib import Path


def carry_weights(model, previous_path) -> dict:
    """Copy weights from the .keras file at `previous_path` into `model` where the layer did not change.
    Returns {"kept": [names], "fresh": [names]} (layers without weights are in neither); a missing or unreadable
    previous file keeps nothing and says why under "note"."""
    import keras

    with_weights = [layer for layer in model.layers if layer.weights]
    if not previous_path or not Path(previous_path).is_file():
        return {"kept": [], "fresh": [layer.name for layer in with_weights], "note": "no earlier trained model"}
    try:
        previous = keras.saving.load_model(previous_path, compile=False)
    except Exception as exc:  # noqa: BLE001 -- an old file Keras cannot read: train from scratch, and say so
        return {"kept": [], "fresh": [layer.name for layer in with_weights],
                "note": f"the earlier model cannot be read ({type(exc).__name__})"}
    old = {layer.name: layer for layer in previous.layers}
    kept, fresh = [], []
    for layer in with_weights:
        before = old.get(layer.name)
        if before is not None and _same(layer, before):
            layer.set_weights(before.get_weights())
            kept.append(layer.name)
        else:
            fresh.append(layer.name)
    return {"kept": kept, "fresh": fresh}


def _same(layer, before) -> bool:
    if type(layer) is not type(before):
        return False
    if [tuple(w.shape) for w in layer.weights] != [tuple(w.shape) for w in before.weights]:
        return False
    mine, theirs = dict(layer.get_config()), dict(before.get_config())
    for config in (mine, theirs):
        config.pop("name", None)
    return mine == theirs
