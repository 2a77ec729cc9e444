"""The dispatch: a FILE (or nothing) opens the window; a command runs its handler, and every refusal becomes one
message on stderr with its exit code: 0 ok, 1 the graph has errors (diff: the models differ), 2 unreadable file
or bad usage, 3 no display."""

from __future__ import annotations

import sys

from builder.quoting import escape_controls
from cli.arguments import COMMANDS, parser
from cli.common import UsageError
from cli.diff_commands import cmd_diff, cmd_summary
from cli.model_commands import cmd_build, cmd_check, cmd_example, cmd_examples, cmd_export, cmd_import, cmd_screenshot
from cli.train_command import cmd_train
from cli.understand_commands import cmd_explain, cmd_fix
from cli.window import open_window

HANDLERS = {"check": cmd_check, "export": cmd_export, "train": cmd_train, "build": cmd_build, "import": cmd_import,
            "examples": cmd_examples, "example": cmd_example, "screenshot": cmd_screenshot, "diff": cmd_diff,
            "summary": cmd_summary, "explain": cmd_explain, "fix": cmd_fix}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        if len(argv) > 1:
            print(f"keras-canvas: unexpected arguments {argv[1:]}; to open a file: python main.py FILE",
                  file=sys.stderr)
            return 2
        return open_window(argv[0] if argv else None)
    try:
        args = parser().parse_args(argv)
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
