"""Evaluation on the held-out split, as plain JSON for the window and the command line: the metrics; for a
classifier the confusion matrix and the worst-classified examples (images as 8-bit pixels, rows as values); for
a regression predicted against true. A model with several outputs gets one such part per output under
"outputs" (each with its "output" id); the first output's part is also at the top level."""

from __future__ import annotations

import numpy as np

from builder.keras.training_settings import CLASSIFICATION_LOSSES, loss_of

WORST_SHOWN = 8
MAX_POINTS = 500  # predicted-vs-true points sent to the window
MAX_PIXELS = 64 * 64 * 3  # an example image larger than this is shown shrunk by the window; we send it sampled


def evaluate(model, data, held_out, settings: dict) -> dict:
    x_held, y_held, held_at = held_out
    if len(y_held[0]) == 0:
        return {"examples": 0, "metrics": {}, "kind": "none"}
    from builder.keras.training import _inputs, _outputs

    metrics = model.evaluate(_inputs(model, x_held), _outputs(model, y_held), verbose=0, return_dict=True)
    out = {"examples": len(y_held[0]), "metrics": {k: float(v) for k, v in metrics.items()}}
    predicted = model.predict(_inputs(model, x_held), verbose=0)
    predicted = list(predicted) if isinstance(predicted, (list, tuple)) else [predicted]
    names = [t._keras_history[0].name for t in model.outputs]
    parts = []
    for name, guess, truth in zip(names, predicted, y_held):
        loss = loss_of(settings, name)
        if loss in CLASSIFICATION_LOSSES:
            part = _classification(guess, truth, x_held[0], held_at, data, loss, len(names) == 1)
        else:
            part = _regression(guess, truth)
        parts.append({"output": name, **part})
    out.update(parts[0])
    if len(parts) > 1:
        out["outputs"] = parts
    return out


def _classification(predicted, truth, x, held_at, data, loss, named: bool = True) -> dict:
    if loss == "binary_crossentropy":
        p1 = predicted.reshape(len(predicted), -1)[:, 0]
        probabilities = np.stack([1 - p1, p1], axis=1)
        labels = truth.reshape(len(truth), -1)[:, 0].astype(int)
    else:
        probabilities = predicted.reshape(len(predicted), -1)
        labels = truth.astype(int) if truth.ndim == 1 else np.argmax(truth, axis=1)
    classes = probabilities.shape[1]
    guesses = np.argmax(probabilities, axis=1)
    matrix = np.zeros((classes, classes), dtype=int)
    np.add.at(matrix, (labels, guesses), 1)
    confidence_in_truth = probabilities[np.arange(len(labels)), labels]
    worst = np.argsort(confidence_in_truth)[:WORST_SHOWN]
    names = (data.class_names if named else None) or [str(c) for c in range(classes)]  # a file's class names are
    # those of its one label column
    examples = [{"index": int(held_at[i]), "true": _name(names, labels[i]), "predicted": _name(names, guesses[i]),
                 "confidence": float(probabilities[i, guesses[i]]), **_looks(x[i], data.kind)} for i in worst]
    return {"kind": "classification", "classes": [_name(names, c) for c in range(classes)],
            "confusion": matrix.tolist(), "worst": examples}


def _regression(predicted, truth) -> dict:
    p = predicted.reshape(len(predicted), -1)[:, 0]
    t = truth.reshape(len(truth), -1)[:, 0].astype(float)
    step = max(1, len(p) // MAX_POINTS)
    return {"kind": "regression", "predicted": [float(v) for v in p[::step]], "true": [float(v) for v in t[::step]]}


def _looks(example, kind: str) -> dict:
    """How a person would look at the example: an image as rows of 0..255 grey or RGB, a row as its values."""
    if kind == "images" and example.ndim == 3:
        image = example
        while image.size > MAX_PIXELS:
            image = image[::2, ::2]
        low, high = float(image.min()), float(image.max())
        scaled = (image - low) / (high - low) * 255 if high > low else np.zeros_like(image)
        return {"image": scaled.astype("uint8").tolist()}
    return {"values": [round(float(v), 4) for v in np.ravel(example)[:32]]}


def _name(names, index) -> str:
    return names[index] if 0 <= index < len(names) else str(index)
