"""One spec per keras.ops operation with a native shape rule, and the generic spec of any other op.

An op node's `layer` is "ops.<function>" ("ops.concatenate"); its tensors arrive on ports, its constant and
keyword arguments are typed params (validated like a layer's), and a binary op's second operand may be a number
instead of a wire (`keras.ops.add(x, 1.0)`: the param x2). Ops create no layer and have no weights. An op
without a rule here (any other function of keras.ops) is generic: its arguments are kept in the node's `config`
and its shape is computed by Keras (at import, and again by the Keras worker when its inputs change), as for
the Keras layers outside the catalog.
"""

from __future__ import annotations

from builder.catalog.layer_spec import VARIADIC, LayerSpec
from builder.catalog.ops import rules
from builder.catalog.ops.names import KERAS_OPS, LIST_OPS, PREFIX, op_name
from builder.catalog.params import Param
from builder.catalog.rules import ShapeError, same_shape

CATEGORY = "Operations"
NO_WEIGHTS = "an op creates no layer: no weights, and no name in model.summary()"

# Keras's dtypes that a cast can give (keras/src/backend/common/dtypes.py).
DTYPES = ("float16", "bfloat16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
          "uint32", "uint64", "bool")


def _axis(default=0, initial=-1, text="Axis to work along.", written=False) -> Param:
    return Param("axis", "axis", default=default, initial=initial, help=text, always_written=written)


def _axes(default=None, initial=-1, text="") -> Param:
    return Param("axis", "axes", default=default, nullable=default is None, initial=initial, length=0,
                 help=text or "The axis, or a list of axes; the batch axis 0 cannot be one of them.")


def _operand(name: str) -> Param:
    return Param(name, "float", default=None, nullable=True,
                 help=f"A number used as {name} instead of a tensor (keras.ops.add(x, 1.0)); empty: a wire feeds it.")


def _op(function: str, text: str, params=(), rule=same_shape, inputs=1, summary=(), keywords=(), **more):
    return LayerSpec(PREFIX + function, CATEGORY, f"keras.ops.{function}: {text} {NO_WEIGHTS}.", tuple(params), rule,
                     inputs=inputs, summary=summary, id_prefix=function, keywords=("op", "ops", *keywords),
                     op=function, **more)


def _binary(function: str, text: str, keywords=()) -> LayerSpec:
    return _op(function, text, (_operand("x1"), _operand("x2")), rules.elementwise(function), inputs=2,
               summary=("x1", "x2"), keywords=keywords, required_inputs=1, operands=("x1", "x2"))


def _reduce(function: str, text: str, initial=False) -> LayerSpec:
    extra = (Param("initial", "float", default=None, nullable=True, help="A starting value for the reduction."),) \
        if initial else ()
    return _op(function, text, (_axes(), Param("keepdims", "bool", default=False,
                                               help="Keep the reduced axes as size 1."), *extra),
               rules.reduce_rule(function), summary=("axis", "keepdims"), keywords=("reduce",))


