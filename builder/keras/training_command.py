"""`python main.py train FILE --data DATA ... -o OUT.keras [--history H.json]`: the command's work (main.py only
wires its arguments). Settings not given come from the project's `training` section, then the suggestions."""

from __future__ import annotations

import json
import sys

from builder.keras.training_data import DataError, load_data
from builder.quoting import escape_controls


def run_train(graph, project_path: str, asked: dict, output: str, history_path: str | None = None,
              max_data_bytes: int | None = None) -> dict:
    """Load and check the data, train, write the model (and the history) atomically. DataError for bad data
    (exit 2); ModelError for a graph with errors (exit 1); TrainingSettingsError for a bad setting (exit 2)."""
    from builder.files.atomic_file import write_text
    from builder.files.training_section import check_training, training_of
    from builder.keras.training import train
    from builder.keras.training_settings import resolve

    check_training({k: v for k, v in asked.items() if v is not None})  # a bad setting is told before data loads
    section = training_of(graph)
    source = asked.get("data") or section.get("data")
    if not source:
        raise DataError(f"{project_path}: no data: give --data (a .npz, X.npy,Y.npy, a .csv with --label, an image "
                        "folder, or digits), or set training.data in the project")
    label = asked.get("label") or section.get("label")
    features = asked["features"] if asked.get("features") is not None else section.get("features")
    resize = asked["resize"] if asked.get("resize") is not None else section.get("resize", False)
    kwargs = {} if max_data_bytes is None else {"max_bytes": max_data_bytes}
    data = load_data(source, graph, label, features=features, resize=bool(resize), **kwargs)
    settings = resolve(graph, {k: v for k, v in asked.items() if k not in ("data", "label", "features", "resize")},
                       data.y)
    for note in data.notes:
        print(escape_controls(f"data: {note}"), file=sys.stderr)
    print(escape_controls(f"training on {len(data):,} examples from {source}: {settings['optimizer']} "
                          f"(learning rate {settings['learning_rate']}), {_compile_text(settings)}, {settings['epochs']} "
                          f"epoch(s) of batch "
                          f"{settings['batch_size']}, {settings['validation_split']:.0%} held out"), file=sys.stderr)
    result = train(graph, data, settings, output, verbose=1 if sys.stdout.isatty() else 2)
    if result.get("adapted"):
        print(f"adapted to the training data: {', '.join(result['adapted'])} (Normalization)", file=sys.stderr)
    if history_path:
        write_text(history_path, json.dumps(result["history"], indent=1) + "\n")
    return result



def _compile_text(settings: dict) -> str:
    """'loss L, metrics M' for one output; 'OUT: loss L, metrics M; ...' for several."""
    loss, metrics = settings["loss"], settings["metrics"]
    if isinstance(loss, dict):
        return "; ".join(f"{o}: loss {loss[o]}, metrics {', '.join(metrics[o]) or 'none'}" for o in loss)
    return f"loss {loss}, metrics {', '.join(metrics) or 'none'}"
