"""FLOPs against TensorFlow's profiler on the built model, for the layers it counts (one Keras build).

The convention (builder/cost/layer_costs.py): FLOPs = 2 per MAC + one per bias value, as the profiler counts
MatMul/convolutions and BiasAdd; pooling one per window value; merges one per output value and input past
the first (Average: plus the division); softmax 5 per value (the Softmax layer, Activation, a Dense's
activation='softmax', ops.softmax); op nodes as builder/cost/op_costs.py says (matmul, element-wise, mean, sum).
Left out, as the README says: recurrent layers (the profiler counts
one step of the loop only), transposed convolutions (it counts them as the convolution they are the gradient
of), normalisation (it counts the statistics' own arithmetic), attention (softmax), grouped convolutions (no
shape for the profiler).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

import builder
from builder.cost import graph_costs
from tests.builder.small_graphs import wired_graph

NODES = [("x", "Input", {"shape": [12, 12, 4]}), ("conv", "Conv2D", {"filters": 8, "kernel_size": 3}),
         ("strided", "Conv2D", {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}),
         ("nobias", "Conv2D", {"filters": 4, "kernel_size": 2, "use_bias": False}),
         ("depth", "DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2}),
         ("sep", "SeparableConv2D", {"filters": 6, "kernel_size": 3}),
         ("maxp", "MaxPooling2D", {}), ("avgp", "AveragePooling2D", {"pool_size": 3, "strides": 1}),
         ("gap", "GlobalAveragePooling2D", {}), ("dense3", "Dense", {"units": 5}),
         ("plus", "Add", {}), ("mul", "Multiply", {}), ("avg", "Average", {}),
         ("seq", "Input", {"shape": [7, 6]}), ("c1", "Conv1D", {"filters": 4, "kernel_size": 3}),
         ("dense", "Dense", {"units": 3}), ("smx", "Softmax", {}), ("act", "Activation", {"activation": "softmax"}),
         ("classes", "Dense", {"units": 4, "activation": "softmax"}),
         # op nodes (keras.ops calls), one of each TensorFlow op type: the profile names them by type only
         ("mat", "Input", {"shape": [6, 5]}), ("o_matmul", "ops.matmul", {}), ("o_add", "ops.add", {}),
         ("o_mul", "ops.multiply", {"x2": 0.5}), ("o_div", "ops.divide", {}), ("o_sub", "ops.subtract", {}),
         ("o_mean", "ops.mean", {"axis": [-1]}), ("o_sum", "ops.sum", {"axis": [1]}),
         ("o_softmax", "ops.softmax", {})]
WIRES = [("x", "conv"), ("x", "strided"), ("x", "nobias"), ("x", "depth"), ("x", "sep"), ("x", "maxp"),
         ("x", "avgp"), ("x", "gap"), ("x", "dense3"), ("seq", "c1"), ("gap", "dense"), ("seq", "smx"),
         ("seq", "act"), ("seq", "classes"), ("seq", "o_mul"), ("seq", "o_mean"), ("seq", "o_sum"),
         ("seq", "o_softmax")]
# Each op node's name in the profile (its TensorFlow op; a layer's ops are named after the layer's node).
PROFILED_AS = {"o_matmul": "MatMul", "o_add": "Add", "o_mul": "Mul", "o_div": "truediv", "o_sub": "Sub",
               "o_mean": "Mean", "o_sum": "Sum", "o_softmax": "Softmax"}


def _graph():
    merges = [("x", merge, port) for merge in ("plus", "mul", "avg") for port in (0, 1)]
    binary = [("seq", op, port) for op in ("o_add", "o_div", "o_sub") for port in (0, 1)]
    return wired_graph(*NODES, edges=[(source, target, 0) for source, target in WIRES] + merges + binary
                       + [("seq", "o_matmul", 0), ("mat", "o_matmul", 1)])


def _profiled_flops(keras, model) -> dict[str, int]:
    import tensorflow as tf
    from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2

    specs = [tf.TensorSpec([1, *i.shape[1:]], tf.float32) for i in model.inputs]
    function = tf.function(lambda *xs: model(list(xs))).get_concrete_function(*specs)
    frozen = convert_variables_to_constants_v2(function)
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    profile = tf.compat.v1.profiler.profile(graph=frozen.graph, options=options)
    per_layer = defaultdict(int)
    for op in profile.children:  # "functional/<layer>_1/<op>": node ids here hold no "_"
        per_layer[op.name.split("/")[1].rsplit("_", 1)[0]] += op.total_float_ops
    return per_layer


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_flops_equal_tensorflow_s_profiler_for_the_layers_it_counts(keras):
    graph = _graph()
    results = builder.infer(graph)
    assert not [r.error for r in results.values() if r.error]
    profiled = _profiled_flops(keras, builder.build_model(graph))
    ours = graph_costs(graph, results)
    compared = [n for n, layer, _p in NODES if layer != "Input"]
    assert {n: ours[n].flops for n in compared} == {n: profiled[PROFILED_AS.get(n, n)] for n in compared}
