"""Generated benchmark graphs: valid models of any size that use every catalog layer and wide merges.

The graph is a chain of residual/inception-like blocks on a small feature map, with a classifier head every
few blocks, so it stays valid at any size and every layer type appears: Conv2D (strides, dilation, groups),
pooling (valid/same), BatchNormalization, Activation, Dropout, Concatenate and Add with 2-4 inputs,
Reshape, Flatten, GlobalAveragePooling2D and Dense.
"""

from __future__ import annotations

import hashlib
import random
import tempfile
from pathlib import Path

from builder.model.document import GraphDocument

CHANNELS = 8
SIZE = 16


def _block(doc, rng, source, next_id):
    """One block from a (SIZE, SIZE, CHANNELS) tensor back to one; returns its output id."""
    def add(layer, params, *sources):
        node = next_id()
        doc.add_node(node, layer, params)
        for s in sources:
            doc.connect(s, node)
        return node

    kind = rng.randrange(4)
    if kind == 0:  # inception-like: 2-4 branches concatenated, then a 1x1 conv back to CHANNELS
        branches = []
        for k in rng.sample([1, 3, 5, 7], rng.randint(2, 4)):
            branch = add("Conv2D", {"filters": CHANNELS, "kernel_size": k, "padding": "same",
                                    "activation": "relu"}, source)
            if rng.random() < 0.5:
                branch = add("BatchNormalization", {}, branch)
            branches.append(branch)
        merged = add("Concatenate", {"axis": -1}, *branches)
        return add("Conv2D", {"filters": CHANNELS, "kernel_size": 1, "groups": 2}, merged)
    if kind == 1:  # residual: 2-3 paths added
        paths = [source]
        for _ in range(rng.randint(1, 2)):
            x = add("Conv2D", {"filters": CHANNELS, "kernel_size": [3, 1], "padding": "same",
                               "dilation_rate": rng.choice([1, 2])}, source)
            x = add("Activation", {"activation": rng.choice(["relu", "gelu", "tanh"])}, x)
            paths.append(add("Dropout", {"rate": 0.1}, x))
        return add("Add", {}, *paths)
    if kind == 2:  # pooling that keeps the size, then normalisation
        x = add(rng.choice(["MaxPooling2D", "AveragePooling2D"]), {"pool_size": 3, "strides": 1, "padding": "same"},
                source)
        return add("BatchNormalization", {"momentum": 0.9}, x)
    # reshape round trip: (S, S, C) -> (S*S, C) -> (S, S, C)
    x = add("Reshape", {"target_shape": [-1, CHANNELS]}, source)
    x = add("Dense", {"units": CHANNELS}, x)
    return add("Reshape", {"target_shape": [SIZE, SIZE, CHANNELS]}, x)


def _head(doc, rng, source, next_id):
    node = next_id()
    if rng.random() < 0.5:
        doc.add_node(node, "GlobalAveragePooling2D", {})
        doc.connect(source, node)
    else:
        pool = next_id()
        doc.add_node(pool, "MaxPooling2D", {"pool_size": 4})
        doc.connect(source, pool)
        doc.add_node(node, "Flatten", {})
        doc.connect(pool, node)
    out = next_id()
    doc.add_node(out, "Dense", {"units": 10, "activation": "softmax"})
    doc.connect(node, out)


def generated_graph(size: int, seed: int = 0) -> GraphDocument:
    """A valid document with about `size` nodes (within a block's length)."""
    rng = random.Random(seed)
    doc = GraphDocument()
    counter = iter(range(10**9))

    def next_id():
        return f"n{next(counter)}"

    current = doc.add_node("image", "Input", {"shape": [SIZE, SIZE, CHANNELS]})
    blocks = 0
    while len(doc) < size - 3:
        current = _block(doc, rng, current, next_id)
        blocks += 1
        if blocks % 6 == 0:
            _head(doc, rng, current, next_id)
    _head(doc, rng, current, next_id)
    return doc


def deepest_param_node(doc: GraphDocument) -> str:
    """An early Conv2D: editing it recomputes nearly the whole graph downstream (the worst incremental case)."""
    return next(n for n in doc.graph if doc.layer(n) == "Conv2D")


def generated_file(size: int) -> Path:
    """generated_graph(size) saved as a project with the auto-layout's positions, kept in the temporary folder
    between runs (named by this module's source, so a changed generator makes new files): a 100,000-node graph
    takes a minute to generate through the document's checks."""
    from builder import save
    from builder.layout.auto_layout import auto_layout
    from builder.model.document import ui_of

    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"kc_bench_{digest}_{size}.json"
    if not path.exists():
        graph = generated_graph(size).graph
        ui_of(graph)["positions"] = auto_layout(graph)
        save(graph, path)  # atomically: an interrupted run leaves no half file
    return path
