"""The import's walk over a Keras model, keeping its structure as blocks (builder/model/blocks.py):

  - a nested model (a Sequential or functional model used as a layer) becomes a model block holding its
    layers; called at several places (a siamese encoder), each call is a use of one shared definition, the
    first call's nodes named after the layers and the others numbered (enc_dense_2), so the build calls one
    nested model on each input and counts its weights once;
  - a layer called at several places becomes one node per call, each in a one-node shared block, so the
    build calls the same layer again (one set of weights);
  - everything else is a node as before (importer._Walker.describe says how a layer becomes one).

Calls are visited in the model's own order (by depth from the inputs, then the layer's order and its call
order), so every tensor a call reads was made by a call visited before it.
"""

from __future__ import annotations

from builder.keras.importer import ImportRefused, _graph_of, _Walker
from builder.keras.op_import import check_generic_op, claim_op_id, describe_op, function_of, is_op, part_id, used_parts
from builder.model.blocks import new_meta
from builder.quoting import quote


class BlockWalker(_Walker):
    """Nodes (as _Walker makes them, with a "block" key) and blocks of a model."""

    def __init__(self, keras, model):
        super().__init__(keras, model)
        self.blocks: dict = {}  # block id -> metadata
        self.reserved = self._all_names(model)
        self.taken: set = set()

    def _all_names(self, model) -> set:
        names, todo = set(), [model]
        while todo:
            current = _graph_of(self.keras, todo.pop())
            for op in current.operations:
                names.add(op.name)
                if isinstance(op, self.keras.Model):
                    todo.append(op)
        return names

    def fresh(self, name: str) -> str:
        """An id for a second (third...) call of `name`: name_2, name_3... that no layer of the model has."""
        n = 2
        while f"{name}_{n}" in self.reserved or f"{name}_{n}" in self.taken:
            n += 1
        return f"{name}_{n}"

    def fresh_block(self, name: str) -> str:
        if name not in self.blocks:
            return name
        n = 2
        while f"{name}_{n}" in self.blocks:
            n += 1
        return f"{name}_{n}"

    def walk(self):
        graph_model = _graph_of(self.keras, self.model)
        self.scope(graph_model, {}, None, top=True)
        return self.nodes

    def scope(self, model, tensors: dict, block, top=False, first_call=True):
        """Walk the calls of `model`'s graph; `tensors` maps id(KerasTensor) -> node id (the model's inputs are
        mapped by the caller for an inner model); `block` holds what is made here."""
        by_depth = model._nodes_by_depth
        operations = list(model.operations)
        rank = {id(op): i for i, op in enumerate(operations)}
        calls = sorted(((depth, node) for depth, nodes in by_depth.items() for node in nodes),
                       key=lambda dn: (-dn[0], rank.get(id(dn[1].operation), 1 << 30),
                                       _call_index(dn[1])))
        calls_of: dict = {}
        for _depth, node in calls:
            calls_of.setdefault(id(node.operation), []).append(node)
        for op_calls in calls_of.values():
            op_calls.sort(key=_call_index)
        for _depth, node in calls:
            op = node.operation
            same = calls_of[id(op)]
            k = same.index(node)
            if type(op).__name__ == "InputLayer":
                if top:
                    self.add_input(op)
                    tensors[id(node.output_tensors[0])] = op.name
                continue
            sources = [self.source_of(t, tensors) for t in node.input_tensors]
            if isinstance(op, self.keras.Model):
                outs = self.nested(op, node, k, len(same), sources, block, first_call)
                for tensor, node_id in zip(node.output_tensors, outs):
                    tensors[id(tensor)] = node_id
                continue
            if is_op(self.keras, op):  # a keras.ops call: builder/keras/op_import.py
                self.add_op_call(op, node, sources, block, tensors)
                continue
            if len(node.output_tensors) != 1:
                raise ImportRefused(f"{op.name}: a layer with several outputs cannot be one node; only layers with "
                                    "a single output can be imported")
            node_id = self.layer_id(op, k, first_call)
            here = block
            if len(same) > 1:  # a layer called at several places: a one-node shared block per call
                here = self.fresh_block(op.name)
                self.blocks[here] = new_meta("group", False, block, f"{op.name} (shared layer)", True)
            self.add_call(op, node, node_id, sources, here)
            tensors[id(node.output_tensors[0])] = node_id

    def layer_id(self, op, k, first_call) -> str:
        name = op.name
        from builder.files.project import node_id_problem

        problem = node_id_problem(name)
        if problem:
            raise ImportRefused(f"layer {quote(name)}: Keras allows this name, but a project cannot hold it as an id "
                                f"({problem.split(': ', 1)[-1]}); rename the layer in Keras "
                                "(e.g. layer.name = 'dense_1') and save the model again")
        node_id = name if (k == 0 and first_call and name not in self.taken) else self.fresh(name)
        self.taken.add(node_id)
        return node_id

    def source_of(self, tensor, tensors) -> str:
        found = tensors.get(id(tensor))
        if found is None:
            operation = tensor._keras_history[0]
            raise ImportRefused(f"{operation.name}: its output is read before it is made; this model's graph "
                                "cannot be imported")
        return found

    def add_input(self, layer):
        config = _plain_config(layer)
        extra = {"dtype": config["dtype"]} if config.get("dtype") not in (None, "float32") else {}
        self.taken.add(layer.name)
        self.nodes.append({"id": layer.name, "layer": "Input", "params": {"shape": config["batch_shape"][1:]},
                           "config": extra, "sources": [], "keras": layer, "block": None})

    def add_op_call(self, operation, node, sources, block, tensors):
        """A keras.ops call: one node (a split: one per part used), as op_import describes it."""
        split = function_of(operation) == "split"
        parts = used_parts(operation, self.outputs) if split else [None]
        for index in parts:
            node_id = part_id(operation, index, parts) if split else operation.name
            claim_op_id(node_id, self.seen)
            self.taken.add(node_id)
            described = describe_op(self.keras, operation, node, index)
            if "keras_shape" in described:
                check_generic_op(node_id, described)
            self.nodes.append({"id": node_id, "sources": sources, "keras": operation, "block": block, **described})
            tensors[id(node.output_tensors[index or 0])] = node_id

    def add_call(self, layer, node, node_id, sources, block):
        class_name = type(layer).__name__
        self.nodes.append({"id": node_id, "layer": class_name, "sources": sources, "keras": layer, "block": block,
                           **self.describe(layer, class_name, node)})

    def nested(self, inner, node, k, count, sources, block, first_call) -> list[str]:
        """Walk one call of a nested model as a model block; returns the ids of its outputs."""
        graph_model = _graph_of(self.keras, inner)
        here = self.fresh_block(inner.name)
        shared = count > 1
        names = [t._keras_history[0].name for t in graph_model.inputs]
        kind = "sequential" if isinstance(inner, self.keras.Sequential) else "model"
        self.blocks[here] = new_meta(kind, False, block, inner.name if shared else None, shared, names)
        inner_tensors = {id(t): s for t, s in zip(graph_model.inputs, sources)}
        if len(graph_model.inputs) != len(sources):
            raise ImportRefused(f"{inner.name}: this nested model takes {len(graph_model.inputs)} inputs but is "
                                f"called with {len(sources)}")
        self.scope(graph_model, inner_tensors, here, first_call=first_call and k == 0)
        outputs = graph_model.outputs if isinstance(graph_model.outputs, (list, tuple)) else [graph_model.outputs]
        return [self.source_of(t, inner_tensors) for t in outputs]


def _call_index(node) -> int:
    inbound = node.operation._inbound_nodes
    for i, other in enumerate(inbound):
        if other is node:
            return i
    return 1 << 30


def _plain_config(layer) -> dict:
    import json

    return json.loads(json.dumps(layer.get_config()))


def keep_blocks(doc, nodes, blocks: dict):
    """Put the walk's blocks on the document, group the rest by layer-name prefixes, and collapse a large
    model's blocks so it opens readable."""
    from builder.keras.name_groups import COLLAPSE_FROM, group_by_prefix

    graph = doc.graph
    if blocks:
        graph.graph["blocks"] = blocks
        for node in nodes:
            if node.get("block") is not None:
                graph.nodes[node["id"]]["block"] = node["block"]
    group_by_prefix(graph)
    if len(graph) >= COLLAPSE_FROM:
        for meta in (graph.graph.get("blocks") or {}).values():
            meta["collapsed"] = True
