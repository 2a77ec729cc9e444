"""Keras Canvas: `python main.py [FILE]` opens the app; the other commands work without a window.

    python main.py check FILE [--json] [--keras]   shapes, params, errors and warnings of every node
    python main.py export FILE [-o OUT.py] [--style layer|function]
    python main.py export FILE --training -o train.py [--strategy none|mirrored|multiworker]   a training script
    python main.py train FILE --data DATA [--label COL] [--epochs N] ... -o OUT.keras [--history H.json]
    python main.py build FILE -o OUT.keras [--max-weights 2GB]   builds the Keras model, saves it, prints its summary
    python main.py import MODEL -o FILE.json [--max-weights 2GB]  imports a .keras, .h5 or to_json() file
    python main.py examples                    lists the bundled examples
    python main.py example NAME -o FILE        writes one of them
    python main.py screenshot [-o DIR] [--example NAME ...] [--theme light|dark]   PNGs of the window
    python main.py diff A B [--json] [--ui] [--window]   what changed from A to B (projects or Keras model files)
    python main.py summary FILE [--or-raw]    one canonical line per node (git's textconv for project files)
    python main.py explain FILE NODE          why NODE has its shape and parameter count, and what it costs
    python main.py fix FILE -o OUT.json [--pick N]   applies a verified fix to every error it can; writes OUT

Exit codes: 0 ok, 1 the graph has errors (diff: the models differ), 2 unreadable file or bad usage, 3 no display.
`check` (without --keras) and `export` never import TensorFlow; the window imports it only when a Keras build is needed.
Every file written is written atomically (builder/files/atomic_file.py): a failed write leaves the old file as it was.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import socket
import sys
from pathlib import Path

from builder.files.resources import examples_dir
from builder.quoting import escape_controls

EXAMPLES_DIR = examples_dir()
COMMANDS = ("check", "export", "train", "build", "import", "examples", "example", "screenshot", "diff", "summary",
            "explain", "fix")
MODEL_FILE_SUFFIXES = (".keras", ".h5", ".hdf5")  # imported with Keras for diff and summary; .json is sniffed


class UsageError(Exception):
    """A mistake in how the command was called; exit code 2."""


def _size(text: str) -> int:
    from builder.keras.weight_limit import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_max_weights(parser):
    parser.add_argument("--max-weights", type=_size, default=None, metavar="SIZE",
                        help="refuse, before Keras allocates anything, a model whose weights take more than SIZE "
                             "(float32, 4 bytes each; e.g. 500MB, 8GB; default 2GB)")


def _parser() -> argparse.ArgumentParser:
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
    export.add_argument("--style", choices=("layer", "function"),
                        help="layers.Concatenate(...)([a, b]) or layers.concatenate([a, b]) (default: the file's "
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
    train.add_argument("--epochs", type=int)
    train.add_argument("--batch-size", type=int)
    train.add_argument("--validation-split", type=float)
    train.add_argument("--learning-rate", type=float)
    train.add_argument("--optimizer", choices=("adam", "adamw", "sgd", "rmsprop"))
    train.add_argument("--loss")
    train.add_argument("--seed", type=int)
    train.add_argument("-o", "--output", required=True, help="the trained .keras file to write")
    train.add_argument("--history", help="write the per-epoch history as JSON here")


def _load(path: str):
    import builder

    return builder.load(path)


def _max_weights(args) -> int:
    from builder.keras.weight_limit import DEFAULT_MAX_WEIGHT_BYTES

    return DEFAULT_MAX_WEIGHT_BYTES if args.max_weights is None else args.max_weights


def cmd_check(args) -> int:
    from builder.inference.report import check_dict, check_table

    graph = _load(args.file)
    if args.keras:
        from builder.keras.recompute import refresh_with_keras
        from builder.keras.weight_limit import check_weights

        check_weights(graph, _max_weights(args))  # Keras builds each recomputed layer's weights

        updated = refresh_with_keras(graph)
        if updated:
            print(f"recomputed with Keras: {', '.join(updated)}", file=sys.stderr)
    if args.json:
        from builder.fixes.check_report import full_check

        data = full_check(graph)
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0 if data["valid"] and not data["budget_problems"] else 1
    from builder.fixes.check_report import cost_lines

    data = check_dict(graph)
    lines, over = cost_lines(graph)
    print(check_table(graph))
    print("\n".join(lines))
    if over:
        print(f"\nOver budget ({len(over)}):\n" + "\n".join(f"  {p}" for p in over))
    return 0 if data["valid"] and not over else 1


def cmd_explain(args) -> int:
    from builder.fixes.explain_text import explain_text

    graph = _load(args.file)
    if args.node not in graph:
        from builder.quoting import quote

        raise UsageError(f"{args.file}: there is no node {quote(args.node)}; `check {args.file}` lists the nodes")
    print(explain_text(graph, args.node))
    return 0


def cmd_fix(args) -> int:
    import builder
    from builder.fixes import fix_graph

    if args.pick < 1:
        raise UsageError(f"--pick: expected 1 or more, got {args.pick}")
    graph = _load(args.file)
    fixed, applied = fix_graph(graph, pick=args.pick - 1)
    builder.save(fixed, args.output)
    for fix in applied:
        print(f"fixed {fix.node}: {fix.title}")
    left = [r.error for r in builder.infer(fixed).values() if r.error]
    if left:
        print(f"{len(left)} error(s) left, without a fix that works:", *(f"  {e}" for e in left), sep="\n")
    print(f"wrote {args.output}")
    return 1 if left else 0


def cmd_export(args) -> int:
    from builder.keras.code_export import export_code

    graph = _load(args.file)
    if args.training:
        from builder.keras.training_script import training_script

        code, style = training_script(graph, args.strategy), f"a training script, strategy {args.strategy}"
    else:
        style = args.style or (graph.graph.get("ui") or {}).get("export_style") or "layer"
        code = export_code(graph, style)
    if args.output:
        from builder.files.atomic_file import write_text

        write_text(args.output, code)
        print(escape_controls(f"wrote {args.output} ({style}{'' if args.training else ' style'})"), file=sys.stderr)
    else:
        sys.stdout.write(code)
    return 0


def cmd_train(args) -> int:
    if not args.output.endswith(".keras"):
        raise UsageError(f"the output must end in .keras (Keras 3's format), got {args.output!r}")
    graph = _load(args.file)
    from builder.files.training_section import TrainingSettingsError
    from builder.keras.training_command import run_train
    from builder.keras.training_data import DataError

    asked = {"data": args.data, "label": args.label, "epochs": args.epochs, "batch_size": args.batch_size,
             "validation_split": args.validation_split, "learning_rate": args.learning_rate,
             "optimizer": args.optimizer, "loss": args.loss, "seed": args.seed}
    try:
        result = run_train(graph, args.file, asked, args.output, args.history)
    except (DataError, TrainingSettingsError) as exc:
        raise UsageError(f"{args.file}: {exc}" if isinstance(exc, TrainingSettingsError) else str(exc)) from None
    print(escape_controls(f"wrote {args.output} ({result['epochs_done']} epoch(s))"
                          + (f" and {args.history}" if args.history else "")))
    return 0


def cmd_build(args) -> int:
    if not args.output.endswith(".keras"):
        raise UsageError(f"the output must end in .keras (Keras 3's format), got {args.output!r}")
    graph = _load(args.file)
    from builder.keras.build import build_and_save

    model, _facts = build_and_save(graph, args.output, _max_weights(args))
    model.summary()
    print(escape_controls(f"wrote {args.output}"))
    return 0


def cmd_import(args) -> int:
    from builder.files import project
    from builder.keras.importer import ImportRefused, import_model

    try:
        doc = import_model(args.model, _max_weights(args))
    except ImportRefused as exc:
        raise UsageError(str(exc)) from None
    project.write(doc.graph, args.output)
    print(escape_controls(f"wrote {args.output} ({doc.graph.number_of_nodes()} nodes)"), file=sys.stderr)
    return 0


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


def example_names() -> dict[str, str]:
    """name -> one-line description, from the bundled example files."""
    import builder

    names = {}
    for path in sorted(EXAMPLES_DIR.glob("*.json")):
        names[path.stem] = (builder.load(path).graph.get("ui") or {}).get("description", "")
    return names


def cmd_examples(args) -> int:
    for name, description in example_names().items():
        print(f"{name:26} {description}")
    return 0


def cmd_example(args) -> int:
    import builder

    path = EXAMPLES_DIR / f"{args.name}.json"
    if not path.is_file():
        raise UsageError(f"there is no example {args.name!r}; `python main.py examples` lists them: "
                         + ", ".join(example_names()))
    builder.save(builder.load(path), args.output)
    print(escape_controls(f"wrote {args.output}"))
    return 0


def cmd_screenshot(args) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui.screenshot import write_screenshots

    for path in write_screenshots(Path(args.output), args.examples, args.theme):
        print(f"wrote {path}")
    return 0


def display_problem() -> str | None:
    """Why a window cannot open here, or None. Checked before Qt starts, since Qt aborts without a display."""
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return None
    if os.environ.get("WAYLAND_DISPLAY"):
        return None
    display = os.environ.get("DISPLAY")
    if not display:
        return "no display is available (DISPLAY is not set)"
    host, _, number = display.rpartition(":")
    number = number.split(".")[0]
    try:
        if host in ("", "unix"):
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(1)
                sock.connect(f"/tmp/.X11-unix/X{number}")
        else:
            socket.create_connection((host, 6000 + int(number)), timeout=1).close()
    except (OSError, ValueError):
        return f"cannot reach the display {display!r}"
    return None


def open_window(file: str | None, compare_with: str | None = None) -> int:
    problem = display_problem()
    if problem:
        print(f"keras-canvas: {problem}, so the window cannot open.\n"
              "Run it from a desktop session, or under a virtual screen with `xvfb-run python main.py`, or use "
              "the command line: `python main.py check FILE`, `export`, `build` (see --help).", file=sys.stderr)
        return 3
    missing = missing_xcb_libraries()
    if missing:
        packages = " ".join(dict.fromkeys(package for _library, package in missing))
        print(f"keras-canvas: Qt's X11 (xcb) platform plugin needs system libraries that are missing here: "
              f"{', '.join(library for library, _package in missing)}. On Debian or Ubuntu install them with\n"
              f"  sudo apt-get install {packages}\n"
              "then start the app again (or use the command line: `python main.py check FILE`, `export`, `build`).",
              file=sys.stderr)
        return 3
    from gui.app import run

    return run(file, compare_with=compare_with) if compare_with else run(file)


# What Qt 6's xcb platform plugin (PySide6/Qt/plugins/platforms/libqxcb.so and libQt6XcbQpa) loads, with the
# Debian/Ubuntu package of each. A missing one makes Qt abort inside QApplication with a message that names
# only the plugin; a fresh Debian lacked the first three.
XCB_LIBRARIES = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"), ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"), ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxkbcommon.so.0", "libxkbcommon0"), ("libxcb-util.so.1", "libxcb-util1"), ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-shape.so.0", "libxcb-shape0"), ("libxcb-shm.so.0", "libxcb-shm0"), ("libxcb-sync.so.1", "libxcb-sync1"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"), ("libxcb-xkb.so.1", "libxcb-xkb1"), ("libxcb-render.so.0", "libxcb-render0"),
    ("libX11-xcb.so.1", "libx11-xcb1"), ("libxcb.so.1", "libxcb1"), ("libEGL.so.1", "libegl1"),
    ("libfontconfig.so.1", "libfontconfig1"), ("libdbus-1.so.3", "libdbus-1-3"),
)


def _loadable(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def platform_is_xcb() -> bool:
    """Whether Qt will use its X11 (xcb) plugin: asked for by name, or Linux with DISPLAY and no Wayland."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(":")[0] == "xcb"
    return sys.platform.startswith("linux") and bool(os.environ.get("DISPLAY")) and not os.environ.get(
        "WAYLAND_DISPLAY")


