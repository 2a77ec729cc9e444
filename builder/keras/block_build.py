"""Build a graph with blocks (builder/keras/block_plan.py says how each block is treated): nested models as
nested keras.Models, shared uses as the same model or layers called again, groups and copies inline.
Called by builder/keras/build.build_model with keras already imported.
"""

from __future__ import annotations

from builder.inference.engine import infer
from builder.keras.block_plan import first_use, index_in, level_items, ports, treatment
from builder.keras.build import call_layer, functional, make_input, make_layer, refused
from builder.keras.op_build import build_op
from builder.keras.plan import ModelError
from builder.model.blocks import blocks_of, members


class _Builder:
    def __init__(self, keras, graph, plan):
        self.keras, self.graph = keras, graph
        self.steps = {step.id: step for step in plan.steps}
        self.order = {n: i for i, n in enumerate(graph)}
        self.results = infer(graph)
        self.shared_models = {}  # definition -> its keras.Model
        self.shared_layers = {}  # (definition, member index) -> the layer every use calls

    def region(self, parent, tensors: dict, skip_layers_of=None):
        """Emit every item under `parent` into `tensors` (node -> tensor)."""
        for kind, item in level_items(self.graph, parent, self.order):
            if kind == "node":
                self.node(item, tensors, skip_layers_of)
            else:
                self.block(item, tensors)

    def node(self, node, tensors, shared_of=None):
        step = self.steps[node]
        try:
            if step.spec.is_input:
                tensors[node] = make_input(self.keras, step)
                return
            if step.spec.op is not None:  # keras.ops.<function>(...): an operation, not a layer (nothing shared)
                tensors[node] = build_op(self.keras, step, tensors)
                return
            layer = self.layer_for(node, step, shared_of)
            tensors[node] = call_layer(step, layer, [tensors[s] for s in step.sources])
        except ModelError:
            raise
        except Exception as exc:  # noqa: BLE001 - Keras is the judge of a config; its refusal names the node
            raise refused(step, exc) from None

    def layer_for(self, node, step, shared_of):
        if shared_of is None:
            return make_layer(self.keras, step)
        use, definition = shared_of
        index = index_in(self.graph, use)[node]
        key = (definition, index)
        if key not in self.shared_layers:
            first = members(self.graph, first_use(self.graph, use))[index]
            self.shared_layers[key] = make_layer(self.keras, self.steps[first])
        return self.shared_layers[key]

    def block(self, block, tensors):
        how = treatment(self.graph, block)
        if how in ("inline", "copy"):
            self.region(block, tensors)
        elif how == "shared_group":
            definition = blocks_of(self.graph)[block]["definition"]
            for kind, item in level_items(self.graph, block, self.order):
                if kind == "node":
                    self.node(item, tensors, (block, definition))
                else:
                    self.block(item, tensors)
        else:
            if how == "shared_model":
                definition = blocks_of(self.graph)[block]["definition"]
                if definition not in self.shared_models:
                    self.shared_models[definition] = self.inner_model(first_use(self.graph, block))
                model = self.shared_models[definition]
            else:
                model = self.inner_model(block)
            sources, outs = ports(self.graph, block)
            arriving = [tensors[s] for s in sources]
            try:
                result = model(arriving[0] if len(arriving) == 1 else arriving)
            except Exception as exc:  # noqa: BLE001 - say which block Keras refused
                raise ModelError([f"block {block}: Keras refuses to call this nested model: {exc}"]) from None
            result = result if isinstance(result, (list, tuple)) else [result]
            for node, tensor in zip(outs, result):
                tensors[node] = tensor

    def inner_model(self, block):
        """A keras.Model of the block's nodes, with one Input per tensor that enters it."""
        sources, outs = ports(self.graph, block)
        names = blocks_of(self.graph)[block].get("input_names") or []
        inner = {}
        inputs = []
        for i, source in enumerate(sources):
            shape = self.results[source].shape
            name = names[i] if i < len(names) else f"{block}_input" + (f"_{i + 1}" if len(sources) > 1 else "")
            inner[source] = self.keras.Input(shape=tuple(shape[1:]), name=name)
            inputs.append(inner[source])
        if blocks_of(self.graph)[block]["kind"] == "sequential":  # one chain: keras.Sequential([Input, ...])
            chain = [n for kind, n in level_items(self.graph, block, self.order) if kind == "node"]
            try:
                return self.keras.Sequential([inputs[0], *(make_layer(self.keras, self.steps[n]) for n in chain)],
                                             name=block)
            except Exception as exc:  # noqa: BLE001 - say which block Keras refused
                raise ModelError([f"block {block}: Keras refuses this Sequential: {exc}"]) from None
        self.region(block, inner)
        return functional(self.keras, inputs, [inner[n] for n in outs], name=block)


def build_with_blocks(keras, graph, plan):
    builder = _Builder(keras, graph, plan)
    tensors = {}
    builder.region(None, tensors)
    return functional(keras, [tensors[n] for n in plan.inputs], [tensors[n] for n in plan.outputs])
