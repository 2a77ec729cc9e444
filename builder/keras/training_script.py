"""`export --training`: a standalone training script (keras and numpy, scikit-learn for `digits`, TensorFlow for a
strategy) with the model, the compile settings and the data loading, and options --data, --label, --epochs,
--batch-size, -o, --history and --strategy.

The model is built and compiled inside `strategy.scope()`. `none` and `mirrored` (several GPUs of one machine)
train with model.fit. `multiworker` (tf.distribute.MultiWorkerMirroredStrategy, configured by TF_CONFIG) cannot:
Keras 3's model.fit fails there (keras-team/keras #20585, "Attempt to convert a value (PerReplica…) to a Tensor"),
so the script runs its own step: `strategy.run` over a distributed dataset (sharded per worker), the loss scaled
with tf.nn.compute_average_loss against the global batch, gradients from tf.GradientTape, the Keras optimizer's
apply_gradients, and the step's numbers summed with strategy.reduce. It prints the same per-epoch line and writes
the same history as fit, and only the chief writes the model.

A Normalization node without mean and variance is adapted to the training examples (never the held-out ones)
before the fit, as the app's training does: the script carries the app's own adapt_normalizations (its source,
so the two cannot drift apart), and calls it only when the graph has such a node.

The settings are written as literals (code_export.literal: escaped, never evaluated from the file), so the
script does nothing but what it says whatever the project holds.
"""

from __future__ import annotations

import inspect

from builder.keras.code_export import export_code, literal
from builder.keras.normalization_adapt import adapt_normalizations
from builder.keras.training_settings import loss_of, resolve

STRATEGIES = ("none", "mirrored", "multiworker")
OPTIMIZER_CLASSES = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "rmsprop": "RMSprop"}
PER_EXAMPLE_METRICS = {  # the metric names of the multiworker step, as per-example functions
    "sparse_categorical_accuracy": "keras.metrics.sparse_categorical_accuracy",
    "categorical_accuracy": "keras.metrics.categorical_accuracy",
    "binary_accuracy": "keras.metrics.binary_accuracy",
    "mean_absolute_error": "keras.losses.mean_absolute_error",
    "mean_squared_error": "keras.losses.mean_squared_error",
}
ACCURACY_FOR_LOSS = {"sparse_categorical_crossentropy": "sparse_categorical_accuracy",
                     "categorical_crossentropy": "categorical_accuracy", "binary_crossentropy": "binary_accuracy"}

