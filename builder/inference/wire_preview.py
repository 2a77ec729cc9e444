"""What a wire would do before it is made: the target's output shape, or the error it would get.

The canvas shows this next to the cursor while a wire is dragged. It runs the catalog's shape rule on the
shapes already inferred for the target's other inputs plus the new one; the document is never touched.
"""

from __future__ import annotations

from builder.catalog.params import ParamError
from builder.catalog.rules import Arriving, ShapeError
from builder.catalog.rules.merging import with_paddings
from builder.catalog.specs import UnknownLayerError, spec_for
from builder.model.document import GraphDocument, GraphError


def preview_connect(doc: GraphDocument, results: dict, source: str, target: str,
                    port: int | None = None) -> tuple[tuple | None, str | None]:
    """(shape, None) when the wire would give target that output shape; (None, message) when the document
    would refuse the wire or the target would get an error."""
    try:
        used_port = doc.check_connect(source, target, port)
    except GraphError as exc:
        return None, str(exc)
    try:
        spec = spec_for(doc.layer(target))
    except UnknownLayerError as exc:
        return None, f"{target}: {exc}"
    wires = sorted([*doc.inputs_of(target), (source, used_port)], key=lambda wire: wire[1])
    needed = spec.inputs if spec.required_inputs is None else spec.required_inputs
    if not spec.is_merge and len(wires) < needed:
        return None, f"{target}: {spec.name} needs {needed} inputs; connect the others too"
    arriving = []
    for upstream, _port in wires:
        result = results.get(upstream)
        if result is None or result.shape is None:
            return None, _no_shape_message(upstream, result)
        arriving.append(Arriving(upstream, tuple(result.shape)))
    if spec.is_merge:
        arriving = with_paddings(doc.graph, arriving)  # the mismatch message names the branches to change
    try:
        params = spec.resolve(doc.params(target))
        return tuple(spec.shape_rule(params, arriving)), None
    except (ParamError, ShapeError) as exc:
        return None, f"{target}: {exc}"


def _no_shape_message(node: str, result) -> str:
    if result is None:
        return f"{node} has no output shape yet"
    if result.error:
        return f"{node} has no output shape because of its error; fix it first ({result.error})"
    if result.blocked_by:
        return f"{node} has no output shape: it waits on {result.blocked_by}, which has an error; fix that first"
    return f"{node} has no output shape yet"
