"""Compile and fit a graph's model on checked data (builder/keras/training_data.py), for the command line's
`train` and the Keras worker's `train` request alike.

- The data is shuffled with the seed and split: the last `validation_split` of it is held out (validation during
  training, and what evaluation looks at afterwards).
- `on_batch(epoch, batch, steps, logs)` (at most every `report_every_s`, and for each epoch's last batch) and
  `on_epoch(epoch, logs)` report progress; `should_stop()` is asked as each batch begins, and a True ends training
  after that batch with the weights as they are (Keras 3's fit loop checks `stop_training` after each batch).
- The callback costs plain `model.fit` nothing it does not pay already: it declares itself `async_safe`, so Keras
  keeps handing each batch's logs to a thread (reading a log waits for the step; done in the fit loop itself, as
  for any callback with a batch-end hook that is not async-safe, it stalled the loop on every batch).
- The best epoch so far (lowest val_loss, else loss) is saved to `checkpoint_path` (the first at once, later
  ones at most every CHECKPOINT_EVERY_S and at the end), and the trained model to `output_path`, both atomically (builder/files/atomic_file.py): a run killed mid-save leaves the previous file.
"""

from __future__ import annotations

import math
import threading
import time

import numpy as np

from builder.keras.training_data import Dataset

# Writing a .keras file (and fsyncing it) after every better epoch cost a small model's short epochs about a
# tenth of their time; the best weights are kept in memory and written at most this often, and at the end.
CHECKPOINT_EVERY_S = 10.0
OPTIMIZER_CLASSES = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD", "rmsprop": "RMSprop"}


def split(data: Dataset, fraction: float, seed: int | None):
    """(train arrays, held-out arrays, held-out indices): x and y lists shuffled with the seed, then cut."""
    n = len(data)
    order = np.random.default_rng(seed).permutation(n)
    held = round(n * fraction)
    if fraction > 0 and held == 0 and n > 1:
        held = 1
    train_at, held_at = order[: n - held], order[n - held:]
    pick = (lambda arrays, at: [a[at] for a in arrays])
    return ((pick(data.x, train_at), pick(data.y, train_at)), (pick(data.x, held_at), pick(data.y, held_at)),
            held_at)


def compile_model(model, settings: dict):
    import keras

    optimizer = getattr(keras.optimizers, OPTIMIZER_CLASSES[settings["optimizer"]])(
        learning_rate=settings["learning_rate"])
    names = [t._keras_history[0].name for t in model.outputs]
    loss, metrics = settings["loss"], settings.get("metrics") or []
    if len(names) > 1:  # Keras 3 wants each output's loss and metrics by its name (our node id)
        loss = {n: loss[n] if isinstance(loss, dict) else loss for n in names}
        metrics = {n: list(metrics[n] if isinstance(metrics, dict) else metrics) for n in names}
    else:
        loss = loss[names[0]] if isinstance(loss, dict) else loss
        metrics = list(metrics[names[0]] if isinstance(metrics, dict) else metrics)
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
    return model


def make_callback(on_batch=None, on_epoch=None, should_stop=None, checkpoint_path=None, report_every_s=0.0):
    import keras

    from builder.files.atomic_file import atomic_target

    class Progress(keras.callbacks.Callback):
        """Reports progress, stops between batches when asked, and keeps the best epoch's model."""

        # Keras runs batch-end hooks on a thread when every callback says so; the thread reads the step's logs
        # (that waits for the step) while the fit loop dispatches the next one, as in a plain model.fit. Keras
        # waits for those threads before each epoch end, so epoch messages always follow their batches.
        async_safe = True

        def __init__(self):
            super().__init__()
            self.epoch, self.steps, self.stopped, self.best = 0, None, False, math.inf
            self.checkpoint_saved = False
            self.reported, self.last_batch = -math.inf, -1
            self.lock = threading.Lock()  # batch-end hooks may run on several of Keras's threads at once
            self.saved_at, self.pending = -math.inf, None

        def write_checkpoint(self):
            """The best weights so far, saved as a whole model (atomically), then the current weights back."""
            if self.pending is None:
                return
            current = self.model.get_weights()
            self.model.set_weights(self.pending)
            try:
                with atomic_target(checkpoint_path, keep_suffix=True) as tmp:
                    self.model.save(tmp)
            finally:
                self.model.set_weights(current)
            self.pending, self.saved_at, self.checkpoint_saved = None, time.perf_counter(), True

        def on_train_end(self, logs=None):
            if checkpoint_path:
                self.write_checkpoint()

        def on_train_begin(self, logs=None):
            self.steps = self.params.get("steps")

        def on_epoch_begin(self, epoch, logs=None):
            self.epoch, self.last_batch = epoch, -1

        def on_train_batch_begin(self, batch, logs=None):
            # In the fit loop itself (not a thread): the batch beginning now is the last one
            if should_stop is not None and should_stop():
                self.stopped = True
                self.model.stop_training = True

        def on_train_batch_end(self, batch, logs=None):
            if on_batch is None:
                return
            with self.lock:
                now = time.perf_counter()
                last = batch + 1 == self.steps
                if batch <= self.last_batch or not (last or now - self.reported >= report_every_s):
                    return  # a later batch was told already (threads finish out of order), or too soon
                self.reported, self.last_batch = now, batch
                on_batch(self.epoch, batch + 1, self.steps, _floats(logs))

        def on_epoch_end(self, epoch, logs=None):
            logs = _floats(logs)
            score = logs.get("val_loss", logs.get("loss", math.inf))
            if checkpoint_path and math.isfinite(score) and score < self.best:
                self.best = score
                self.pending = self.model.get_weights()  # in memory at once; on disk at most every few seconds
                if time.perf_counter() - self.saved_at >= CHECKPOINT_EVERY_S:  # the first one at once
                    self.write_checkpoint()  # before the epoch is reported, so a kill after it finds the file
            if on_epoch is not None:
                on_epoch(epoch + 1, logs)

    return Progress()


