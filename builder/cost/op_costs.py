"""Costs of op nodes (`ops.<function>`: keras.ops calls in the model), by the conventions of layer_costs.py and
as TensorFlow's profiler counts the op each call becomes (tests/builder/test_cost_profiler.py checks them):

- add, subtract, multiply, divide, maximum, minimum: no MACs; one FLOP per output value (broadcasting
  included; a number as the second operand counts the same: AddV2, Sub, Mul, RealDiv, Maximum, Minimum).
- matmul: output values × the shared size (x1's last) MACs, 2 FLOPs per MAC (BatchMatMulV2).
- mean: one FLOP per input value (the adds, then a division per output value: Mean); sum: input values −
  output values adds (Sum); max, min: as many comparisons (the profiler does not count Max/Min), one more per
  output value with `initial`.
- softmax: 5 FLOPs per value (shift 2, exp 1, normalise 2: the profiler's Softmax), no MACs.
- relu, sigmoid, tanh, cast, and the ops that only move values (reshape, transpose, expand_dims, squeeze,
  split, concatenate, stack): none, as the activation and reshaping layers.
- any other keras.ops function (generic op nodes, shaped by Keras at import): MACs and FLOPs unknown.
"""

from __future__ import annotations

import math

SOFTMAX_FLOPS = 5  # per value: the profiler's Softmax (tensorflow/python/profiler/internal/flops_registry.py)


def _values(shape) -> int:
    return math.prod(shape[1:])


def _elementwise(params, ins, out):
    return 0, _values(out)


def _matmul(params, ins, out):
    macs = _values(out) * ins[0][-1]
    return macs, 2 * macs


def _mean(params, ins, out):
    return 0, _values(ins[0])


def _sum(params, ins, out):
    return 0, _values(ins[0]) - _values(out)


def _extreme(params, ins, out):
    comparisons = _values(ins[0]) - _values(out)
    return 0, comparisons + (_values(out) if params.get("initial") is not None else 0)


def softmax(params, ins, out):
    return 0, SOFTMAX_FLOPS * _values(out)


OP_RULES = {
    **dict.fromkeys(("add", "subtract", "multiply", "divide", "maximum", "minimum"), _elementwise),
    "matmul": _matmul, "mean": _mean, "sum": _sum, "max": _extreme, "min": _extreme, "softmax": softmax,
}
# Ops that map or move values: no MACs, no FLOPs (layer_costs.FREE).
FREE_OPS = frozenset(("relu", "sigmoid", "tanh", "cast", "reshape", "transpose", "expand_dims", "squeeze", "split",
                      "concatenate", "stack"))
