"""One node's inference result (NodeResult), the words for its status, the message when a rule itself fails,
and the model's parameter totals: what every reader of inference results needs, apart from the engine.
"""

from __future__ import annotations

from typing import NamedTuple

# What a node's result says, in one word: ok; warning (a shape, with advice); error (no shape: its own mistake);
# blocked (no shape: it waits on an error upstream); stale (a generic node whose Keras shape must be recomputed).
STATUSES = ("ok", "warning", "error", "blocked", "stale")


class NodeResult(NamedTuple):
    """One node's inference result. A NamedTuple: immutable, and cheap to make for every node on every pass."""

    layer: str | None
    shape: tuple | None = None
    trainable: int = 0
    non_trainable: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()
    blocked_by: str | None = None  # the node whose error keeps this one from having a shape
    # A generic node whose stored Keras shape was computed for other inputs (builder/inference/stored_shapes.py): its
    # error says so, and the app asks Keras to recompute it.
    stale: bool = False

    @property
    def params(self) -> int | None:
        return None if self.shape is None else self.trainable + self.non_trainable

    @property
    def status(self) -> str:
        """One of STATUSES, the one vocabulary of `check`, the shapes panel, node faces and the minimap."""
        if self.stale:
            return "stale"
        if self.error:
            return "error"
        if self.blocked_by:
            return "blocked"
        return "warning" if self.warnings else "ok"


INTERNAL_ERROR = "internal error in Keras Canvas's rule for"


def internal_error(layer: str, exc: Exception) -> str:
    """The node's message when a shape rule itself fails (a bug of ours, not the person's mistake): the edit
    goes through and the node says so, instead of the window or the command crashing. The agreement tests
    fail on any such message."""
    return (f"{INTERNAL_ERROR} {layer} ({type(exc).__name__}: {exc}); the node cannot be checked. Please "
            "report it with the project file")


def totals(results: dict[str, NodeResult]) -> tuple[int, int]:
    """(trainable, non_trainable) over all nodes that have a shape."""
    trainable = sum(r.trainable for r in results.values() if r.shape is not None)
    frozen = sum(r.non_trainable for r in results.values() if r.shape is not None)
    return trainable, frozen