OP_SPECS: tuple[LayerSpec, ...] = (
    _op("concatenate", "joins its tensors along an existing axis (sizes equal except on that axis).",
        (_axis(text="Axis to join along; Keras's default 0 is the batch axis, so set a feature axis.",
               written=True),), rules.concatenate_shape, inputs=VARIADIC, summary=("axis",), keywords=("merge", "join")),
    _op("stack", "joins tensors of one shape along a new axis.",
        (_axis(text="Where the new axis goes; Keras's default 0 is the batch axis, so set another.", written=True),),
        rules.stack_shape, inputs=VARIADIC, summary=("axis",), keywords=("merge", "join")),
    _binary("add", "x1 + x2, element-wise, broadcasting sizes of 1.", ("plus", "sum", "merge")),
    _binary("subtract", "x1 - x2, element-wise, broadcasting sizes of 1.", ("minus", "difference")),
    _binary("multiply", "x1 × x2, element-wise, broadcasting sizes of 1.", ("times", "product", "scale")),
    _binary("divide", "x1 / x2, element-wise, broadcasting sizes of 1.", ("division", "ratio")),
    _binary("maximum", "the larger of x1 and x2, element-wise.", ("max",)),
    _binary("minimum", "the smaller of x1 and x2, element-wise.", ("min",)),
    _op("matmul", "the matrix product of two tensors of matrices (batch, ..., rows, cols).", (),
        rules.matmul_shape, inputs=2, keywords=("matrix", "product", "dot")),
    _op("reshape", "gives the tensor a new shape; the batch is its first size, -1.",
        (Param("newshape", "target", help="New sizes with the batch axis first: -1 there, e.g. [-1, 256].",
               initial=[-1]),), rules.reshape_shape, summary=("newshape",)),
    _op("transpose", "reorders the axes; the batch axis 0 stays first.",
        (Param("axes", "axes", default=None, nullable=True, length=0,
               help="The new order of all axes, 0 first, e.g. [0, 2, 1]; empty reverses them all."),),
        rules.transpose_shape, summary=("axes",), keywords=("permute",)),
    _op("expand_dims", "adds an axis of size 1.",
        (Param("axis", "axes", length=0, initial=-1, help="Where the new axis (or axes) go; not 0, the batch."),),
        rules.expand_dims_shape, summary=("axis",), keywords=("unsqueeze",)),
    _op("squeeze", "removes axes of size 1.", (_axes(initial=None, text="The axes of size 1 to remove; empty: all "
                                                      "of them."),),
        rules.squeeze_shape, summary=("axis",)),
    _reduce("mean", "the mean along the axes."),
    _reduce("sum", "the sum along the axes."),
    _reduce("max", "the largest value along the axes.", initial=True),
    _reduce("min", "the smallest value along the axes.", initial=True),
    _op("softmax", "softmax along the axis (values of each slice sum to 1).",
        (_axes(default=-1, initial=-1, text="The axis (or axes) the values sum to 1 along."),),
        rules.softmax_shape, summary=("axis",), keywords=("activation", "probabilities")),
    _op("relu", "max(x, 0), element-wise.", keywords=("activation",)),
    _op("sigmoid", "1 / (1 + exp(-x)), element-wise.", keywords=("activation",)),
    _op("tanh", "the hyperbolic tangent, element-wise.", keywords=("activation",)),
    _op("cast", "the same values in another dtype.",
        (Param("dtype", "choice", choices=DTYPES, initial="float32", help="The dtype of the result."),),
        summary=("dtype",), keywords=("dtype", "float", "int")),
    _op("split", "one of the equal parts the tensor is cut into along an axis (keras.ops.split(...)[index]).",
        (Param("indices_or_sections", "int", minimum=1, initial=2, help="How many equal parts to cut into."),
         _axis(text="The axis to cut along (not the batch axis)."),
         Param("index", "int", default=0, minimum=0, help="Which part this node gives, from 0.")),
        rules.split_shape, summary=("indices_or_sections", "index"), keywords=("slice", "chunk")),
)

OPS: dict[str, LayerSpec] = {spec.name: spec for spec in OP_SPECS}


def _generic_op_shape(params, inputs):
    raise ShapeError("this keras.ops function has no shape rule of its own here; import it from a model (python "
                     "main.py import MODEL), which stores the shape Keras computes")


_GENERIC: dict[str, LayerSpec] = {}


def generic_op_spec(function: str) -> LayerSpec:
    """The spec of a keras.ops function without a native rule: any number of tensors, its other arguments in the
    node's config, its shape computed by Keras."""
    if function not in _GENERIC:
        _GENERIC[function] = LayerSpec(
            PREFIX + function, CATEGORY, f"keras.ops.{function}, imported from a model; it has no shape rule here, "
            f"so its shape is computed by Keras. {NO_WEIGHTS}.", (), _generic_op_shape, inputs=VARIADIC,
            generic=True, id_prefix=function, op=function)
    return _GENERIC[function]


def op_spec(layer) -> LayerSpec | None:
    """The spec of an op node's `layer` ("ops.add"), native or generic; None when it names no keras.ops function."""
    spec = OPS.get(layer) if isinstance(layer, str) else None
    if spec is not None:
        return spec
    function = op_name(layer)
    return generic_op_spec(function) if function is not None else None


def takes_list(spec: LayerSpec) -> bool:
    """Whether the op's tensors go as one list (`keras.ops.concatenate([a, b])`) rather than as arguments."""
    return spec.op in LIST_OPS


__all__ = ["CATEGORY", "DTYPES", "KERAS_OPS", "OPS", "OP_SPECS", "generic_op_spec", "op_spec", "takes_list"]
