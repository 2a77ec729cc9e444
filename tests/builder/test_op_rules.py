"""The native shape rules of op nodes (keras.ops operations) as a table, each row also judged by real Keras:
the op called on symbolic tensors (its `compute_output_spec`), traced and run on zeros with a batch of 3, with the
oracle's rules (tests/builder/keras_oracle.py). Rows as in test_shape_rules.py: (layer, params, input shapes per
sample, expected output shape or a fragment of the error).
"""

from __future__ import annotations

import pytest

from builder.catalog.ops import OP_SPECS
from tests.builder.rule_rows import Row, assert_inference_gives, assert_keras_gives

R = Row
ROWS = {
    # ---- joining ----
    "concatenate": R("ops.concatenate", {"axis": -1}, [(4,), (3,)], (None, 7)),
    "concatenate_three": R("ops.concatenate", {"axis": 1}, [(2, 5), (3, 5), (1, 5)], (None, 6, 5)),
    "concatenate_unknown": R("ops.concatenate", {"axis": -1}, [(None, 2), (4, 3)], (None, None, 5)),
    "concatenate_sizes_differ": R("ops.concatenate", {"axis": -1}, [(3, 2), (4, 2)], "equal sizes except on axis"),
    "concatenate_batch_axis": R("ops.concatenate", {"axis": 0}, [(3,), (3,)], "is the batch axis"),
    "concatenate_ranks": R("ops.concatenate", {"axis": -1}, [(3,), (2, 3)], "same rank"),
    "concatenate_axis_range": R("ops.concatenate", {"axis": 2}, [(3,), (3,)], "out of range"),
    "stack": R("ops.stack", {"axis": 1}, [(4,), (4,)], (None, 2, 4)),
    "stack_last": R("ops.stack", {"axis": -1}, [(2, 3), (2, 3), (2, 3)], (None, 2, 3, 3)),
    "stack_batch": R("ops.stack", {"axis": 0}, [(4,), (4,)], "is the batch axis"),
    "stack_shapes": R("ops.stack", {"axis": 1}, [(4,), (5,)], "one shape"),
    # ---- element-wise, with tensors or numbers ----
    "add": R("ops.add", {}, [(4,), (4,)], (None, 4)),
    "add_number": R("ops.add", {"x2": 1.0}, [(3, 4)], (None, 3, 4)),
    "subtract_number_first": R("ops.subtract", {"x1": 1}, [(5,)], (None, 5)),
    "multiply_broadcast": R("ops.multiply", {}, [(3, 1), (1, 4)], (None, 3, 4)),
    "divide_unknown": R("ops.divide", {}, [(None, 4), (3, 1)], (None, 3, 4)),
    "maximum_mismatch": R("ops.maximum", {}, [(3,), (4,)], "cannot broadcast"),
    "minimum_ranks": R("ops.minimum", {}, [(4,), (2, 4)], "batch axis of one tensor"),
    "add_one_operand": R("ops.add", {}, [(4,)], "takes 2 operands"),
    "add_too_many": R("ops.add", {"x2": 2.0}, [(4,), (4,)], "takes 2 operands"),
    # ---- matmul ----
    "matmul": R("ops.matmul", {}, [(3, 4), (4, 5)], (None, 3, 5)),
    "matmul_batched": R("ops.matmul", {}, [(2, 3, 4), (1, 4, 6)], (None, 2, 3, 6)),
    "matmul_inner": R("ops.matmul", {}, [(3, 4), (5, 6)], "second to last"),
    "matmul_2d": R("ops.matmul", {}, [(4,), (4,)], "across the batch axis"),
    # ---- reshaping ----
    "reshape": R("ops.reshape", {"newshape": [-1, 256]}, [(4, 4, 16)], (None, 256)),
    "reshape_3d": R("ops.reshape", {"newshape": [-1, 3, 2]}, [(6,)], (None, 3, 2)),
    "reshape_sizes": R("ops.reshape", {"newshape": [-1, 100]}, [(4, 4, 16)], "same number of values"),
    "reshape_fixed_batch": R("ops.reshape", {"newshape": [3, 2]}, [(2,)], "fixes the batch axis"),
    "reshape_unknown": R("ops.reshape", {"newshape": [-1, 4]}, [(None, 4)], "size is known"),
    "transpose": R("ops.transpose", {"axes": [0, 2, 1]}, [(3, 5)], (None, 5, 3)),
    "transpose_negative": R("ops.transpose", {"axes": [0, -1, 1]}, [(3, 5)], (None, 5, 3)),
    "transpose_batch": R("ops.transpose", {"axes": [1, 0, 2]}, [(3, 5)], "moves the batch axis"),
    "transpose_reverse": R("ops.transpose", {}, [(3, 5)], "reverses every axis"),
    "expand_dims": R("ops.expand_dims", {"axis": -1}, [(3,)], (None, 3, 1)),
    "expand_dims_two": R("ops.expand_dims", {"axis": [1, 3]}, [(3, 4)], (None, 1, 3, 1, 4)),
    "expand_dims_batch": R("ops.expand_dims", {"axis": 0}, [(3,)], "is the batch axis"),
    "squeeze_all": R("ops.squeeze", {}, [(1, 3, 1)], (None, 3)),
    "squeeze_axis": R("ops.squeeze", {"axis": -1}, [(3, 1)], (None, 3)),
    "squeeze_all_unknown": R("ops.squeeze", {}, [(None,)], "unknown sizes"),  # found by the long agreement run
    "squeeze_not_one": R("ops.squeeze", {"axis": 1}, [(3, 1)], "size 1"),
    "split": R("ops.split", {"indices_or_sections": 2, "axis": -1, "index": 1}, [(3, 6)], (None, 3, 3)),
    "split_uneven": R("ops.split", {"indices_or_sections": 4, "axis": -1}, [(6,)], "equal parts"),
    "split_batch": R("ops.split", {"indices_or_sections": 3, "axis": 0}, [(6,)], "is the batch axis"),
    # One section on the batch axis is the whole tensor: Keras builds it and the samples stay (found by the agreement test).
    "split_batch_one": R("ops.split", {"indices_or_sections": 1, "axis": 0}, [()], (None,)),
    # ---- reductions ----
    "mean": R("ops.mean", {"axis": 1}, [(3, 4)], (None, 4)),
    "sum_keepdims": R("ops.sum", {"axis": [1, 2], "keepdims": True}, [(3, 4, 5)], (None, 1, 1, 5)),
    "max_last": R("ops.max", {"axis": -1}, [(3, 4)], (None, 3)),
    "min_initial": R("ops.min", {"axis": -1, "initial": 0.5}, [(3, 4)], (None, 3)),
    "mean_all": R("ops.mean", {}, [(3,)], "without an axis"),
    "sum_batch": R("ops.sum", {"axis": 0}, [(3,)], "is the batch axis"),
    "max_range": R("ops.max", {"axis": 3}, [(3, 4)], "out of range"),
    # ---- activations and casts ----
    "softmax": R("ops.softmax", {}, [(3, 4)], (None, 3, 4)),
    "softmax_axis": R("ops.softmax", {"axis": 1}, [(3, 4)], (None, 3, 4)),
    "softmax_range": R("ops.softmax", {"axis": 3}, [(3, 4)], "out of range"),
    "softmax_one_listed_negative": R("ops.softmax", {"axis": [-1]}, [(3, 4)], (None, 3, 4)),
    "softmax_two_negative": R("ops.softmax", {"axis": [-2, -1]}, [(3, 4)], "use axis=[1, 2]"),
    "softmax_two_positive": R("ops.softmax", {"axis": [1, 2]}, [(3, 4)], (None, 3, 4)),
    "softmax_6d": R("ops.softmax", {}, [(1, 2, 1, 2, 3)], "takes at most 5D"),
    "softmax_6d_two_axes": R("ops.softmax", {"axis": [4, 5]}, [(1, 2, 1, 2, 3)], (None, 1, 2, 1, 2, 3)),
    "relu": R("ops.relu", {}, [(2, 3)], (None, 2, 3)),
    "sigmoid": R("ops.sigmoid", {}, [(5,)], (None, 5)),
    "tanh": R("ops.tanh", {}, [(None, 5)], (None, None, 5)),
    "cast": R("ops.cast", {"dtype": "float16"}, [(4,)], (None, 4)),
}


@pytest.mark.parametrize("case", ROWS)
def test_op_rule(case):
    assert_inference_gives(ROWS[case], weights=(0, 0))  # an op has no weights


@pytest.mark.parametrize("case", ROWS)
def test_op_rows_agree_with_keras(keras, case):
    assert_keras_gives(keras, ROWS[case])


def test_every_native_op_has_rows():
    tested = {row.layer for row in ROWS.values()}
    assert {spec.name for spec in OP_SPECS} <= tested
