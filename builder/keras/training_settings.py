"""The settings a training run uses: what was asked (command line, the Training dock), then the project's
`training` section (builder/files/training_section.py), then the suggestions made from the output layer and the
labels:

    softmax and integer labels      -> sparse_categorical_crossentropy + accuracy
    softmax and one-hot labels      -> categorical_crossentropy + accuracy
    one sigmoid unit                -> binary_crossentropy + accuracy
    anything else (linear, relu...) -> mean_squared_error + mean_absolute_error

Pure Python: the window asks the worker for the suggestions, but nothing here imports Keras.
"""

from __future__ import annotations

from builder.files.training_section import DEFAULTS, check_training, training_of
from builder.model.order import graph_of, model_outputs, wires_into

CLASSIFICATION_LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy", "binary_crossentropy")


def output_activation(graph, node: str) -> str:
    """The activation that ends at an output node: its own `activation` param, or an Activation/Softmax layer's,
    looking through Dropout, Flatten and the like that pass values on unchanged. 'linear' when none."""
    seen = 0
    while seen < 50:
        data = graph.nodes[node]
        params = data.get("params") or {}
        layer = data.get("layer")
        if "activation" in params:
            return str(params["activation"])
        if layer == "Softmax":
            return "softmax"
        if layer in ("Dropout", "Flatten", "Reshape"):
            sources = [u for u, _p in wires_into(graph, node)]
            if len(sources) == 1:
                node, seen = sources[0], seen + 1
                continue
        return "linear"
    return "linear"


def suggest(graph, labels=None, units: int | None = None) -> dict:
    """{"loss", "metrics"} for the graph's first output, given its labels (a numpy array) when known."""
    graph = graph_of(graph)
    outputs = model_outputs(graph)
    if not outputs:
        return {"loss": "mean_squared_error", "metrics": ["mean_absolute_error"]}
    activation = output_activation(graph, outputs[0])
    integer_labels = labels is not None and labels.ndim == 1 and labels.dtype.kind in "iub"
    if activation == "softmax":
        if labels is not None and not integer_labels and labels.ndim == 2 and labels.shape[1] > 1:
            return {"loss": "categorical_crossentropy", "metrics": ["accuracy"]}
        return {"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}
    if activation == "sigmoid" and units in (None, 1):
        return {"loss": "binary_crossentropy", "metrics": ["accuracy"]}
    return {"loss": "mean_squared_error", "metrics": ["mean_absolute_error"]}


def resolve(graph, asked: dict | None = None, labels=None, units: int | None = None) -> dict:
    """Every setting a run needs: `asked` over the project's section over the suggestions and defaults.
    `asked` is checked as the section is (TrainingSettingsError, with `training.` locations)."""
    asked = check_training({k: v for k, v in (asked or {}).items() if v is not None})
    settings = {**DEFAULTS, **suggest(graph, labels, units), **training_of(graph_of(graph)), **asked}
    if "loss" in asked and "metrics" not in asked and "metrics" not in training_of(graph_of(graph)):
        settings["metrics"] = ["accuracy"] if asked["loss"] in CLASSIFICATION_LOSSES else ["mean_absolute_error"]
    settings.setdefault("data", None)
    settings.setdefault("label", None)
    return settings
