"""Core layers: Input, Dense, Activation and ReLU, Embedding.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import ShapeError, by, fmt
from builder.catalog.rules.softmax_rank import check_softmax_rank
from builder.catalog.rules.terms import named


def check_activation(layer: str, activation, shape, what: str):
    """A 'softmax' activation is refused above the CPU softmax kernel's 5D limit (softmax_rank.py).

    'glu' splits the last axis into two halves and returns their product, so its output has half the size.
    Keras 3's layers still declare the full size, and it needs that size known (it checks it is even while
    tracing): whatever the size, a model using it has wrong shapes or does not run. So it is refused."""
    if activation == "softmax":
        check_softmax_rank(len(shape), f"{layer}'s activation 'softmax' on {what}",
                           "Reshape to 5D or fewer first, or softmax over several axes with a Softmax layer")
    if activation != "glu":
        return
    size = shape[-1]
    if size is None:
        problem = f"{what} has an unknown size there, and Keras cannot check it is even, so the model does not run"
    elif size % 2:
        problem = f"{what} has an odd size {size}, which cannot be split in two"
    else:
        problem = (f"{layer} still declares size {size} for {what}, while the run gives {size // 2}, so layers "
                   "after it would be built for the wrong size")
    raise ShapeError(f"activation 'glu' halves the last axis, but {problem}; use another activation, such as "
                     "'gelu' or 'silu'")


def input_shape(params, inputs):
    return (None, *params["shape"])


def dense_shape(params, inputs):
    (x,) = inputs
    if len(x.shape) < 2:
        raise ShapeError(f"Dense needs a tensor with a feature axis (batch, features), but {by(x)}; "
                         "give the Input a shape such as [16]")
    if x.shape[-1] is None:
        raise ShapeError(f"Dense needs a known size on the last axis, but {by(x)}; set that size in the "
                         "Input shape, or use GlobalAveragePooling2D instead of Flatten on images of unknown size")
    out = (*x.shape[:-1], params["units"])
    check_activation("Dense", params["activation"], out, f"its output {fmt(out)}")
    return out


def dense_weights(params, inputs, out):
    n_in, units = named(inputs[0].shape[-1], "inputs"), named(params["units"], "units")
    return n_in * units + (named(params["units"], "biases") if params["use_bias"] else 0), 0


def activation_shape(params, inputs):
    (x,) = inputs
    check_activation("Activation", params["activation"], x.shape, f"the input {fmt(x.shape)} from {x.source}")
    return x.shape


def relu_shape(params, inputs):
    (x,) = inputs
    return x.shape


def embedding_shape(params, inputs):
    (x,) = inputs
    return (*x.shape, params["output_dim"])


def embedding_weights(params, inputs, out):
    return named(params["input_dim"], "input_dim") * named(params["output_dim"], "output_dim"), 0


def rescaling_shape(params, inputs):
    """Rescaling multiplies by scale and adds offset, either a number or one value per channel (a list, which
    broadcasts along the last axis). Keras declares the input's shape; a list on a size-1 last axis would
    broadcast it to the list's length, and one of another length fails, so both are refused."""
    (x,) = inputs
    for name in ("scale", "offset"):
        value = params[name]
        if not isinstance(value, list) or len(value) == 1:
            continue
        last = x.shape[-1] if len(x.shape) > 1 else None
        if len(x.shape) < 2 or (last is not None and last != len(value)):
            raise ShapeError(f"Rescaling's {name} holds {len(value)} values, one per channel, but {by(x)}, "
                             f"whose last axis is {'missing' if len(x.shape) < 2 else last}; give {name} "
                             f"{'one value' if len(x.shape) < 2 else f'{last} values or one'}")
    return x.shape
