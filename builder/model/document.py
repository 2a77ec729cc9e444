"""The graph document: one networkx MultiDiGraph, validated mutations, change events.

Node id = Keras layer name; node attributes `layer` (Keras class name) and `params` (constructor keyword
arguments by Keras's names); edge attribute `port` (input slot on the target). Node order is document order:
it decides the order of model inputs and outputs, so undo restores a node at its old index.

Every mutation checks first and then applies; a refused edit raises a GraphError subclass that says why and
leaves the document untouched. Listeners get a Change after each applied mutation; they must not mutate the
document from inside the callback.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from builder.catalog.params import ParamError
from builder.catalog.specs import UnknownLayerError, is_merge_layer, spec_for
from builder.model.errors import (
    BadPort,
    Change,
    CycleError,
    DuplicateId,
    EdgeIntoInput,
    GraphError,
    InvalidName,
    InvalidParam,
    InvalidPosition,
    NoSuchEdge,
    PortTaken,
    RemovedNode,
    UnknownLayer,
    UnknownNode,
)
from builder.model.node_checks import (
    MAX_COORDINATE,
    MAX_ID_LENGTH,
    check_node_extras,
    check_node_id,
    check_position,
    invalid_param,
)
from builder.model.node_config import ConfigError, check_keras_shape
from builder.model.order import free_id, rename_in_place, reorder_nodes, wires_into

# Re-exported: the document's refusals and checks are part of what `builder.model.document` offers.
__all__ = [
    "MAX_COORDINATE", "MAX_ID_LENGTH", "UNSET", "BadPort", "Change", "CycleError", "DuplicateId", "EdgeIntoInput",
    "GraphDocument", "GraphError", "InvalidName", "InvalidParam", "InvalidPosition", "NoSuchEdge", "PortTaken",
    "RemovedNode", "UnknownLayer", "UnknownNode", "check_node_extras", "check_node_id", "check_position", "ui_of",
]

UNSET = object()  # a param that is absent from the node (Keras's default applies)


@dataclass
class GraphDocument:
    """A model being edited. Wraps a MultiDiGraph (a hand-built one works too). Presentation (canvas
    positions, and anything else the GUI keeps) lives in the graph's own `ui` attribute, so it travels with
    the graph into files and back."""

    _graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    _listeners: list = field(default_factory=list, repr=False)

    @property
    def graph(self) -> nx.MultiDiGraph:
        return self._graph

    @property
    def ui(self) -> dict:
        return ui_of(self._graph)

    @property
    def positions(self) -> dict:
        """node id -> (x, y) on the canvas; nodes without one are placed by the GUI."""
        return self.ui.setdefault("positions", {})

    # ---- events -------------------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Change], None]):
        self._listeners.append(listener)

    def unsubscribe(self, listener):
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, change: Change):
        for listener in list(self._listeners):
            listener(change)

    # ---- queries ------------------------------------------------------------------------------------------

    def __contains__(self, node_id) -> bool:
        return node_id in self._graph

    def __len__(self) -> int:
        return len(self._graph)

    def node_ids(self) -> list[str]:
        return list(self._graph)

    def layer(self, node_id: str) -> str:
        return self._node(node_id)["layer"]

    def params(self, node_id: str) -> dict:
        return dict(self._node(node_id).get("params") or {})

    def inputs_of(self, node_id: str) -> list[tuple[str, int]]:
        """(source, port) pairs in port order."""
        self._node(node_id)
        return wires_into(self._graph, node_id)

    def outputs_of(self, node_id: str) -> list[tuple[str, int]]:
        """(target, port) pairs."""
        self._node(node_id)
        return [(v, p) for _u, v, p in self._graph.out_edges(node_id, data="port")]

    def edges(self) -> list[tuple[str, str, int]]:
        return [(u, v, p) for u, v, p in self._graph.edges(data="port")]

    def new_id(self, prefix: str) -> str:
        return free_id(prefix, self._graph)

    def _node(self, node_id) -> dict:
        try:
            return self._graph.nodes[node_id]
        except (KeyError, TypeError):
            raise UnknownNode(f"there is no node {node_id!r}") from None

    # ---- checks (no change) -------------------------------------------------------------------------------

    def check_connect(self, source: str, target: str, port: int | None = None, insert: bool = False) -> int:
        """The port the wire would use, or raise the reason it would be refused."""
        self._node(source)
        data = self._node(target)
        try:
            spec = spec_for(data["layer"])
        except UnknownLayerError as exc:
            raise UnknownLayer(f"{target}: {exc}") from None
        if spec.is_input:
            raise EdgeIntoInput(f"cannot connect {source} -> {target}: {target} is an Input and takes no "
                                "incoming wire; connect into the layer that should read it")
        if source == target or nx.has_path(self._graph, target, source):
            raise CycleError(f"cannot connect {source} -> {target}: it would make a cycle, since {target} "
                             f"already feeds {source}; Keras models must flow one way")
        used = {p for _u, _v, p in self._graph.in_edges(target, data="port")}
        if spec.is_merge:
            count = len(used)
            if port is None:
                return count
            if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= count:
                raise BadPort(f"cannot connect {source} -> {target} at port {port!r}: {target} has inputs on ports "
                              f"0..{count - 1}; use port {count} to add one")
            if port in used and not insert:
                raise PortTaken(f"cannot connect {source} -> {target}: port {port} is already connected; "
                                "disconnect it first or use a free port")
            return port
        if port is None:
            free = [p for p in range(spec.inputs) if p not in used]
            if not free:
                holder = self.inputs_of(target)[0][0]
                raise PortTaken(f"cannot connect {source} -> {target}: {target} already reads from {holder}; "
                                "remove that wire first, or use a merge layer (Concatenate, Add)")
            return free[0]
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port < spec.inputs:
            raise BadPort(f"cannot connect {source} -> {target} at port {port!r}: {spec.name} has "
                          f"{spec.inputs} input port(s)")
        if port in used:
            holder = next(u for u, p in self.inputs_of(target) if p == port)
            raise PortTaken(f"cannot connect {source} -> {target}: port {port} already reads from {holder}; "
                            "remove that wire first")
        return port

    def check_param(self, node_id: str, name: str, value):
        """The stored form of value, or raise InvalidParam naming the node and the param."""
        try:
            return self._spec(node_id).param(name).validate(value)
        except ParamError as exc:
            raise invalid_param(node_id, name, exc) from None

    # ---- mutations ----------------------------------------------------------------------------------------

    def add_node(self, node_id: str, layer: str, params: dict | None = None, position=None,
                 index: int | None = None, config: dict | None = None, keras_shape: dict | None = None) -> str:
        """Add a node. `config`: Keras constructor arguments the catalog does not model as typed params
        (initializers, regularizers, ...), plain JSON; `keras_shape`: for a generic node (a Keras layer outside
        the catalog), the shape and weight counts Keras computed (and for which inputs). Both are checked by
        builder.model.node_config."""
        check_node_id(node_id)
        if node_id in self._graph:
            raise DuplicateId(f"id {node_id!r} is already used by a {self.layer(node_id)} node; "
                              f"choose another, e.g. {self.new_id(node_id)!r}")
        try:
            spec = spec_for(layer)
        except UnknownLayerError as exc:
            raise UnknownLayer(str(exc)) from None
        given = dict(spec.start_params() if params is None else params)
        stored = {}
        for name, value in given.items():
            try:
                stored[name] = spec.param(name).validate(value)
            except ParamError as exc:
                raise invalid_param(node_id, name, exc) from None
        for param in spec.params:
            if param.required and param.name not in stored:
                # A document the project reader would refuse to open must not be made in the first place.
                raise InvalidParam(f"{node_id}: {param.name} is required by {layer} and has no default; "
                                   f"give it a value ({param.describe()})")
        position = check_position(position)
        extra = check_node_extras(node_id, spec, config, keras_shape)
        self._insert_node(node_id, layer, stored, position, index, extra)
        return node_id

    def _insert_node(self, node_id, layer, params, position, index, extras=None):
        # Every attribute is in place before listeners hear of the node.
        self._graph.add_node(node_id, **(extras or {}), layer=layer, params=params)
        if index is not None and index < len(self._graph) - 1:
            order = list(self._graph)
            order.pop()
            order.insert(index, node_id)
            reorder_nodes(self._graph, order)
        if position is not None:
            self.positions[node_id] = position
        self._emit(Change("node_added", node_id))

    def connect(self, source: str, target: str, port: int | None = None, insert: bool = False) -> int:
        """Wire source's output into target's port (the next free one if None). On merge layers, insert=True
        shifts the inputs at port and above up by one instead of refusing a taken port."""
        port = self.check_connect(source, target, port, insert)
        self._insert_edge(source, target, port)
        return port

    def restore_wire(self, source: str, target: str, port: int):
        """Undo a disconnect exactly: the wire goes back on its port (on a merge layer the inputs at and above
        it move up). Only the nodes are checked: this puts back a state the document already had, even one
        `connect` would refuse (a hand-built graph may hold anything)."""
        self._node(source)
        self._node(target)
        self._insert_edge(source, target, port)

    def _insert_edge(self, source, target, port):
        if is_merge_layer(self._graph.nodes[target].get("layer")):
            self._shift_ports(target, port, +1)
        self._graph.add_edge(source, target, port=port)
        self._emit(Change("edge_added", target, source=source, port=port))

    def disconnect(self, source: str, target: str, port: int):
        """Remove one wire. A merge layer closes the gap: inputs above the port move down by one."""
        self._node(source)
        self._node(target)
        key = self._edge_key(source, target, port)
        self._graph.remove_edge(source, target, key)
        if is_merge_layer(self._graph.nodes[target].get("layer")):
            self._shift_ports(target, port + 1, -1)
        self._emit(Change("edge_removed", target, source=source, port=port))

    def remove_node(self, node_id: str) -> RemovedNode:
        data = self._node(node_id)
        index = list(self._graph).index(node_id)
        removed = []
        for source, port in reversed(self.inputs_of(node_id)):
            self.disconnect(source, node_id, port)
            removed.append((source, node_id, port))
        # Highest port first per target, so each later port number is still the original one.
        for target, port in sorted(self.outputs_of(node_id), key=lambda e: -e[1]):
            self.disconnect(node_id, target, port)
            removed.append((node_id, target, port))
        extras = {k: copy.deepcopy(v) for k, v in data.items() if k not in ("layer", "params")}
        record = RemovedNode(node_id, data.get("layer"), dict(data.get("params") or {}),
                             self.positions.pop(node_id, None), index, tuple(removed), extras)
        self._graph.remove_node(node_id)
        self._emit(Change("node_removed", node_id))
        return record

    def restore_node(self, record: RemovedNode):
        """Undo remove_node exactly: same index, params, position and wires on the same ports. Nothing is
        re-validated: the record is a state the document had (possibly a hand-built one)."""
        self.restore_nodes([record])

    def restore_nodes(self, records):
        """Undo several remove_node calls (records in the order they were removed): each is put back in
        reverse order, exactly as restore_node would, so listeners see every intermediate state as before.
        Everything is checked first, so a refusal changes nothing."""
        records = list(records)
        coming = {r.id for r in records}
        for record in records:
            if record.id in self._graph:
                raise DuplicateId(f"cannot restore {record.id!r}: that id is used again")
            for source, target, _port in record.edges:
                for node in (source, target):
                    if node not in coming:
                        self._node(node)
        for record in reversed(records):
            self._insert_node(record.id, record.layer, dict(record.params), record.position, record.index,
                              copy.deepcopy(record.extras))
            for source, target, port in reversed(record.edges):
                self._insert_edge(source, target, port)

    def set_param(self, node_id: str, name: str, value=UNSET):
        """Set one param (validated), or remove it with UNSET so Keras's default applies. Returns the old
        value (UNSET if it was absent)."""
        data = self._node(node_id)
        if value is UNSET:
            try:
                param = self._spec(node_id).param(name)
            except ParamError as exc:
                raise InvalidParam(f"{node_id}: {exc}") from None
            if param.required:
                raise InvalidParam(f"{node_id}: {name} is required by {self.layer(node_id)} and has no default; "
                                   f"give it a value ({param.describe()})")
            new_value = UNSET
        else:
            new_value = self.check_param(node_id, name, value)
        params = data.setdefault("params", {})
        old = params.get(name, UNSET)
        if new_value is UNSET:
            params.pop(name, None)
        else:
            params[name] = new_value
        self._emit(Change("param_changed", node_id, name=name))
        return old

    def restore_param(self, node_id: str, name: str, value):
        """Undo a set_param exactly: put back the old value (UNSET: absent) without checking it, since the
        document held it before (a hand-built graph may hold values set_param would refuse)."""
        params = self._node(node_id).setdefault("params", {})
        if value is UNSET:
            params.pop(name, None)
        else:
            params[name] = value
        self._emit(Change("param_changed", node_id, name=name))

    def set_keras_shape(self, node_id: str, keras_shape: dict):
        """Store what Keras computed for a generic node (builder/inference/stored_shapes.py). Not an edit a person makes
        and not undoable: a cache of Keras's answer for the inputs it names, so any state of the graph gets the
        same answer again. Raises InvalidParam if the value is malformed or the node is not generic."""
        data = self._node(node_id)
        try:
            stored = check_keras_shape(keras_shape, self._spec(node_id))
        except ConfigError as exc:
            raise InvalidParam(f"{node_id}: {exc}") from None
        if data.get("keras_shape") == stored:
            return
        data["keras_shape"] = stored
        self._emit(Change("keras_shape_changed", node_id))

    def rename(self, old_id: str, new_id: str):
        self._node(old_id)
        if new_id == old_id:
            return
        check_node_id(new_id)
        if new_id in self._graph:
            raise DuplicateId(f"cannot rename {old_id} to {new_id!r}: that id is already used; "
                              f"choose another, e.g. {self.new_id(new_id)!r}")
        rename_in_place(self._graph, old_id, new_id)  # keeps document order and the graph object
        if old_id in self.positions:
            self.positions[new_id] = self.positions.pop(old_id)
        self._emit(Change("node_renamed", new_id, old_id=old_id))

    def move(self, node_id: str, position):
        """Place a node on the canvas; None forgets its position (the GUI then places it)."""
        self._node(node_id)
        position = check_position(position)
        if position is None:
            self.positions.pop(node_id, None)
        else:
            self.positions[node_id] = position
        self._emit(Change("node_moved", node_id))

    def set_ui(self, key: str, value):
        """Set (None: remove) one presentation entry other than positions, e.g. "frames"; the caller has
        validated it. Listeners get a ui_changed Change naming the key."""
        if value is None:
            self.ui.pop(key, None)
        else:
            self.ui[key] = value
        self._emit(Change("ui_changed", name=key))

    def set_blocks(self, meta: dict, membership: dict):
        """Replace the blocks (builder/model/blocks.py): `meta` block id -> metadata, `membership` node -> its
        innermost block (None: outside any), for the nodes whose membership changes; the caller (a block command)
        has checked them. Listeners get one blocks_changed Change."""
        for node in membership:
            self._node(node)
        if meta:
            self._graph.graph["blocks"] = meta
        else:
            self._graph.graph.pop("blocks", None)
        for node, block in membership.items():
            if block is None:
                self._graph.nodes[node].pop("block", None)
            else:
                self._graph.nodes[node]["block"] = block
        self._emit(Change("blocks_changed"))

    def replace(self, graph: nx.MultiDiGraph):
        """Swap in another document's content (open a file, new); listeners rebuild from scratch."""
        self._graph = graph
        self._emit(Change("reset"))

    # ---- helpers ------------------------------------------------------------------------------------------

    def _spec(self, node_id):
        try:
            return spec_for(self.layer(node_id))
        except UnknownLayerError as exc:
            raise UnknownLayer(f"{node_id}: {exc}") from None

    def _edge_key(self, source, target, port):
        for u, _v, key, p in self._graph.in_edges(target, keys=True, data="port"):
            if u == source and p == port:
                return key
        raise NoSuchEdge(f"there is no wire {source} -> {target} on port {port}")

    def _shift_ports(self, target, from_port, delta):
        for _u, _v, data in self._graph.in_edges(target, data=True):
            port = data.get("port")
            if isinstance(port, int) and not isinstance(port, bool) and port >= from_port:
                data["port"] += delta

    # Document order is the order of networkx's node dicts. Re-inserting the whole graph to move or rename one
    # node costs O(nodes + edges) networkx calls (undoing the deletion of 500 of 20,000 nodes took minutes),
    # so the dicts are re-keyed in place instead: the graph object, its views and every node's and edge's
    # data dict stay the same objects, and the order of every dict is kept. (`_adj` is `_succ`.)


def ui_of(graph: nx.MultiDiGraph) -> dict:
    """The presentation part of a graph (saved under "ui" in project files)."""
    return graph.graph.setdefault("ui", {})


