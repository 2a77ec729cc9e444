"""Softmax over one axis of a tensor of more than 5 dimensions: Keras builds it, but TensorFlow's softmax kernel on
CPU (oneDNN, which TensorFlow turns on by default on x86) refuses it at the first forward pass: "Input dims must
be <= 5 and >=1 [Op:Softmax]". Found by the 20,000-graph agreement run (seed 104: a Dot of two 5D tensors feeding
Activation('softmax')). With oneDNN off (TF_ENABLE_ONEDNN_OPTS=0) or on a GPU it runs, so the message says so.

Keras reaches that kernel from: the Softmax layer with one axis, the 'softmax' activation of any layer,
keras.ops.softmax (an axis tuple first folds those axes into one), MultiHeadAttention with one attention axis
(its scores have one axis more than the query), and Attention and AdditiveAttention (scores of the query's rank). Softmax over several axes is computed without that kernel, as
exp(x - logsumexp(x)), whose `where` (TensorFlow's SelectV2) broadcasts at most 8 dimensions on any device:
"Broadcast between [3,1,...] and [...] is not supported yet" (seed 104 again: MultiHeadAttention over all axes of a
7D query, whose scores have 12). MultiHeadAttention's scores have the query's rank plus one axis per attention axis.

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import ShapeError

SOFTMAX_MAX_RANK = 5
SEVERAL_AXES_MAX_RANK = 8


def check_softmax_rank(rank: int, what: str, remedy: str) -> None:
    """Refuse a softmax kernel call on a `rank`-dimensional tensor (batch included) above the CPU kernel's limit.
    `what` says where the softmax is; `remedy` what to change."""
    if rank <= SOFTMAX_MAX_RANK:
        return
    raise ShapeError(f"{what} runs TensorFlow's softmax on a {rank}D tensor, but its CPU kernel (oneDNN, on by "
                     f"default) takes at most {SOFTMAX_MAX_RANK}D, so predicting or training on CPU fails; {remedy} "
                     "(or run with TF_ENABLE_ONEDNN_OPTS=0 or on a GPU)")


def check_several_axes_rank(rank: int, what: str, remedy: str) -> None:
    """Refuse a softmax over several axes of a `rank`-dimensional tensor above TensorFlow's broadcast limit."""
    if rank <= SEVERAL_AXES_MAX_RANK:
        return
    raise ShapeError(f"{what} computes a softmax over several axes of a {rank}D tensor, but TensorFlow's `where` "
                     f"in it takes at most {SEVERAL_AXES_MAX_RANK}D, so predicting or training fails; {remedy}")
