"""What the document says when it refuses an edit (GraphError and its kinds, each message saying why), and
what it announces after one (Change), or keeps to undo a removal exactly (RemovedNode)."""

from __future__ import annotations

from dataclasses import dataclass, field


class GraphError(ValueError):
    """An edit the document refuses; the message says why and what to do."""


class UnknownLayer(GraphError):
    pass


class DuplicateId(GraphError):
    pass


class InvalidName(GraphError):
    pass


class UnknownNode(GraphError):
    pass


class PortTaken(GraphError):
    pass


class BadPort(GraphError):
    pass


class EdgeIntoInput(GraphError):
    pass


class CycleError(GraphError):
    pass


class InvalidParam(GraphError):
    pass


class NoSuchEdge(GraphError):
    pass


class InvalidPosition(GraphError):
    pass


@dataclass(frozen=True)
class Change:
    """What one mutation did. kind: node_added, node_removed, edge_added, edge_removed, param_changed,
    keras_shape_changed, node_renamed, node_moved, ui_changed (name: the ui key), blocks_changed or reset. For edges `node` is the target and `source` the source."""

    kind: str
    node: str | None = None
    source: str | None = None
    port: int | None = None
    old_id: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class RemovedNode:
    """Everything needed to put a removed node back exactly as it was."""

    id: str
    layer: str
    params: dict
    position: tuple | None
    index: int
    edges: tuple  # (source, target, port) in the order they were removed
    extras: dict = field(default_factory=dict)  # other node attributes (an imported node's config, keras_shape)
