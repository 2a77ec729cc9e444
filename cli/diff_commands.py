"""`diff A B` and `summary FILE`: projects as they are, Keras model files imported first."""

from __future__ import annotations

import json
import sys

from builder.quoting import escape_controls
from cli.common import UsageError, _load

MODEL_FILE_SUFFIXES = (".keras", ".h5", ".hdf5")  # imported with Keras for diff and summary; .json is sniffed


def load_any(path: str):
    """A project file as it is, or a Keras model file (.keras, .h5, or a model.to_json() .json) imported as
    `import` does. Only model files load TensorFlow: a project never does."""
    from builder.files.project import ProjectError

    if not path.lower().endswith(MODEL_FILE_SUFFIXES):
        try:
            return _load(path)
        except ProjectError:
            if not _looks_like_model_json(path):
                raise
    from builder.keras.importer import ImportRefused, import_model
    from builder.keras.weight_limit import WeightLimitExceeded

    try:
        return import_model(path).graph
    except ImportRefused as exc:
        raise UsageError(str(exc)) from None
    except WeightLimitExceeded as exc:
        raise UsageError(f"{path}: {exc}") from None


def _looks_like_model_json(path: str) -> bool:
    """Whether a .json file that is not a project starts like model.to_json() (the importer reads it carefully)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return b'"class_name"' in head and b'"keras-canvas"' not in head


def cmd_diff(args) -> int:
    from builder.diff.model_diff import diff_graphs
    from builder.diff.report import diff_dict, diff_text

    if args.window:
        from cli.window import open_window

        return open_window(args.b, compare_with=args.a)
    a, b = load_any(args.a), load_any(args.b)
    diff = diff_graphs(a, b, include_ui=args.ui)
    if args.json:
        print(json.dumps(diff_dict(diff), indent=2, ensure_ascii=False))
    else:
        print(escape_controls(diff_text(diff, args.a, args.b), keep_newlines=True))
    return 0 if diff.same else 1


def cmd_summary(args) -> int:
    from builder.diff.summary import summary_text
    from builder.files.project import ProjectError

    try:
        graph = load_any(args.file)
    except (ProjectError, UsageError):
        if not args.or_raw:
            raise
        from builder.files.safe_read import UnreadableFile, read_limited

        try:
            raw = read_limited(args.file, 64 * 1024 * 1024)
        except UnreadableFile as exc:
            raise UsageError(f"{args.file}: {exc}") from None
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)  # not a model: shown as it is
        return 0
    sys.stdout.write(summary_text(graph))
    return 0


