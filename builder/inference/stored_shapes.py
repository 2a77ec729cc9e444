"""Shapes of generic nodes (Keras layers outside the catalog): the stored one, when it is stale, and Keras again.

A generic node's `keras_shape` (builder/model/node_config.py) records what Keras computed for it and from which
input shapes. Inference (builder/inference/engine.py) uses it only while the shapes that arrive are those inputs; when an
edit upstream changes them, the node is *stale*: an error that says so, flagged `stale` on its result, and what
follows waits on it. `recompute` asks Keras again for the new inputs (the app does it on its worker thread,
`check --keras` in the process); keras is imported inside that function only, so inference, check and export
never load TensorFlow.
"""

from __future__ import annotations

import json

from builder.catalog.rules import ShapeError, fmt
from builder.model.order import wires_into

KERAS_ERROR_LIMIT = 1500  # characters of Keras's message kept on the node (keras_config allows a little more)


class StaleShape(ShapeError):
    """The stored shape was computed by Keras for other input shapes than those arriving now."""


def _shapes_text(shapes) -> str:
    shown = [fmt(tuple(s)) for s in shapes]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" and {shown[-1]}"


def _inputs_text(shapes) -> str:
    return ("input " if len(shapes) == 1 else "inputs ") + _shapes_text(shapes)


def stored_shape(layer: str, stored, arriving_shapes: list) -> tuple[tuple, int, int]:
    """(shape, trainable, non_trainable) of a generic node for the shapes arriving now (tuples, in port order);
    ShapeError when there is no usable stored shape, StaleShape when it was computed for other inputs."""
    if not isinstance(stored, dict) or not (isinstance(stored.get("shape"), list)
                                            or isinstance(stored.get("error"), str)):
        raise ShapeError("this Keras layer is outside the catalog, and its node holds no shape computed by "
                         "Keras; import it from a model (python main.py import MODEL) so that Keras computes it")
    inputs = stored.get("inputs")
    if inputs is not None and [list(s) for s in arriving_shapes] != inputs:
        now = "the input is now" if len(arriving_shapes) == 1 else "the inputs are now"
        raise StaleShape(f"its shape was computed by Keras for {_inputs_text(inputs)}, but {now} "
                         f"{_shapes_text(arriving_shapes)}. Keras recomputes it in the app once Keras is loaded; "
                         "on the command line, run check --keras, or import the model again")
    if "error" in stored:
        raise ShapeError(f"Keras refuses {layer} on {_inputs_text(inputs)}: {stored['error']}; change what "
                         "feeds it, or replace this layer")
    return tuple(stored["shape"]), stored.get("trainable", 0), stored.get("non_trainable", 0)


def arriving_shapes(graph, node, results) -> list | None:
    """The shapes arriving at `node` in port order (lists), or None while one of them is unknown."""
    wires = wires_into(graph, node)
    shapes = []
    for source, _port in wires:
        result = results.get(source)
        if result is None or result.shape is None:
            return None
        shapes.append(list(result.shape))
    return shapes


def stale_requests(graph, results, nodes=None) -> list[dict]:
    """What Keras must recompute: {"node", "layer", "config", "inputs"} for each stale generic node (of `nodes`,
    or of the whole graph), in document order. Plain data, copied, so it may cross to another thread."""
    wanted = graph if nodes is None else [n for n in graph if n in nodes]
    requests = []
    for node in wanted:
        result = results.get(node)
        if result is None or not result.stale:
            continue
        inputs = arriving_shapes(graph, node, results)
        if inputs is not None:
            data = graph.nodes[node]
            requests.append({"node": node, "layer": data.get("layer"), "inputs": inputs,
                             "config": json.loads(json.dumps(data.get("config") or {}))})
    return requests


def request_key(layer: str, config: dict, inputs: list) -> str:
    """The same layer, config and input shapes give the same keras_shape: the key of a remembered result."""
    return json.dumps([layer, config, inputs], sort_keys=True)