LOADERS = '''

def load_data(source, label=None):
    """(x, y): dicts of arrays by input and output name, from digits, a .npz, X.npy,Y.npy, a .csv or a folder."""
    if source == "digits":
        # shipped inside scikit-learn's package: no download
        from sklearn.datasets import load_digits

        digits = load_digits()
        images = (digits.images / 16.0).astype("float32")[..., None]
        return {INPUT_NAMES[0]: fit_images(images, INPUT_SHAPES[0])}, {OUTPUT_NAMES[0]: digits.target}
    if source.endswith(".npz"):
        arrays = np.load(source, allow_pickle=False)
        if all(name in arrays.files for name in INPUT_NAMES + OUTPUT_NAMES):
                return ({n: shaped(arrays[n], s) for n, s in zip(INPUT_NAMES, INPUT_SHAPES)},
                    {n: arrays[n] for n in OUTPUT_NAMES})
        return {INPUT_NAMES[0]: shaped(arrays["x"], INPUT_SHAPES[0])}, {OUTPUT_NAMES[0]: arrays["y"]}
    if source.endswith(".npy"):
        x_path, y_path = source.split(",")
        x = shaped(np.load(x_path, allow_pickle=False), INPUT_SHAPES[0])
        return {INPUT_NAMES[0]: x}, {OUTPUT_NAMES[0]: np.load(y_path, allow_pickle=False)}
    if source.endswith(".csv"):
        with open(source, encoding="utf-8-sig") as handle:
            header = [name.strip() for name in handle.readline().strip().split(",")]
        table = np.genfromtxt(source, delimiter=",", skip_header=1, dtype=str)
        at = header.index(label)
        columns = [header.index(name) for name in FEATURES] if FEATURES else [
            i for i in range(len(header)) if i != at]
        x = table[:, columns].astype("float32")
        labels = table[:, at]
        try:
            y = labels.astype("float64")
            y = y.astype("int64") if np.all(y == np.round(y)) else y.astype("float32")
        except ValueError:
            y = np.unique(labels, return_inverse=True)[1]
        return {INPUT_NAMES[0]: x}, {OUTPUT_NAMES[0]: y}
    height, width, channels = INPUT_SHAPES[0]
    folder = keras.utils.image_dataset_from_directory(source, image_size=(height, width), batch_size=None,
                                                      color_mode="grayscale" if channels == 1 else "rgb",
                                                      shuffle=False)
    pairs = list(folder.as_numpy_iterator())
    x = np.stack([p[0] for p in pairs]).astype("float32") / 255.0
    return {INPUT_NAMES[0]: x}, {OUTPUT_NAMES[0]: np.array([p[1] for p in pairs])}


def shaped(array, shape):
    """Float32; grey images given their channel axis; resized to the Input when RESIZE is set."""
    array = array.astype("float32")
    if len(shape) == 3 and array.ndim == 3:
        array = array[..., None]
    if RESIZE and len(shape) == 3 and tuple(shape[:2]) != array.shape[1:3]:
        array = fit_images(array, shape)
    return array


def fit_images(images, shape):
    """Grey images (n, h, w, 1) resized and given the channels of an Input of `shape`."""
    if len(shape) == 1:
        return images.reshape(len(images), -1)
    if tuple(shape[:2]) != images.shape[1:3]:
        images = np.asarray(keras.ops.image.resize(images, shape[:2]), dtype="float32")
    return np.repeat(images, shape[2], axis=-1) if shape[2] == 3 else images


def make_optimizer():
    return getattr(keras.optimizers, OPTIMIZER)(learning_rate=LEARNING_RATE)


def split(x, y, fraction, seed):
    """Shuffled with the seed; the last `fraction` held out for validation."""
    n = len(next(iter(y.values())))
    order = np.random.default_rng(seed).permutation(n)
    held = round(n * fraction)
    train_at, held_at = order[: n - held], order[n - held:]
    pick = (lambda arrays, at: {name: array[at] for name, array in arrays.items()})
    return (pick(x, train_at), pick(y, train_at)), (pick(x, held_at), pick(y, held_at))


def bare(arrays):
    """A one-array dict as the array itself (a one-input model takes it so), else the dict."""
    return next(iter(arrays.values())) if len(arrays) == 1 else arrays
'''

FIT_MAIN = '''

def train(args, strategy):
    (x, y), (x_held, y_held) = split(*load_data(args.data, args.label), VALIDATION_SPLIT, SEED)
    with strategy.scope():
        model = build_model()
        model.compile(optimizer=make_optimizer(), loss=LOSS, metrics=METRICS)
    ADAPT_STEP
    validation = (bare(x_held), bare(y_held)) if len(next(iter(y_held.values()))) else None
    batch = args.batch_size * strategy.num_replicas_in_sync  # the global batch grows with the replicas
    history = model.fit(bare(x), bare(y), batch_size=batch, epochs=args.epochs, validation_data=validation,
                        verbose=2)
    return model, history.history, True
'''

