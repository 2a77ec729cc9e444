"""What a layer wrapped in TimeDistributed does with steps of another rank than the one it takes.

Keras's TimeDistributed builds its layer, declares the output with the layer's compute_output_shape and runs
the layer's call() one step at a time, all past the layer's InputSpec: the rank check a layer makes when it is
called on its own never happens. Some layers then work on other ranks, the way their backend op does; the
rest fail in their own code. Each rule here was judged against real Keras (test_wrappers.py's rows):

  - Max/AveragePooling1D on a step of 2 or 3 spatial axes (rank 4 or 5): Keras's pooling op applies the one
    pool_size and strides to every spatial axis, so the step is pooled as a 2D or 3D pooling layer with
    that size on each axis would pool it. On a (batch, features) step the op fails.
  - GlobalMax/AveragePooling1D/2D/3D reduce the axes of their own rank in any step, but declare the shape
    of a pooling over all of the step's spatial axes: the node works where the two agree (keepdims=True
    and every other spatial size 1 or unknown), and fails elsewhere.
  - RepeatVector on a step of rank 3 or more: Keras reshapes each step to (batch, 1, size of axis 1) before
    repeating it, which works only when every later size is 1; the output is (batch, n, size of axis 1).
  - SpatialDropout1D/2D/3D: rate 0 passes the step through (it drops nothing, in training too); above 0 the
    first training batch fails, since the noise shape reads axes the step lacks or lines them up wrongly.

Anything else keeps the layer's own refusal. Part of the shape and weight-count rules (see
builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import Arriving, ShapeError, fmt
from builder.catalog.rules.pooling import pooling_shape

_POOLING_1D = ("MaxPooling1D", "AveragePooling1D")


def past_rank_check(spec, params, step: Arriving, refusal: ShapeError) -> tuple:
    """The step's output when TimeDistributed calls the layer past its rank check, or ShapeError: the
    layer's own refusal (`refusal`) where Keras fails too, or a message saying why the run would fail."""
    name = spec.name
    if name in _POOLING_1D and len(step.shape) in (4, 5):
        return _pooling_1d(name, params, step)
    if name.startswith("Global") and name[-2:] in ("1D", "2D", "3D"):
        return _global_pooling(int(name[-2]), params, step, refusal)
    if name == "RepeatVector" and len(step.shape) >= 3:
        return _repeat_vector(params, step, refusal)
    if name.startswith("SpatialDropout"):
        if not params.get("rate"):
            return step.shape
        raise ShapeError(f"{refusal} (Keras's TimeDistributed skips that check and passes the steps through "
                         "when predicting, but the first training batch fails; set rate to 0 or use Dropout)")
    raise refusal


def _pooling_1d(name: str, params, step: Arriving) -> tuple:
    spatial = len(step.shape) - 2
    pool = params["pool_size"] if isinstance(params["pool_size"], int) else params["pool_size"][0]
    strides = params["strides"]
    if strides is not None and not isinstance(strides, int):
        strides = strides[0]
    try:
        return tuple(pooling_shape(name, spatial)({**params, "pool_size": pool, "strides": strides}, [step]))
    except ShapeError as exc:
        raise ShapeError(f"{exc} (past its rank check Keras pools each of the step's {spatial} spatial axes "
                         "with that pool_size)") from None


def _global_pooling(rank: int, params, step: Arriving, refusal: ShapeError) -> tuple:
    """Keras reduces the axes the layer's own rank names (1..rank, or 2..rank+1 channels first) but declares
    the shape its rule gives for the step's rank: the node works only where the two agree."""
    first = params.get("data_format") == "channels_first"
    axes = range(2, rank + 2) if first else range(1, rank + 1)
    shape = step.shape
    if axes[-1] >= len(shape):
        raise refusal
    keep = params["keepdims"]
    actual = tuple(1 if i in axes else d for i, d in enumerate(shape) if keep or i not in axes)
    spatial = (1,) * (len(shape) - 2) if keep else ()
    declared = (shape[0], shape[1], *spatial) if first else (shape[0], *spatial, shape[-1])
    if len(actual) != len(declared) or any(None not in (a, d) and a != d for a, d in zip(actual, declared)):
        raise ShapeError(f"{refusal} (Keras's TimeDistributed skips that check, but then each step would come "
                         f"out as {fmt(actual)}, not the {fmt(declared)} Keras declares, so the model fails)")
    return declared


def _repeat_vector(params, step: Arriving, refusal: ShapeError) -> tuple:
    later = step.shape[2:]
    if any(size is not None and size != 1 for size in later):
        raise ShapeError(f"{refusal} (Keras's TimeDistributed skips that check and reshapes each step to "
                         f"(batch, 1, {step.shape[1]}), which fails unless every size after it is 1, not "
                         f"{fmt(later)})")
    return (step.shape[0], params["n"], step.shape[1])
