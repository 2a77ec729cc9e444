"""Hypothesis strategy: small random graphs over the whole layer catalog, every layer and every param.

Graphs grow one node at a time, each new node reading from earlier ones, so they are acyclic. To reach deep,
valid graphs as well as errors, choices lean on what is already there: a layer is usually one that suits the
rank of its source (our own inference tells the rank; Keras, not our inference, then judges the result), merge
inputs usually share a rank, new Inputs are often a variant of an existing one (a size set to 1 or None, a
leading axis dropped) so that broadcasting and near-miss concatenations come up, and a Reshape usually gets a
target that fits. Sizes stay tiny so that forward passes are cheap.

Param values are the stored (JSON) form. A few invalid values are drawn on purpose, only ones that Keras's own
constructor refuses too (units=0, rate=1.5, an unknown activation, ...), so both sides must report them.
"""

from __future__ import annotations

import math

import networkx as nx
from hypothesis import strategies as st

from builder.catalog.params import ACTIVATIONS
from builder.catalog.specs import CATALOG, SPECS
from builder.inference.engine import infer
from tests.builder.graph_strategy_more import MORE_PARAMS
from tests.builder.graph_strategy_ops import op_node
from tests.builder.graph_strategy_spatial import BY_TENSOR_RANK, SPATIAL_PARAMS

# Masking is not drawn: its mask travels on to later layers (a Softmax after it fails on a rank-2 mask), and how
# masks travel is Keras's business, not a shape rule's (as with Embedding's mask_zero); Keras's own Masking tests
# (test_keras_layer_tests.py) and test_shape_rules.py cover it.
NOT_DRAWN = ("Masking",)
LAYERS = tuple(spec.name for spec in SPECS if spec.name != "Input" and spec.name not in NOT_DRAWN)
MERGES = tuple(spec.name for spec in SPECS if spec.is_merge)
NAMED_PORTS = tuple(spec.name for spec in SPECS if spec.port_names)  # attention: query, value, optional key
SINGLE = tuple(name for name in LAYERS if name not in (*MERGES, *NAMED_PORTS))
IMAGE_ONLY = (*BY_TENSOR_RANK[4], "SpatialDropout2D", "Resizing", "CenterCrop", "RandomFlip", "RandomRotation",
              "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness")
SEQUENCE_ONLY = (*BY_TENSOR_RANK[3], "LSTM", "GRU", "SimpleRNN", "SpatialDropout1D", "Bidirectional")
VOLUME_ONLY = (*BY_TENSOR_RANK[5], "SpatialDropout3D")
VECTOR_ONLY = ("RepeatVector",)
# Embedding reads indices: it is fed from an Input (zeros, so index 0), never from computed values that could
# fall outside 0..input_dim-1 and fail the lookup for a reason no shape rule can see.
FROM_INPUT = ("Embedding",)
BY_RANK = {5: VOLUME_ONLY, 4: IMAGE_ONLY, 3: SEQUENCE_ONLY, 2: VECTOR_ONLY}
ANY_RANK = tuple(name for name in SINGLE
                 if name not in (*IMAGE_ONLY, *SEQUENCE_ONLY, *VOLUME_ONLY, *VECTOR_ONLY, *FROM_INPUT))
MAX_INPUTS = 3

# Values that Keras's constructors refuse as well as our validators (each side must report an error).
INVALID = {
    "Dense": {"units": [0, -2], "activation": ["not_an_activation"]},
    "Conv2D": {"filters": [0], "kernel_size": [0, [2, 0]], "strides": [0], "dilation_rate": [0], "groups": [0],
               "padding": ["causal"], "activation": ["not_an_activation"]},
    "MaxPooling2D": {"pool_size": [0, [0, 2]], "data_format": ["channels_middle"]},
    "AveragePooling2D": {"pool_size": [0]},
    "Conv3D": {"filters": [0], "kernel_size": [[2, 0, 2]], "padding": ["causal"]},
    "Conv1DTranspose": {"padding": ["causal"], "output_padding": [-1]},
    "DepthwiseConv1D": {"padding": ["causal"], "depth_multiplier": [0]},
    "UpSampling3D": {"size": [0]},
    "Cropping1D": {"cropping": [-1]},
    "LeakyReLU": {"negative_slope": [-0.5]},
    "GaussianNoise": {"stddev": [1.5, -0.1]},
    "Dot": {"axes": [[1, 1, 1]]},
    "Dropout": {"rate": [-0.25, 1.5]},
    "Activation": {"activation": ["not_an_activation"]},
    "Reshape": {"target_shape": [[-1, -1], [2, -2]]},
    "Conv2DTranspose": {"filters": [0], "kernel_size": [0]},
    "SeparableConv2D": {"depth_multiplier": [0]},
    "Conv1D": {"filters": [0], "padding": ["full"]},
    "ReLU": {"negative_slope": [-1.0], "max_value": [-1.0], "threshold": [-0.5]},
    "LSTM": {"units": [0]},
    "GRU": {"units": [0]},
    "Permute": {"dims": [[1, 1], [2, 3]]},
}