CUSTOM_STEP_MAIN = '''

def train(args, strategy):
    """MultiWorkerMirroredStrategy: Keras 3's model.fit does not run here (keras-team/keras #20585), so this is
    the step it would take, run by strategy.run on each replica."""
    (x, y), _held = split(*load_data(args.data, args.label), VALIDATION_SPLIT, SEED)
    global_batch = args.batch_size * strategy.num_replicas_in_sync
    with strategy.scope():
        model = build_model()
        optimizer = make_optimizer()
        model.compile(optimizer=optimizer, loss=LOSS, metrics=METRICS)  # saved with the model
    ADAPT_STEP
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(next(iter(y.values()))), seed=SEED)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    # drop_remainder: every worker takes the same number of steps, or the collective ops would wait forever
    dataset = dataset.batch(global_batch, drop_remainder=True).with_options(options)
    distributed = strategy.experimental_distribute_dataset(dataset)

    def replica_step(inputs, targets):
        with tf.GradientTape() as tape:
            predictions = model(bare(inputs), training=True)
            predictions = predictions if isinstance(predictions, (list, tuple)) else [predictions]
            parts = [tf.nn.compute_average_loss(PER_EXAMPLE_LOSSES[name](targets[name], predicted),
                                                global_batch_size=global_batch)
                     for name, predicted in zip(OUTPUT_NAMES, predictions)]
            loss = tf.add_n(parts)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        sums = [tf.reduce_sum(tf.cast(function(targets[output], predictions[OUTPUT_NAMES.index(output)]), "float32"))
                for output, function in PER_EXAMPLE_METRICS.values()]
        return [loss, *(parts if len(OUTPUT_NAMES) > 1 else []), *sums]

    @tf.function
    def distributed_step(inputs, targets):
        results = strategy.run(replica_step, args=(inputs, targets))
        return [strategy.reduce(tf.distribute.ReduceOp.SUM, value, axis=None) for value in results]

    # as model.fit names them: "loss", each output's "NAME_loss" when there are several, then the metrics
    loss_names = [f"{name}_loss" for name in OUTPUT_NAMES] if len(OUTPUT_NAMES) > 1 else []
    history = {"loss": [], **{name: [] for name in loss_names}, **{name: [] for name in PER_EXAMPLE_METRICS}}
    for epoch in range(args.epochs):
        losses, parts, sums, seen = [], np.zeros(len(loss_names)), np.zeros(len(PER_EXAMPLE_METRICS)), 0
        for inputs, targets in distributed:
            loss, *rest = distributed_step(inputs, targets)
            losses.append(float(loss))
            parts += [float(p) for p in rest[:len(loss_names)]]
            sums += [float(s) for s in rest[len(loss_names):]]
            seen += global_batch
        history["loss"].append(float(np.mean(losses)) if losses else float("nan"))
        for name, total in zip(loss_names, parts):
            history[name].append(float(total / max(len(losses), 1)))
        for name, total in zip(PER_EXAMPLE_METRICS, sums):
            history[name].append(float(total / max(seen, 1)))
        line = " - ".join(f"{name}: {values[-1]:.4f}" for name, values in history.items())
        print(f"Epoch {epoch + 1}/{args.epochs} - {len(losses)} steps - {line}", flush=True)
    resolver = strategy.cluster_resolver
    chief = resolver is None or resolver.task_type in (None, "chief") or (
        resolver.task_type == "worker" and resolver.task_id == 0 and "chief" not in resolver.cluster_spec().jobs)
    return model, history, chief
'''

MAIN = '''

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DATA, help="digits, a .npz, X.npy,Y.npy, a .csv (with --label) or a folder")
    parser.add_argument("--label", default=LABEL, help="the label column of a CSV (its features: FEATURES)")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="per replica")
    parser.add_argument("-o", "--output", default="trained.keras")
    parser.add_argument("--history", help="write the per-epoch history as JSON here")
    parser.add_argument("--strategy", choices=("none", "mirrored", "multiworker"), default=STRATEGY)
    args = parser.parse_args()
    if args.data is None:
        parser.error("give --data")
    keras.utils.set_random_seed(SEED)
    strategy = make_strategy(args.strategy)
    model, history, chief = train(args, strategy)
    if chief:  # the other workers trained the same weights; one copy is enough
        model.save(args.output)
        if args.history:
            with open(args.history, "w", encoding="utf-8") as handle:
                json.dump(history, handle, indent=1)
        print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
'''

STRATEGY_NONE = '''

def make_strategy(name):
    if name != "none":
        raise SystemExit("this script was exported without TensorFlow's strategies; export it with --strategy")
    return NoStrategy()


class NoStrategy:
    """The one-device stand-in: the same calls as a tf.distribute strategy, on any Keras backend."""

    num_replicas_in_sync = 1

    def scope(self):
        import contextlib

        return contextlib.nullcontext()
'''

STRATEGY_TF = '''

def make_strategy(name):
    if name == "multiworker":  # configured by TF_CONFIG: {"cluster": {"worker": [...]}, "task": {...}}
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "mirrored":  # every GPU of this machine
        return tf.distribute.MirroredStrategy()
    return tf.distribute.get_strategy()  # the default: one device
'''


