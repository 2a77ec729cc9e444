"""The settings a training run uses: what was asked (command line, the Training dock), then the project's
`training` section (builder/files/training_section.py), then the suggestions made from the output layer and the
labels:

    softmax and integer labels      -> sparse_categorical_crossentropy + accuracy
    softmax and one-hot labels      -> categorical_crossentropy + accuracy
    one sigmoid unit                -> binary_crossentropy + accuracy
    anything else (linear, relu...) -> mean_squared_error + mean_absolute_error

A model with several outputs gets a loss and metrics per output (suggested from each output's layer and its
labels; the section may set them per output id), compiled as Keras's dicts by output name.

Pure Python: the window asks the worker for the suggestions, but nothing here imports Keras.
"""

from __future__ import annotations

from builder.files.training_section import DEFAULTS, TrainingSettingsError, check_training, per_output, training_of
from builder.model.order import graph_of, model_outputs, wires_into
from builder.quoting import quote

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


def suggest(graph, labels=None, units: int | None = None, output: str | None = None) -> dict:
    """{"loss", "metrics"} for one output (the first by default), given its labels (a numpy array) when known."""
    graph = graph_of(graph)
    outputs = model_outputs(graph)
    if not outputs:
        return {"loss": "mean_squared_error", "metrics": ["mean_absolute_error"]}
    activation = output_activation(graph, output or outputs[0])
    integer_labels = labels is not None and labels.ndim == 1 and labels.dtype.kind in "iub"
    if activation == "softmax":
        if labels is not None and not integer_labels and labels.ndim == 2 and labels.shape[1] > 1:
            return {"loss": "categorical_crossentropy", "metrics": ["accuracy"]}
        return {"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"]}
    if activation == "sigmoid" and units in (None, 1):
        return {"loss": "binary_crossentropy", "metrics": ["accuracy"]}
    return {"loss": "mean_squared_error", "metrics": ["mean_absolute_error"]}


def metrics_for_loss(loss: str) -> list:
    return ["accuracy"] if loss in CLASSIFICATION_LOSSES else ["mean_absolute_error"]


def output_units(graph) -> dict:
    """{output id: its last dimension (units), or None when unknown}."""
    from builder.inference.engine import infer

    graph = graph_of(graph)
    results = infer(graph)
    units = {}
    for output in model_outputs(graph):
        shape = results[output].shape if output in results else None
        units[output] = shape[-1] if shape else None
    return units


def resolve(graph, asked: dict | None = None, labels=None, units: int | None = None) -> dict:
    """Every setting a run needs: `asked` over the project's section over the suggestions and defaults.
    `asked` is checked as the section is (TrainingSettingsError, with `training.` locations). `labels`: the first
    output's labels, or a list with each output's. One output: "loss" is a name and "metrics" a list; several:
    both are objects by output id."""
    graph = graph_of(graph)
    asked = check_training({k: v for k, v in (asked or {}).items() if v is not None})
    section = training_of(graph)
    chosen = {**section, **asked}
    outputs = model_outputs(graph) or ["output"]
    label_list = labels if isinstance(labels, list) else [labels]
    label_list = label_list + [None] * (len(outputs) - len(label_list))
    all_units = output_units(graph) if units is None or len(outputs) > 1 else {outputs[0]: units}
    suggested = {o: suggest(graph, lab, all_units.get(o), o) for o, lab in zip(outputs, label_list)}
    for key in ("loss", "metrics"):
        unknown = [o for o in chosen.get(key) or {} if isinstance(chosen[key], dict) and o not in outputs]
        if unknown:
            problem = (f"training.{key}: the model has no output {quote(unknown[0], 60)}; its outputs are "
                       f"{', '.join(map(quote, outputs))}")
            raise TrainingSettingsError([problem])
    losses = per_output(chosen.get("loss"), outputs, {o: suggested[o]["loss"] for o in outputs})

    def metrics_fallback(o):  # a loss chosen without metrics gets the metric that goes with it
        loss_given = isinstance(chosen.get("loss"), str) or o in (chosen.get("loss") or {})
        return metrics_for_loss(losses[o]) if loss_given else suggested[o]["metrics"]

    metrics = per_output(chosen.get("metrics"), outputs, {o: metrics_fallback(o) for o in outputs})
    settings = {**DEFAULTS, **chosen}
    if len(outputs) == 1:
        settings["loss"], settings["metrics"] = losses[outputs[0]], metrics[outputs[0]]
    else:
        settings["loss"], settings["metrics"] = losses, metrics
    for key in ("data", "label", "features"):
        settings.setdefault(key, None)
    settings.setdefault("resize", False)
    return settings


def loss_of(settings: dict, output: str) -> str:
    """One output's loss, whether the settings hold one loss or one per output."""
    loss = settings["loss"]
    return loss[output] if isinstance(loss, dict) else loss