def sometimes(draw, percent: int) -> bool:
    # Hypothesis draws the ends of a range more often than the middle; 0 comes up most, so it means "no".
    return draw(st.integers(0, 99)) >= 100 - percent


def optional(draw, params: dict, name: str, strategy, percent_set: int = 70):
    """Set a param with the given chance; otherwise leave it out so that Keras's default applies."""
    if sometimes(draw, percent_set):
        params[name] = draw(strategy)


# ---- param values --------------------------------------------------------------------------------------------

def ints_or_pair(low: int, high: int):
    return st.one_of(st.integers(low, high), st.lists(st.integers(low, high), min_size=2, max_size=2))


def activations(nullable=True):
    names = st.sampled_from(ACTIVATIONS)
    common = st.sampled_from(("relu", "linear", "sigmoid", "tanh", "softmax"))
    return st.one_of(st.none(), common, names) if nullable else st.one_of(common, names)


def dims(low=1, high=7, none_percent=12):
    return st.integers(0, 99).flatmap(lambda r: st.none() if r >= 100 - none_percent else st.integers(low, high))


def input_shape(draw, existing: list) -> list:
    if existing and sometimes(draw, 50):
        return variant(draw, draw(st.sampled_from(existing)))
    rank = draw(st.sampled_from((1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 0)))
    if rank == 3:  # an image: height, width, channels
        return [draw(dims(1, 8)), draw(dims(1, 8)), draw(dims(1, 6, none_percent=6))]
    if rank == 4:  # a volume: depth, height, width, channels (small: 3D convolutions run on it)
        return [draw(dims(1, 5)), draw(dims(1, 5)), draw(dims(1, 5)), draw(dims(1, 4, none_percent=6))]
    return [draw(dims()) for _ in range(rank)]


def variant(draw, shape: list) -> list:
    """A shape close to another: some sizes set to 1, None or another size; maybe a leading axis dropped."""
    out = []
    for d in shape:
        choice = draw(st.integers(0, 9))
        out.append(1 if choice == 0 else None if choice == 1 else draw(st.integers(1, 7)) if choice == 2 else d)
    if out and sometimes(draw, 20):
        out = out[1:]
    return out


def reshape_target(draw, source_shape) -> list:
    known = source_shape is not None and None not in source_shape[1:]
    if known and sometimes(draw, 75):
        return fitting_target(draw, math.prod(source_shape[1:]))
    target = draw(st.lists(st.integers(1, 6), min_size=0 if sometimes(draw, 5) else 1, max_size=3))
    if target and sometimes(draw, 50):
        target[draw(st.integers(0, len(target) - 1))] = -1
    return target


def fitting_target(draw, size: int) -> list:
    """Sizes whose product is `size` (rank 1 to 3), one of them maybe -1."""
    target, rest = [], size
    for _ in range(draw(st.integers(0, 2))):
        divisors = [d for d in range(1, rest + 1) if rest % d == 0]
        d = draw(st.sampled_from(divisors))
        target.append(d)
        rest //= d
    target.append(rest)
    target = draw(st.permutations(target))
    if sometimes(draw, 50):
        target[draw(st.integers(0, len(target) - 1))] = -1
    return list(target)


AXES = st.sampled_from((-1, -1, -1, -2, -2, -3, -4, -5, 0, 1, 1, 2, 3, 4, 5))


