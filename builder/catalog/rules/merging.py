"""Merging: Concatenate (sizes equal except on the axis) and the element-wise merges (Add, Multiply,
Average, Maximum, Subtract), which need equal shapes; none has weights.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import Arriving, ShapeError, axis_index, by, fmt
from builder.catalog.rules.terms import note, tracing


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
    def sizes_at(inp):
        return [None if i == at else d for i, d in enumerate(inp.shape)]

    if _conflict(inputs, sizes_at):
        groups = _groups(inputs, sizes_at)
        spatial = at == 3  # channels joined: the heights and widths differ, as with 'valid' convolutions
        advice = _padding_advice(inputs, groups) if spatial else None
        raise ShapeError(f"Concatenate needs equal sizes except on axis {axis}, but "
                         f"{_sizes_text(inputs, groups, spatial)}; {advice or _concat_fix(groups, spatial)}")
    # Like Keras: the other axes come from the first input; the joined axis is the sum (unknown if any is).
    sizes = [inp.shape[at] for inp in inputs]
    joined = None if None in sizes else sum(sizes)
    if tracing():
        joined = note(joined, f"along axis {axis}" + _equal_text(inputs, at), sep=" ")
    return (*first.shape[:at], joined, *first.shape[at + 1:])


def _equal_text(inputs, at) -> str:
    """'; the other sizes must be equal: 28 = 28 = 28, 28 = 28 = 28' (an explanation's note)."""
    others = [" = ".join("None" if inp.shape[i] is None else f"{inp.shape[i]:,}" for inp in inputs)
              for i in range(1, len(inputs[0].shape)) if i != at]
    return f"; the other sizes must be equal: {', '.join(others)}" if others and len(inputs) > 1 else ""


def _concat_fix(groups, spatial: bool) -> str:
    odd = _names([inp for group in groups[1:] for inp in group])
    if spatial:
        return f"crop or pool {odd} to the size of {_names(groups[0])}, or give them the same input size"
    return (f"make the other sizes of {odd} equal to {_names(groups[0])}'s (Reshape, Dense, or pooling), or "
            "concatenate on the axis that differs")


# ---- naming every input of a mismatch, and the branches that need the change ---------------------------------

def padding_of(node_data: dict) -> str | None:
    """The padding of a node's layer ('valid', 'same', 'causal'), Keras's default when unset; None for a layer
    without that choice. The inference engine passes it along (Arriving.padding) to merge layers."""
    from builder.catalog.specs import CATALOG  # inside: specs imports these rules

    spec = CATALOG.get(node_data.get("layer"))
    param = spec.param_by_name.get("padding") if spec is not None else None
    if param is None or param.kind != "choice":
        return None
    value = (node_data.get("params") or {}).get("padding", param.default)
    return value if isinstance(value, str) else None


def with_paddings(graph, arriving: list[Arriving]) -> list[Arriving]:
    """The arriving tensors with their sources' paddings (graph: a networkx graph of the document)."""
    nodes = graph.nodes
    return [inp._replace(padding=padding_of(nodes[inp.source])) if inp.source in nodes else inp
            for inp in arriving]


def _groups(inputs, sizes_at) -> list[list[Arriving]]:
    """The inputs that take part in a mismatch (a known size where known sizes differ), grouped by those sizes:
    the largest group first (ties: the larger sizes, then port order), as what the others should match; the
    rest in port order. An input whose sizes there are unknown agrees with any and is left out."""
    known = [sizes_at(inp) for inp in inputs]
    width = max(len(k) for k in known)
    clashing = [i for i in range(width)
                if len({k[i] for k in known if i < len(k) and k[i] is not None}) > 1]
    by_sizes: dict[tuple, list[Arriving]] = {}
    for inp, sizes in zip(inputs, known):
        key = tuple(sizes[i] if i < len(sizes) else None for i in clashing)
        if any(d is not None for d in key):
            by_sizes.setdefault(key, []).append(inp)
    order = list(by_sizes)
    first = min(order, key=lambda key: (-len(by_sizes[key]), [-(d or 0) for d in key], order.index(key)))
    return [by_sizes[first], *(by_sizes[key] for key in order if key != first)]


def _names(inputs) -> str:
    names = list(dict.fromkeys(inp.source for inp in inputs))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def _sizes_text(inputs, groups, spatial: bool) -> str:
    """`conv_3x3 gives 26×26, conv_5x5 24×24 and conv_7x7 22×22` for image sizes, else whole shapes
    (`in1 gives (None, 3, 2) and in2 gives (None, 4, 2)`); inputs that agree are named together (`a and b give
    ...`), in the order of their ports."""
    parts = []
    # A group of several names has its own "and": then each part gets its verb and the parts only commas.
    several = any(len({inp.source for inp in group}) > 1 for group in groups)
    for group in sorted(groups, key=lambda g: min(inputs.index(inp) for inp in g)):
        shape = group[0].shape
        shown = "×".join("?" if d is None else str(d) for d in shape[1:3]) if spatial else fmt(shape)
        # Image sizes read as a list ("a gives 26×26, b 24×24"): the verb once.
        verb = "give" if len({inp.source for inp in group}) > 1 else \
            "gives" if several or not (spatial and parts) else ""
        parts.append(" ".join(filter(None, (_names(group), verb, shown))))
    if several or len(parts) == 1:
        return ", ".join(parts)
    return ", ".join(parts[:-1]) + f" and {parts[-1]}"


def _padding_advice(inputs, groups) -> str | None:
    """Which branches need padding='same': with 'same' branches present, the 'valid' ones that do not match
    them; with none, every 'valid' one (all 'same', branches of one tensor agree). None when no disagreeing
    branch has a padding to change."""
    same = [inp for inp in inputs if inp.padding == "same"]
    if same:
        target = max(groups, key=lambda g: sum(inp.padding == "same" for inp in g))
        change = [inp for group in groups if group is not target for inp in group if inp.padding == "valid"]
    else:
        change = [inp for inp in inputs if inp.padding == "valid"]
    if not change:
        return None
    return f"set padding='same' on {_names(change)}, or crop or pool the larger ones"


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
            # Grouped by the whole shape: every input that disagrees is named, and the advice names only them.
            groups = _groups(inputs, aligned)
            # Image branches with equal channels: the heights and widths differ, as with 'valid' convolutions.
            spatial = all(len(inp.shape) == 4 for inp in inputs) and len({inp.shape[3] for inp in inputs}) == 1
            advice = _padding_advice(inputs, groups) if spatial else None
            odd = _names([inp for group in groups[1:] for inp in group])
            fix = advice or f"make {odd} match {_names(groups[0])}, e.g. with a Dense or a 1×1 Conv2D"
            raise ShapeError(f"{layer} needs equal shapes (or size 1 to broadcast), but "
                             f"{_sizes_text(inputs, groups, spatial)}; {fix}")
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
