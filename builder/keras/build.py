"""Graph -> keras.Model. The only module in builder/ that imports keras, and only when a build is asked for."""

from __future__ import annotations

from builder.keras.op_build import build_op
from builder.keras.plan import ModelError, make_plan
from builder.keras.weight_limit import DEFAULT_MAX_WEIGHT_BYTES, check_weights
from builder.keras.wrappers import keras_arguments
from builder.model.blocks import blocks_of
from builder.model.order import graph_of
from builder.quoting import shorten


def keras_kwargs(params: dict) -> dict:
    """Stored params as Keras takes them: lists (JSON's tuples) become tuples."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


def build_model(source, max_weight_bytes: int | None = DEFAULT_MAX_WEIGHT_BYTES):
    """A fresh keras.Model for the graph (a GraphDocument or a networkx MultiDiGraph).

    Inputs are the Input nodes in document order, outputs the nodes nothing reads from, in document order;
    layer names are node ids. Raises builder.keras.plan.ModelError, with inference's messages, if the graph has errors
    or Keras refuses a node (a config argument it does not take, say: the message names the node);
    builder.keras.weight_limit.WeightLimitExceeded, before Keras allocates anything, if the weights would take more
    than max_weight_bytes (None: no limit).
    """
    plan = make_plan(source)
    if max_weight_bytes is not None:
        check_weights(source, max_weight_bytes)
    import keras  # deferred: importing TensorFlow costs seconds, and only a build needs it

    if blocks_of(graph_of(source)):  # nested models, shared uses: builder/keras/block_build.py
        from builder.keras.block_build import build_with_blocks

        return build_with_blocks(keras, graph_of(source), plan)
    tensors = {}
    for step in plan.steps:
        try:
            if step.spec.is_input:
                tensors[step.id] = make_input(keras, step)
                continue
            if step.spec.op is not None:  # keras.ops.<function>(...): an operation, not a layer
                tensors[step.id] = build_op(keras, step, tensors)
                continue
            tensors[step.id] = call_layer(step, make_layer(keras, step), [tensors[s] for s in step.sources])
        except Exception as exc:  # noqa: BLE001 - Keras is the judge of a config; its refusal names the node
            raise refused(step, exc) from None
    inputs = [tensors[n] for n in plan.inputs]
    outputs = [tensors[n] for n in plan.outputs]
    return functional(keras, inputs, outputs)


def functional(keras, inputs, outputs, name=None):
    """One input or output is passed bare, as hand-written Keras code does, so the model's structure matches it."""
    return keras.Model(inputs=inputs[0] if len(inputs) == 1 else inputs,
                       outputs=outputs[0] if len(outputs) == 1 else outputs, **({"name": name} if name else {}))


def make_input(keras, step):
    return keras.Input(shape=keras_kwargs(step.params)["shape"], name=step.id, **step.config)


def make_layer(keras, step, name=None):
    """The Keras layer of a step, named after its node (or `name`); a wrapper's layer made a Keras layer."""
    kwargs = keras_arguments(keras, step.spec, keras_kwargs(step.params))
    return getattr(keras.layers, step.spec.name)(name=name or step.id, **step.config, **kwargs)


def call_layer(step, layer, arriving):
    if step.spec.call_style == "arguments":  # layer(query, value, key)
        return layer(*arriving)
    return layer(arriving if step.takes_list or step.spec.call_style == "list" else arriving[0])


def refused(step, exc) -> ModelError:
    return ModelError([f"{step.id}: Keras refuses this {step.spec.name}: {keras_message(exc)}"])


def keras_message(exc: Exception) -> str:
    """Keras's (or TensorFlow's) message on one line, at most 600 characters, control characters escaped."""
    return shorten(f"{type(exc).__name__}: {' '.join(str(exc).split())}", 600)


def build_and_save(source, path, max_weight_bytes: int | None = DEFAULT_MAX_WEIGHT_BYTES):
    """Build the graph's model and save it as a .keras file, atomically (builder/files/atomic_file.py): a failed or
    killed save leaves the old file, or none, never a truncated archive. Returns the model and plain facts
    about it: {"path", "params", "trainable", "layers"}. The command line's `build` and the Keras worker process
    both use it. Refuses, as build_model does, a model whose weights would pass max_weight_bytes.
    """
    from builder.files.atomic_file import atomic_target

    model = build_model(source, max_weight_bytes)
    with atomic_target(path, keep_suffix=True) as tmp:  # Keras insists on the .keras suffix
        model.save(tmp)
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    return model, {"path": str(path), "params": int(model.count_params()), "trainable": trainable,
                   "layers": len(model.layers)}
