"""The command line's arguments: one argparse parser with a sub-parser per command (`python main.py --help`)."""

from __future__ import annotations

import argparse

COMMANDS = ("check", "export", "train", "build", "import", "examples", "example", "screenshot", "diff", "summary",
            "explain", "fix")


def _size(text: str) -> int:
    from builder.keras.weight_limit import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _columns(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected column names separated by commas, got {text!r}")
    return names


def _add_max_weights(parser):
    parser.add_argument("--max-weights", type=_size, default=None, metavar="SIZE",
                        help="refuse, before Keras allocates anything, a model whose weights take more than SIZE "
                             "(float32, 4 bytes each; e.g. 500MB, 8GB; default 2GB)")


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="keras-canvas", description="Keras Canvas: a visual model builder for "
                                     "Keras. With no command (or just a FILE), opens the app.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", help="print every node's output shape, params, errors and warnings")
    check.add_argument("file")
    check.add_argument("--json", action="store_true", help="print JSON instead of a table")
    check.add_argument("--keras", action="store_true",
                       help="first recompute, with Keras, the shapes of imported layers outside the catalog whose "
                            "inputs were edited (loads TensorFlow; the file is not changed)")
    _add_max_weights(check)
    export = sub.add_parser("export", help="write a Python script that builds the model with Keras")
    export.add_argument("file")
    export.add_argument("-o", "--output", help="where to write the script (default: print it)")
    export.add_argument("--style", "--merge-style", choices=("layer", "function", "ops"),
                        help="how merges are written: layers.Concatenate(...)([a, b]) (a named layer), "
                             "layers.concatenate([a, b]) (the same layer, by its function) or "
                             "keras.ops.concatenate([a, b]) (an operation: no layer, no name) (default: the file's "
                             "choice, else layer)")
    export.add_argument("--training", action="store_true",
                        help="write a standalone training script (model, compile settings, data loading) instead")
    export.add_argument("--strategy", choices=("none", "mirrored", "multiworker"), default="none",
                        help="with --training: tf.distribute strategy (default none)")
    _add_train_parser(sub)
    build = sub.add_parser("build", help="build the Keras model and save it as a .keras file")
    build.add_argument("file")
    build.add_argument("-o", "--output", required=True, help="the .keras file to write")
    _add_max_weights(build)
    imp = sub.add_parser("import", help="import a Keras model (.keras, .h5 or model.to_json() JSON) as a project")
    imp.add_argument("model")
    imp.add_argument("-o", "--output", required=True, help="the project file (.json) to write")
    _add_max_weights(imp)
    sub.add_parser("examples", help="list the bundled examples")
    example = sub.add_parser("example", help="write a bundled example to a project file")
    example.add_argument("name")
    example.add_argument("-o", "--output", required=True)
    shots = sub.add_parser("screenshot", help="write PNG screenshots of the main window with examples loaded")
    shots.add_argument("-o", "--output", default="screenshots", help="folder for the PNG files")
    shots.add_argument("--example", action="append", dest="examples", help="example name (repeatable)")
    shots.add_argument("--theme", choices=("light", "dark"),
                       help="the window's theme (default: the desktop's, light offscreen); names get _light/_dark")
    diff = sub.add_parser("diff", help="what changed from A to B: nodes added, removed, renamed, changed, rewired, "
                          "and the shapes, counts and errors that follow (exit 0 same, 1 different)")
    diff.add_argument("a", metavar="A", help="the version before: a project file or a Keras model file")
    diff.add_argument("b", metavar="B", help="the version after")
    diff.add_argument("--json", action="store_true", help="print JSON instead of a report")
    diff.add_argument("--ui", action="store_true", help="also report presentation: moved nodes, frames, ...")
    diff.add_argument("--window", action="store_true",
                      help="open B in the app, compared side by side with A (for git difftool)")
    explain = sub.add_parser("explain", help="print why a node has its output shape and parameter count, its "
                             "cost, and the fixes offered for its problems")
    explain.add_argument("file")
    explain.add_argument("node")
    fix = sub.add_parser("fix", help="apply, for every error, the first (or N-th) verified fix, until none is left "
                         "or none can be fixed; exit 0 when OUT has no error, 1 when some remain")
    fix.add_argument("file")
    fix.add_argument("-o", "--output", required=True, help="the project file to write (atomically)")
    fix.add_argument("--pick", type=int, default=1, help="which fix of each error to apply, 1 for the first "
                     "(default); an error with fewer fixes gets its last")
    summary = sub.add_parser("summary", help="print one canonical line per node (for git diff's textconv)")
    summary.add_argument("file")
    summary.add_argument("--or-raw", action="store_true",
                         help="print a file that is neither a project nor a Keras model as it is (so a textconv "
                              "on *.json leaves other JSON files readable)")
    return parser


def _add_train_parser(sub):
    train = sub.add_parser("train", help="train the model on data and save it as a .keras file")
    train.add_argument("file")
    train.add_argument("--data", help="a .npz, X.npy,Y.npy, a .csv (with --label), an image folder, or digits "
                                      "(default: the project's training.data)")
    train.add_argument("--label", help="the label column of a CSV")
    train.add_argument("--features", type=_columns, metavar="A,B,...",
                       help="a CSV's feature columns, in the order the Input takes them (default: all but the label)")
    train.add_argument("--resize", action="store_true", default=None,
                       help="resize images (.npz, .npy) of another height and width than the Input's, instead of "
                            "refusing them")
    train.add_argument("--epochs", type=int)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--validation-split", type=float)
    train.add_argument("--learning-rate", type=float)
    train.add_argument("--optimizer", choices=("adam", "adamw", "sgd", "rmsprop"))
    train.add_argument("--loss")
    train.add_argument("--seed", type=int)
    train.add_argument("-o", "--output", required=True, help="the trained .keras file to write")
    train.add_argument("--history", help="write the per-epoch history as JSON here")


