"""What a node shows, derived on demand from the document and the inference results (no Qt, no stored state).

Items call `node_face` whenever they paint or refresh, so what is drawn is always what the document says.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.catalog import UnknownLayerError, spec_for
from builder.shape_rules import fmt
from builder.summary import summary_text


@dataclass(frozen=True)
class NodeFace:
    title: str  # the node id
    layer: str
    category: str | None
    summary: str
    shape: str  # the output shape, or a short reason why there is none
    params: str  # "320 params", or "" when there is no shape
    status: str  # ok, warning, error, blocked, pending (inference has not run yet)
    tooltip: str
    blocked_by: str | None = None


def node_face(doc, results: dict, node_id: str) -> NodeFace:
    layer = doc.layer(node_id)
    try:
        spec = spec_for(layer)
        category, help_text = spec.category, spec.help
    except UnknownLayerError:
        category, help_text = None, f"{layer} is not in the catalog"
    summary = summary_text(layer, doc.params(node_id))
    result = results.get(node_id)
    if result is None:
        return NodeFace(node_id, layer, category, summary, "…", "", "pending", f"{node_id} ({layer})\n{help_text}")
    if result.error:
        return NodeFace(node_id, layer, category, summary, short_error(node_id, result.error), "", "error",
                        result.error)
    if result.blocked_by:
        tip = (f"{node_id} waits on {result.blocked_by}: it has no shape until the error there is fixed")
        return NodeFace(node_id, layer, category, summary, f"waits on {result.blocked_by}", "", "blocked", tip,
                        result.blocked_by)
    params = params_text(result.trainable, result.non_trainable)
    if result.warnings:
        return NodeFace(node_id, layer, category, summary, fmt(result.shape), params, "warning",
                        "\n\n".join(result.warnings))
    return NodeFace(node_id, layer, category, summary, fmt(result.shape), params, "ok",
                    f"{node_id} ({layer}): {help_text}")


def params_text(trainable: int, non_trainable: int) -> str:
    total = trainable + non_trainable
    text = f"{total:,} param" + ("" if total == 1 else "s")
    return f"{text}, {non_trainable:,} non-trainable" if non_trainable else text


def short_error(node_id: str, message: str) -> str:
    """The error without the leading 'node_id: ' (the node already shows its id)."""
    prefix = f"{node_id}: "
    return message.removeprefix(prefix)


def input_port_count(doc, node_id: str) -> int:
    """Ports drawn on the left: a merge layer shows one per wire plus one free port to grow into."""
    wired = len(doc.inputs_of(node_id))
    try:
        spec = spec_for(doc.layer(node_id))
    except UnknownLayerError:
        return max(wired, 1)
    if spec.is_merge:
        return wired + 1
    return max(spec.inputs, wired)
