"""The Keras worker's `train` request (builder/keras/worker.py): load and check the data, train with progress
messages and Stop, save the best checkpoint and the trained model atomically, and evaluate on the held-out split.
The answer is plain JSON (the window draws it; nothing is pickled)."""

from __future__ import annotations

import time

BATCH_REPORT_S = 0.1  # at most ten batch messages a second: the curves stay live, the training stays fast


def train_request(payload: dict, progress, should_stop) -> dict:
    from builder.files.project import parse
    from builder.files.training_section import training_of
    from builder.keras.training import train
    from builder.keras.training_data import load_data
    from builder.keras.training_evaluation import evaluate
    from builder.keras.training_settings import resolve

    started = time.perf_counter()
    graph = parse(str(payload["project"]), "<editor>")
    asked = dict(payload.get("settings") or {})
    section = training_of(graph)
    source = payload.get("data") or asked.get("data") or section.get("data")
    label = payload.get("label") or asked.get("label") or section.get("label")
    features = asked.get("features", section.get("features"))
    resize = bool(payload.get("resize", asked.get("resize", section.get("resize", False))))
    for key in ("data", "label", "features", "resize"):
        asked.pop(key, None)
    if not source:
        raise ValueError("no data: choose a data file, a folder, or digits")
    progress(f"loading {source}")
    data = load_data(str(source), graph, label, features=features, resize=resize)
    settings = resolve(graph, asked, data.y)
    epochs = settings["epochs"]
    def on_batch(epoch, batch, steps, logs):
        now = time.perf_counter()
        progress(f"epoch {epoch + 1}/{epochs}, batch {batch}/{steps}",
                 train={"phase": "batch", "epoch": epoch + 1, "epochs": epochs, "batch": batch, "steps": steps,
                        "logs": logs, "seconds": now - started})

    def on_epoch(epoch, logs):
        progress(f"epoch {epoch}/{epochs} done",
                 train={"phase": "epoch", "epoch": epoch, "epochs": epochs, "logs": logs,
                        "seconds": time.perf_counter() - started})

    progress(f"training on {len(data):,} examples", train={"phase": "start", "epochs": epochs,
                                                          "settings": settings, "notes": data.notes})
    result = train(graph, data, settings, payload.get("output"), checkpoint_path=payload.get("checkpoint"),
                   on_batch=on_batch, on_epoch=on_epoch, should_stop=should_stop, report_every_s=BATCH_REPORT_S,
                   keep_weights_from=payload.get("keep_weights_from"))
    model, held_out = result.pop("_model"), result.pop("_held_out")
    progress("evaluating on the held-out examples")
    evaluation = evaluate(model, data, held_out, settings)
    return {**result, "settings": settings, "notes": data.notes, "evaluation": evaluation,
            "seconds": time.perf_counter() - started}