def training_script(graph, strategy: str = "none", asked: dict | None = None) -> str:
    """The script's text (ModelError if the graph has errors)."""
    from builder.keras.training_data import signature

    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}; choose none, mirrored or multiworker")
    model_code = export_code(graph, "layer")
    # From the first function: a model with blocks has its block functions before build_model (block_export.py).
    build = model_code[model_code.index("\ndef ") + 1: model_code.index('\n\n\nif __name__')]
    sig = signature(graph)
    settings = resolve(graph, asked)
    outputs = [n for n, _s in sig.outputs]
    losses = {o: loss_of(settings, o) for o in outputs}
    metrics = settings["metrics"]
    # named as fit names them in its history ("accuracy", or "digit_accuracy" for one of several outputs),
    # computed by the per-example function behind the name
    step_metrics = {}
    for output in outputs:
        for m in (metrics[output] if isinstance(metrics, dict) else metrics):
            function = ACCURACY_FOR_LOSS.get(losses[output], "") if m == "accuracy" else m
            if function in PER_EXAMPLE_METRICS:
                step_metrics[m if len(outputs) == 1 else f"{output}_{m}"] = (output, PER_EXAMPLE_METRICS[function])
    uses_tf = strategy != "none"
    header = [
        f'"""Trains the model {literal(_name(graph))[1:-1]} exported by Keras Canvas (strategy: {strategy}).',
        "",
        "    python train.py [--data DATA] [--epochs N] [--batch-size B] [-o OUT.keras] [--history H.json]",
        '"""',
        "",
        "import argparse",
        "import json",
        "",
        "import keras",
        "import numpy as np",
        *(["import tensorflow as tf"] if uses_tf else []),
        "from keras import layers",
        "",
        f"STRATEGY = {literal(strategy)}",
        f"DATA = {literal(settings['data'])}",
        f"LABEL = {literal(settings['label'])}",
        f"OPTIMIZER = {literal(OPTIMIZER_CLASSES[settings['optimizer']])}",
        f"LEARNING_RATE = {literal(float(settings['learning_rate']))}",
        f"FEATURES = {_python(settings['features'])}",
        f"RESIZE = {literal(bool(settings['resize']))}",
        f"LOSS = {_python(settings['loss'])}",
        f"METRICS = {_python(metrics)}",
        f"EPOCHS = {literal(settings['epochs'])}",
        f"BATCH_SIZE = {literal(settings['batch_size'])}",
        f"VALIDATION_SPLIT = {literal(float(settings['validation_split']))}",
        f"SEED = {literal(settings['seed'] if settings['seed'] is not None else 0)}",
        f"INPUT_NAMES = [{', '.join(literal(n) for n, _s in sig.inputs)}]",
        f"INPUT_SHAPES = [{', '.join(literal(list(s)) for _n, s in sig.inputs)}]",
        f"OUTPUT_NAMES = [{', '.join(literal(n) for n, _s in sig.outputs)}]",
    ]
    if strategy == "multiworker":
        header.append("PER_EXAMPLE_LOSSES = {" + ", ".join(f"{literal(o)}: keras.losses.{losses[o]}" for o in outputs)
                      + "}")
        header.append("PER_EXAMPLE_METRICS = {" + ", ".join(f"{literal(m)}: ({literal(o)}, {f})"
                                                          for m, (o, f) in step_metrics.items()) + "}")
    body = LOADERS + (STRATEGY_TF if uses_tf else STRATEGY_NONE)
    train_code = CUSTOM_STEP_MAIN if strategy == "multiworker" else FIT_MAIN
    if _has_unadapted_normalization(graph):
        body += "\n\n" + inspect.getsource(adapt_normalizations).rstrip() + "\n"
        body += train_code.replace("    ADAPT_STEP\n", ADAPT_STEP)
    else:
        body += train_code.replace("    ADAPT_STEP\n", "")
    return "\n".join(header) + "\n\n\n" + build + "\n" + body + MAIN


ADAPT_STEP = """\
    # Normalization without mean and variance learns them from the training examples, as in Keras Canvas
    adapt_normalizations(model, bare(x), args.batch_size)
"""


def _has_unadapted_normalization(graph) -> bool:
    return any(data.get("layer") == "Normalization" and (data.get("params") or {}).get("mean") is None
               for _node, data in graph.nodes(data=True))


def _name(graph) -> str:
    return str((graph.graph.get("ui") or {}).get("name") or "")[:80] or "from the canvas"


def _python(value) -> str:
    """A setting as Python source: lists stay lists (Keras's compile takes them so), objects stay dicts."""
    if isinstance(value, list):
        return "[" + ", ".join(_python(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {_python(v)}" for k, v in value.items()) + "}"
    return literal(value)