def train(graph, data: Dataset, settings: dict, output_path=None, *, checkpoint_path=None, on_batch=None,
          on_epoch=None, should_stop=None, verbose=0, model=None, report_every_s: float = 0.0,
          keep_weights_from=None) -> dict:
    """Fit the graph's model (or `model`, built already: weights kept from an earlier run) on `data`. Returns
    plain facts: {"history", "stopped", "epochs_done", "train_examples", "held_out", "seconds", "output",
    "checkpoint", "weights", "adapted" (the Normalization layers adapted to the training data)}, and the model
    and held-out arrays under "_model" and "_held_out" for evaluation."""
    import keras

    from builder.files.atomic_file import atomic_target
    from builder.keras.build import build_model
    from builder.keras.normalization_adapt import adapt_normalizations

    if settings.get("seed") is not None:
        keras.utils.set_random_seed(int(settings["seed"]))
    (x_train, y_train), (x_held, y_held), held_at = split(data, settings["validation_split"], settings.get("seed"))
    if len(y_train[0]) == 0:
        from builder.keras.training_data import DataError

        raise DataError(f"{data.source}: {len(data)} example(s) leave none to train on after holding out "
                        f"{settings['validation_split']:.0%}; give more data or a smaller validation split")
    if model is None:
        model = build_model(graph)
    carried = None
    if keep_weights_from is not None:  # unchanged layers keep what an earlier run learnt
        from builder.keras.training_weights import carry_weights

        carried = carry_weights(model, keep_weights_from)
    # Normalization without mean and variance learns them from the training data (never the held-out part).
    adapted = adapt_normalizations(model, _inputs(model, x_train), settings["batch_size"])
    compile_model(model, settings)
    callback = make_callback(on_batch, on_epoch, should_stop, checkpoint_path, report_every_s)
    validation = (_inputs(model, x_held), _outputs(model, y_held)) if len(y_held[0]) else None
    started = time.perf_counter()
    history = model.fit(_inputs(model, x_train), _outputs(model, y_train), batch_size=settings["batch_size"],
                        epochs=settings["epochs"], validation_data=validation, shuffle=True, verbose=verbose,
                        callbacks=[callback])
    seconds = time.perf_counter() - started
    if output_path:
        with atomic_target(output_path, keep_suffix=True) as tmp:
            model.save(tmp)
    return {"history": {k: [float(v) for v in values] for k, values in history.history.items()},
            "stopped": callback.stopped, "epochs_done": len(history.history.get("loss", [])),
            "train_examples": len(y_train[0]), "held_out": len(y_held[0]), "seconds": seconds,
            "output": str(output_path) if output_path else None,
            "checkpoint": str(checkpoint_path) if callback.checkpoint_saved else None, "weights": carried,
            "adapted": adapted,
            "_model": model, "_held_out": (x_held, y_held, held_at)}


def _inputs(model, arrays):
    names = [t._keras_history[0].name for t in model.inputs]
    return arrays[0] if len(arrays) == 1 else dict(zip(names, arrays))


def _outputs(model, arrays):
    names = [t._keras_history[0].name for t in model.outputs]
    return arrays[0] if len(arrays) == 1 else dict(zip(names, arrays))


def _floats(logs) -> dict:
    out = {}
    for key, value in (logs or {}).items():
        try:
            out[key] = float(value)
        except (TypeError, ValueError):
            continue
    return out
