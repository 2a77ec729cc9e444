"""Param strategies for the layers of issue 17's last part: the wrappers Bidirectional and TimeDistributed (the
wrapped layer drawn with its own strategy, for the shape it sees: each step's for TimeDistributed), Normalization,
and the params typed last (BatchNormalization renorm_clipping, MultiHeadAttention attention_axes). Used by
graph_strategy.layer_params through graph_strategy_more.MORE_PARAMS.
"""

from __future__ import annotations

from hypothesis import strategies as st

from builder.catalog.wrapped_layer import RECURRENT, wrappable
from tests.builder import graph_strategy as gs


def _wrapped(draw, name, shape) -> dict:
    return {"layer": name, "params": gs.layer_params(draw, name, shape)}


def bidirectional(draw, p, source_shape):
    forward = _wrapped(draw, draw(st.sampled_from(RECURRENT)), source_shape)
    p["layer"] = forward
    gs.optional(draw, p, "merge_mode", st.sampled_from(("concat", "sum", "mul", "ave")), 40)
    if gs.sometimes(draw, 25):  # a backward layer of its own: usually one Keras takes, sometimes not
        backward = _wrapped(draw, draw(st.sampled_from(RECURRENT)), source_shape)
        if gs.sometimes(draw, 80):
            backward["params"]["units"] = forward["params"]["units"]
            backward["params"]["go_backwards"] = not forward["params"].get("go_backwards", False)
            for name in ("return_sequences", "stateful"):
                backward["params"].pop(name, None)
                if name in forward["params"]:
                    backward["params"][name] = forward["params"][name]
        p["backward_layer"] = backward


def time_distributed(draw, p, source_shape):
    step = None if source_shape is None or len(source_shape) < 3 else (source_shape[0], *source_shape[2:])
    names = [n for n in gs.SINGLE if wrappable(n) and n not in gs.FROM_INPUT]
    name = gs.pick_layer(draw, None if step is None else len(step))
    if name not in names:
        name = draw(st.sampled_from(names))
    p["layer"] = _wrapped(draw, name, step)


def _numbers(draw, length, low, high):
    if length is None:
        return draw(st.floats(low, high))
    return draw(st.lists(st.floats(low, high), min_size=length, max_size=length))


def normalization(draw, p, source_shape):
    from tests.builder.graph_strategy_more import axis_list

    if gs.sometimes(draw, 60):
        p["axis"] = draw(st.one_of(st.none(), st.just(axis_list(draw, source_shape))))
    gs.optional(draw, p, "invert", st.booleans(), 30)
    if not gs.sometimes(draw, 50):
        return
    axis = p.get("axis", -1)
    last = None
    if source_shape is not None and axis is not None:
        axes = [axis] if isinstance(axis, int) else axis
        at = max((a + len(source_shape) if a < 0 else a for a in axes), default=None)
        last = source_shape[at] if at is not None and 0 <= at < len(source_shape) else None
    length = None if gs.sometimes(draw, 40) else (last if last and gs.sometimes(draw, 80) else draw(st.integers(1, 4)))
    p["mean"] = _numbers(draw, length, -2, 2)
    p["variance"] = _numbers(draw, length, 0.01, 4)
    if gs.sometimes(draw, 3):  # one without the other, or of another length: Keras's constructor refuses them
        del p[draw(st.sampled_from(("mean", "variance")))]


def renorm_clipping(draw) -> dict:
    clipping = {}
    if gs.sometimes(draw, 60):
        clipping["rmin"] = draw(st.floats(0, 1))
    if gs.sometimes(draw, 60):
        clipping["rmax"] = draw(st.floats(clipping.get("rmin", 0), 5))
    if gs.sometimes(draw, 60):
        clipping["dmax"] = draw(st.floats(0, 5))
    return clipping


def attention_axes(draw, source_shape):
    rank = len(source_shape) if source_shape is not None else None
    if rank is None or rank < 3 or gs.sometimes(draw, 10):
        return draw(st.one_of(st.integers(-4, 4), st.lists(st.integers(-4, 4), min_size=1, max_size=2)))
    axes = draw(st.lists(st.integers(1, rank - 2), min_size=1, max_size=rank - 2, unique=True))
    axes = [a - rank if gs.sometimes(draw, 40) else a for a in axes]
    return axes[0] if len(axes) == 1 and gs.sometimes(draw, 50) else axes


WRAPPER_PARAMS = {"Bidirectional": bidirectional, "TimeDistributed": time_distributed, "Normalization": normalization}
