"""The project file's `training` section: how the model is compiled and fitted. Optional; every key in it is
optional too (a missing one comes from the suggestions: builder/keras/training_settings.py).

    "training": {"optimizer": "adam", "learning_rate": 0.001, "loss": "sparse_categorical_crossentropy",
                 "metrics": ["accuracy"], "epochs": 5, "batch_size": 32, "validation_split": 0.2, "seed": 0,
                 "data": "digits", "label": null, "features": null, "resize": false}

- `loss` and `metrics` are one loss and one list for every output, or, for a model with several outputs, an
  object by output node id: `"loss": {"digit": "sparse_categorical_crossentropy", "size": "mean_squared_error"}`,
  `"metrics": {"digit": ["accuracy"], "size": ["mean_absolute_error"]}` (an output left out gets its suggestion).
- `label` and `features` are a CSV's columns: the label column, and the feature columns in the order the Input
  takes them (null: every column but the label, in the file's order).
- `resize`: images (a .npz or .npy pair) whose height and width differ from the Input's are resized to fit it
  (the remedy the data check offers); false refuses them with that message.

Only names from the lists below are taken, never code or a Keras object's config: a project file must not be a
way to run anything.
"""

from __future__ import annotations

import math

from builder.quoting import quote, show

OPTIMIZERS = ("adam", "adamw", "sgd", "rmsprop")
LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy",
          "mean_squared_error", "mean_absolute_error", "huber")
METRICS = ("accuracy", "sparse_categorical_accuracy", "categorical_accuracy", "binary_accuracy", "auc",
           "mean_absolute_error", "mean_squared_error", "root_mean_squared_error")
DEFAULTS = {"optimizer": "adam", "learning_rate": 0.001, "epochs": 5, "batch_size": 32, "validation_split": 0.2,
            "seed": 0}
MAX_EPOCHS = 100_000
MAX_BATCH_SIZE = 1_000_000
MAX_TEXT = 4096  # a data path or a column name
MAX_OUTPUTS = 1000
MAX_COLUMNS = 100_000


class TrainingSettingsError(ValueError):
    """Problems of a training section, each with where it is: `training.epochs: expected ...`."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _positive_int(limit):
    def check(value):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit:
            return f"expected an integer from 1 to {limit:,}, got {show(value, 40)}"
        return None
    return check


def _learning_rate(value):
    if not _number(value) or not 0 < value <= 10:
        return f"expected a number above 0 and at most 10 (e.g. 0.001), got {show(value, 40)}"
    return None


def _split(value):
    if not _number(value) or not 0 <= value < 1:
        return f"expected a fraction from 0 up to (not including) 1, e.g. 0.2, got {show(value, 40)}"
    return None


def _seed(value):
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**32):
        return f"expected null or an integer from 0 to {2**32 - 1}, got {show(value, 40)}"
    return None


def _choice(names):
    def check(value):
        if value not in names:
            return f"expected one of {', '.join(names)}, got {show(value, 60)}"
        return None
    return check


def _metric_list(value):
    if not isinstance(value, list) or len(value) > len(METRICS):
        return f"expected a list of metric names ({', '.join(METRICS)}), got {show(value, 60)}"
    for name in value:
        if name not in METRICS:
            return f"unknown metric {show(name, 60)}; known: {', '.join(METRICS)}"
    if len(set(value)) != len(value):
        return "a metric is listed twice"
    return None


def _per_output(check, what):
    """One value for every output, or an object of them by output node id (checked against the model later)."""
    def per_output(value):
        if not isinstance(value, dict):
            return check(value)
        if not value or len(value) > MAX_OUTPUTS:
            return f"expected {what} or an object of them by output id (1 to {MAX_OUTPUTS}), got {show(value, 60)}"
        for output, item in value.items():
            if not isinstance(output, str) or not output or len(output) > 100:
                return f"expected output node ids as keys, got {show(output, 40)}"
            problem = check(item)
            if problem:
                return f"{quote(output, 40)}: {problem}"
        return None
    return per_output


def _features(value):
    if value is None:
        return None
    if not isinstance(value, list) or not value or len(value) > MAX_COLUMNS:
        return f"expected null (every column but the label) or a list of column names, got {show(value, 60)}"
    for name in value:
        if problem := _text(name):
            return problem
    if len(set(value)) != len(value):
        return "a column is listed twice"
    return None


def _flag(value):
    return None if isinstance(value, bool) else f"expected true or false, got {show(value, 40)}"


def _text(value):
    if value is not None and (not isinstance(value, str) or not value or len(value) > MAX_TEXT
                              or any(ord(c) < 32 for c in value)):
        return f"expected null or a one-line text, got {show(value, 60)}"
    return None


CHECKS = {"optimizer": _choice(OPTIMIZERS), "learning_rate": _learning_rate,
          "loss": _per_output(_choice(LOSSES), "a loss name"), "metrics": _per_output(_metric_list, "a metric list"),
          "epochs": _positive_int(MAX_EPOCHS), "batch_size": _positive_int(MAX_BATCH_SIZE),
          "validation_split": _split, "seed": _seed, "data": _text, "label": _text, "features": _features,
          "resize": _flag}


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def check_training(section, where: str = "training") -> dict:
    """The section as stored (a new dict, in the documented key order), or TrainingSettingsError."""
    if not isinstance(section, dict):
        raise TrainingSettingsError([f"{where}: expected an object of training settings, got {show(section, 40)}"])
    problems = []
    for key in section:
        if key not in CHECKS:
            problems.append(f"{where}.{quote(key, 40) if not isinstance(key, str) or not key.isidentifier() else key}"
                            f": unknown key; the training section has {', '.join(CHECKS)}")
    clean = {}
    for key, check in CHECKS.items():
        if key in section:
            problem = check(section[key])
            if problem:
                problems.append(f"{where}.{key}: {problem}")
            else:
                clean[key] = _copy(section[key])
    if problems:
        raise TrainingSettingsError(problems)
    return clean


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return list(value) if isinstance(value, list) else value


def per_output(value, outputs: list, fallback: dict) -> dict:
    """{output id: value} for a setting given once for every output or by output id; outputs left out take
    `fallback[output]` (their suggestion)."""
    if isinstance(value, dict):
        return {o: _copy(value[o]) if o in value else fallback[o] for o in outputs}
    return {o: _copy(value) if value is not None else fallback[o] for o in outputs}


def training_of(graph) -> dict:
    """The graph's training section (possibly empty); builder.load keeps it in graph.graph["training"]."""
    return dict(graph.graph.get("training") or {})
