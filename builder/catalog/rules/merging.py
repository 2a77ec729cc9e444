"""Merging: Concatenate (sizes equal except on the axis) and the element-wise merges (Add, Multiply,
Average, Maximum, Subtract), which need equal shapes; none has weights.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import Arriving, ShapeError, axis_index, by


def _conflict(inputs, sizes_at) -> tuple[Arriving, Arriving] | None:
    """Two inputs with different known sizes at some position (sizes_at(input) -> sizes by position, None
    where the position is skipped or unknown). Every pair counts, not just pairs with the first input: an
    unknown size in between does not reconcile a 2 with a 6, and Keras's build and TensorFlow agree."""
    seen: dict[int, Arriving] = {}
    for inp in inputs:
        for position, size in enumerate(sizes_at(inp)):
            if size is None:
                continue
            holder = seen.setdefault(position, inp)
            if sizes_at(holder)[position] != size:
                return holder, inp
    return None


def concatenate_shape(params, inputs):
    first, axis = inputs[0], params["axis"]
    rank = len(first.shape)
    for other in inputs[1:]:
        if len(other.shape) != rank:
            raise ShapeError(f"Concatenate needs inputs of the same rank, but {by(first)} and {by(other)}; "
                             "Flatten or Reshape one of them first")
    # Checked even with a single input, which Keras passes through whatever the axis: the axis is wrong all
    # the same, and the node would fail as soon as a second branch is connected.
    if not -rank <= axis < rank:
        raise ShapeError(f"Concatenate axis={axis} is out of range for {rank}D inputs ({by(first)}); use an "
                         f"axis from {1 - rank} to {rank - 1} (usually -1)")
    at = axis_index(axis, rank)
    if at == 0:
        # Keras builds it, but the model then returns more samples than it was given.
        raise ShapeError(f"Concatenate axis={axis} is the batch axis: it would join samples, not features, "
                         "and change the batch size; use axis=-1 (or another feature axis)")
    clash = _conflict(inputs, lambda inp: [None if i == at else d for i, d in enumerate(inp.shape)])
    if clash:
        a, b = clash
        raise ShapeError(f"Concatenate needs equal sizes except on axis {axis}, but {by(a)} and {by(b)}; "
                         f"{_concat_fix(a, b)}")
    # Like Keras: the other axes come from the first input; the joined axis is the sum (unknown if any is).
    sizes = [inp.shape[at] for inp in inputs]
    joined = None if None in sizes else sum(sizes)
    return (*first.shape[:at], joined, *first.shape[at + 1:])


def _concat_fix(first: Arriving, other: Arriving) -> str:
    if len(first.shape) == 4:
        return "set padding='same' on both branches, or crop or pool the larger one"
    return "make the other sizes equal (Reshape, Dense, or pooling), or concatenate on the axis that differs"


def elementwise_shape(layer: str, exactly: int | None = None):
    """Keras's element-wise merges (Add, Multiply, Average, Maximum, Subtract): shapes align from the right (a
    shorter one gains size-1 axes after the batch axis); size 1 broadcasts; unknown stays unknown."""
    def rule(params, inputs):
        if exactly is not None and len(inputs) != exactly:
            got = ", ".join(by(inp) for inp in inputs)
            raise ShapeError(f"{layer} needs exactly {exactly} inputs (the first minus the second), but "
                             f"{len(inputs)} arrive: {got}; connect exactly two tensors")
        rank = max(len(inp.shape) for inp in inputs)

        def aligned(inp):  # per sample, right-aligned, size 1 counting as no constraint
            dims = [None] * (rank - len(inp.shape)) + list(inp.shape[1:])
            return [None if d == 1 else d for d in dims]

        clash = _conflict(inputs, aligned)
        if clash:
            a, b = clash
            raise ShapeError(f"{layer} needs equal shapes (or size 1 to broadcast), but {by(a)} and {by(b)}; "
                             "make the sizes equal, e.g. with a Dense or a 1×1 Conv2D")
        # The declared shape folds the inputs pairwise, as Keras does: once a size is unknown it stays unknown.
        out = inputs[0].shape[1:]
        for other in inputs[1:]:
            a, b = out, other.shape[1:]
            if len(a) < len(b):
                a, b = b, a
            merged = list(a[: len(a) - len(b)])
            for i, j in zip(a[len(a) - len(b):], b):
                merged.append(None if i is None or j is None else j if i == 1 else i)
            out = tuple(merged)
        return (None, *out)
    return rule


add_shape = elementwise_shape("Add")
