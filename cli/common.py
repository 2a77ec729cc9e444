"""What every command shares: the usage error (exit 2) and reading a project."""

from __future__ import annotations


class UsageError(Exception):
    """A mistake in how the command was called; exit code 2."""



def _load(path: str):
    import builder

    return builder.load(path)


def _max_weights(args) -> int:
    from builder.keras.weight_limit import DEFAULT_MAX_WEIGHT_BYTES

    return DEFAULT_MAX_WEIGHT_BYTES if args.max_weights is None else args.max_weights