def layer_params(draw, layer: str, source_shape) -> dict:
    p: dict = {}
    if layer in SPATIAL_PARAMS:
        SPATIAL_PARAMS[layer](draw, p, source_shape)
    elif layer == "Dense":
        p["units"] = draw(st.integers(1, 6))
        optional(draw, p, "activation", activations(), 50)
        optional(draw, p, "use_bias", st.booleans(), 30)
    elif layer == "Dropout":
        p["rate"] = draw(st.one_of(st.sampled_from((0.0, 0.5, 0.999)), st.floats(0, 0.99)))
    elif layer == "Activation":
        p["activation"] = draw(activations(nullable=False))
    elif layer == "Concatenate":
        optional(draw, p, "axis", AXES, 80)
    elif layer == "Reshape":
        p["target_shape"] = reshape_target(draw, source_shape)
    elif layer in MORE_PARAMS:
        MORE_PARAMS[layer](draw, p, source_shape)
    if layer in INVALID and draw(st.integers(0, 99)) >= 98:  # rare: the upper end is drawn less often than 0
        name = draw(st.sampled_from(sorted(INVALID[layer])))
        p[name] = draw(st.sampled_from(INVALID[layer][name]))
    return p


# ---- wiring -------------------------------------------------------------------------------------------------

def pick_layer(draw, rank) -> str:
    suited = (*ANY_RANK, *BY_RANK.get(rank, ()))
    if rank is None or sometimes(draw, 15):
        return draw(st.sampled_from(SINGLE))
    # The rank's own layers come up as often as all the others together, so deep image and sequence
    # graphs are common.
    return draw(st.sampled_from(BY_RANK[rank] if rank in BY_RANK and sometimes(draw, 50) else suited))


def merge_sources(draw, nodes: list, shapes: dict) -> list:
    first = draw(st.sampled_from(nodes))
    rank = None if shapes.get(first) is None else len(shapes[first])
    same_rank = [n for n in nodes if shapes.get(n) is not None and len(shapes[n]) == rank] or nodes
    sources = [first]
    for _ in range(draw(st.integers(1, 4)) - 1):
        sources.append(draw(st.sampled_from(same_rank if sometimes(draw, 75) else nodes)))
    return sources


@st.composite
def graphs(draw, min_nodes=2, max_nodes=8) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    input_shapes = []
    count = draw(st.integers(min_nodes, max_nodes))
    for index in range(count):
        node = f"n{index}"
        inputs = sum(1 for _n, layer in graph.nodes(data="layer") if layer == "Input")
        if index == 0 or (inputs < MAX_INPUTS and sometimes(draw, 12)):
            shape = input_shape(draw, input_shapes)
            input_shapes.append(shape)
            graph.add_node(node, layer="Input", params={"shape": shape})
            continue
        shapes = {n: r.shape for n, r in infer(graph).items()}
        nodes = list(graph)
        if sometimes(draw, 1):  # a layer nobody connected
            layer = draw(st.sampled_from(LAYERS))
            graph.add_node(node, layer=layer, params=layer_params(draw, layer, None))
            continue
        if sometimes(draw, 12):  # a keras.ops operation (builder/catalog/ops/)
            layer, params, sources = op_node(draw, nodes, shapes, merge_sources)
            graph.add_node(node, layer=layer, params=params)
            for port, source in enumerate(sources):
                graph.add_edge(source, node, port=port)
            continue
        if sometimes(draw, 22):
            layer = draw(st.sampled_from(MERGES))
            sources = merge_sources(draw, nodes, shapes)
        elif sometimes(draw, 6):
            layer = draw(st.sampled_from(NAMED_PORTS))
            sources = merge_sources(draw, nodes, shapes)[:3]
            while len(sources) < 2:
                sources.append(draw(st.sampled_from(nodes)))
        else:
            source = nodes[-1] if sometimes(draw, 50) else draw(st.sampled_from(nodes))
            shape = shapes.get(source)
            layer = pick_layer(draw, None if shape is None else len(shape))
            if layer in FROM_INPUT and sometimes(draw, 95):
                source = draw(st.sampled_from([n for n in nodes if graph.nodes[n]["layer"] == "Input"]))
            sources = [source]
        graph.add_node(node, layer=layer, params=layer_params(draw, layer, shapes.get(sources[0])))
        for port, source in enumerate(sources):
            graph.add_edge(source, node, port=port)
    return graph


def describe(graph: nx.MultiDiGraph) -> str:
    """The graph as readable lines, for failure reports."""
    lines = []
    for node, data in graph.nodes(data=True):
        sources = [u for u, _v, _p in sorted(graph.in_edges(node, data="port"), key=lambda e: e[2])]
        lines.append(f"  {node} = {data['layer']}({data.get('params')}) <- {sources}")
    return "\n".join(lines)


assert set(CATALOG) == {"Input", *LAYERS, *NOT_DRAWN}
