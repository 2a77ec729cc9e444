"""What a node shows, derived on demand from the document and the inference results (no Qt, no stored state).

Items call `node_face` whenever they paint or refresh, so what is drawn is always what the document says.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from builder.catalog.card_summary import layer_title, summary_text
from builder.catalog.ops import op_name
from builder.catalog.rules import fmt
from builder.catalog.specs import UnknownLayerError, spec_for


@dataclass(frozen=True)
class NodeFace:
    title: str  # the node id
    layer: str
    category: str | None
    summary: str
    shape: str  # the output shape, or a short reason why there is none
    params: str  # "320 params", or "" when there is no shape
    status: str  # NodeResult.status (ok, warning, error, blocked, stale), or pending (not inferred yet)
    tooltip: str
    blocked_by: str | None = None
    # A generic node (a Keras layer outside the catalog) shows a "K" badge: its shape is Keras's, not a rule's.
    # "ok": computed by Keras for the inputs arriving now; "stale": to be recomputed; "error": Keras refused.
    keras: str | None = None
    # The shape in the simplified label of a zoomed-out card: its sizes without the batch ("28×28×32"), or
    # what `shape` says when there is none.
    short_shape: str = ""


KERAS_SHAPE_NOTE = "shape computed by Keras"
STALE_TEXT = "recomputing with Keras…"


def node_face(doc, results: dict, node_id: str) -> NodeFace:
    layer = doc.layer(node_id)
    generic = False
    try:
        spec = spec_for(layer)
        category, help_text, generic = spec.category, spec.help, spec.generic
    except UnknownLayerError:
        category, help_text = None, f"{layer} is not in the catalog"
    face = _face(doc, results, node_id, layer, category, help_text)
    if not generic or face.status in ("pending", "blocked"):
        return face
    return _generic_face(face, node_id, results[node_id])


def _generic_face(face: NodeFace, node_id: str, result) -> NodeFace:
    """The badge, body line and tooltip that say a generic node's shape is Keras's, or is being recomputed."""
    if result.stale:
        return replace(face, status="stale", shape=STALE_TEXT, keras="stale", summary=KERAS_SHAPE_NOTE,
                       tooltip=f"{result.error}\n\nThe shape of this Keras layer outside the catalog comes from "
                               "Keras; it is recomputed on the Keras worker, without an undo step.")
    if face.status == "error":
        return replace(face, keras="error")
    note = f"{node_id} ({face.layer}): {KERAS_SHAPE_NOTE} for the input it gets now; this layer is outside the " \
           "catalog, so there is no shape rule of its own here"
    return replace(face, keras="ok", summary=KERAS_SHAPE_NOTE,
                   tooltip=note if face.status == "ok" else f"{face.tooltip}\n\n{note}")


def _face(doc, results, node_id, layer, category, help_text) -> NodeFace:
    summary = summary_text(layer, doc.params(node_id))
    title = layer_title(layer, doc.params(node_id))  # a wrapper shows what it wraps: Bidirectional(LSTM 64)
    result = results.get(node_id)
    if result is None:
        return NodeFace(node_id, title, category, summary, "…", "", "pending", f"{node_id} ({layer})\n{help_text}")
    status = result.status
    if status in ("error", "stale"):  # a stale generic node gets its own face in _generic_face
        return NodeFace(node_id, title, category, summary, short_error(node_id, result.error), "", status,
                        result.error)
    if status == "blocked":
        tip = (f"{node_id} waits on {result.blocked_by}: it has no shape until the error there is fixed")
        return NodeFace(node_id, title, category, summary, f"waits on {result.blocked_by}", "", status, tip,
                        result.blocked_by)
    # An op creates no layer: "0 params" would read as a layer without weights.
    params = "no parameters" if op_name(layer) is not None else params_text(result.trainable, result.non_trainable)
    tooltip = "\n\n".join(result.warnings) if status == "warning" else f"{node_id} ({layer}): {help_text}"
    return NodeFace(node_id, title, category, summary, fmt(result.shape), params, status, tooltip,
                    short_shape=short_shape(result.shape))


def short_shape(shape: tuple) -> str:
    """A shape as a zoomed-out label shows it: the sizes after the batch axis, "?" where unknown."""
    sizes = shape[1:]
    return "×".join("?" if d is None else str(d) for d in sizes) if sizes else "(batch,)"


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
