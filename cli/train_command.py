"""`train FILE --data DATA ... -o OUT.keras`: the arguments checked and handed to builder/keras/training_command.py."""

from __future__ import annotations

from builder.quoting import escape_controls
from cli.common import UsageError, _load


def cmd_train(args) -> int:
    if not args.output.endswith(".keras"):
        raise UsageError(f"the output must end in .keras (Keras 3's format), got {args.output!r}")
    graph = _load(args.file)
    from builder.files.training_section import TrainingSettingsError
    from builder.keras.training_command import run_train
    from builder.keras.training_data import DataError

    asked = {"data": args.data, "label": args.label, "features": args.features, "resize": args.resize,
             "epochs": args.epochs, "batch_size": args.batch_size,
             "validation_split": args.validation_split, "learning_rate": args.learning_rate,
             "optimizer": args.optimizer, "loss": args.loss, "seed": args.seed}
    try:
        result = run_train(graph, args.file, asked, args.output, args.history)
    except (DataError, TrainingSettingsError) as exc:
        raise UsageError(f"{args.file}: {exc}" if isinstance(exc, TrainingSettingsError) else str(exc)) from None
    print(escape_controls(f"wrote {args.output} ({result['epochs_done']} epoch(s))"
                          + (f" and {args.history}" if args.history else "")))
    return 0


