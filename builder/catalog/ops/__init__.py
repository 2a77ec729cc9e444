"""Op nodes: keras.ops operations called on the tensors of a functional model (`keras.ops.concatenate([a, b],
axis=-1)`). In Keras 3 such a call is a real part of the model (in `model.operations`, not in `model.layers`,
without weights or a layer name). One spec per op with a native shape rule (specs.py, rules.py), a generic spec
for any other keras.ops function (names.py), and how an op node's call is spelled (calls.py).
"""

from builder.catalog.ops.names import KERAS_OPS, LIST_OPS, PREFIX, op_name
from builder.catalog.ops.specs import CATEGORY, OP_SPECS, OPS, generic_op_spec, op_spec, takes_list

__all__ = ["CATEGORY", "KERAS_OPS", "LIST_OPS", "OPS", "OP_SPECS", "PREFIX", "generic_op_spec", "op_name", "op_spec",
           "takes_list"]