def missing_xcb_libraries(loadable=None) -> list[tuple[str, str]]:
    """(library, Debian package) for each library the xcb plugin needs that cannot be loaded; [] when Qt will
    not use xcb. Trying to load about twenty libraries takes a few milliseconds."""
    if not platform_is_xcb():
        return []
    loadable = loadable or _loadable
    return [(library, package) for library, package in XCB_LIBRARIES if not loadable(library)]


HANDLERS = {"check": cmd_check, "export": cmd_export, "train": cmd_train, "build": cmd_build, "import": cmd_import,
            "examples": cmd_examples,
            "example": cmd_example, "screenshot": cmd_screenshot, "diff": cmd_diff, "summary": cmd_summary,
            "explain": cmd_explain, "fix": cmd_fix}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        if len(argv) > 1:
            print(f"keras-canvas: unexpected arguments {argv[1:]}; to open a file: python main.py FILE",
                  file=sys.stderr)
            return 2
        return open_window(argv[0] if argv else None)
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage problem
        return int(exc.code or 0)
    if args.command is None:
        return open_window(None)
    from builder.files.project import ProjectError
    from builder.keras.plan import ModelError
    from builder.keras.weight_limit import WeightLimitExceeded

    try:
        return HANDLERS[args.command](args)
    except ProjectError as exc:
        return _fail(str(exc), 2)
    except ModelError as exc:
        return _fail(f"{getattr(args, 'file', args.command)}: {exc}", 1)
    except WeightLimitExceeded as exc:
        return _fail(f"{getattr(args, 'file', args.command)}: {exc}", 2)
    except (UsageError, OSError) as exc:  # OSError: atomic_file.WriteError and the like name the file
        return _fail(str(exc) if isinstance(exc, UsageError) or not exc.strerror else _os_message(exc), 2)


def _os_message(exc: OSError) -> str:
    return f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc.strerror)


def _fail(message: str, code: int) -> int:
    """Print one error message, every control character in it escaped (a file name or a quoted value could
    otherwise retitle or clear the terminal); line breaks between its lines stay."""
    print(f"keras-canvas: {escape_controls(message, keep_newlines=True)}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
