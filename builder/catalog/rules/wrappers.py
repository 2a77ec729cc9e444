"""Wrappers: Bidirectional (a recurrent layer run forwards and backwards, the two outputs merged) and
TimeDistributed (one layer applied to every step of a sequence, the same weights at each step). The wrapped
layer's own rule gives the shape and the weights (builder/catalog/wrapped_layer.py holds its params).

Part of the shape and weight-count rules (see builder/catalog/rules/__init__.py).
"""

from __future__ import annotations

from builder.catalog.rules.common import Arriving, ShapeError, by, fmt
from builder.catalog.rules.step_rank import past_rank_check


def _resolved(value):
    from builder.catalog.wrapped_layer import resolved  # the wrapped layer's spec lives in the catalog above

    return resolved(value)


def _directions(params):
    """((spec, params) forwards, (spec, params) backwards). Without a backward_layer Keras copies the layer
    with go_backwards=True, whatever the layer's own go_backwards."""
    forward = _resolved(params["layer"])
    if params.get("backward_layer") is None:
        spec, inner = forward
        return forward, (spec, {**inner, "go_backwards": True})
    return forward, _resolved(params["backward_layer"])


def bidirectional_params(params):
    """What Keras's constructor checks: the two directions read the sequence in opposite orders and agree on
    return_sequences and stateful."""
    (fspec, forward), (bspec, backward) = _directions(params)
    if forward["go_backwards"] == backward["go_backwards"]:
        if params.get("backward_layer") is None:
            raise ShapeError(f"Bidirectional makes its backward layer by reading the sequence backwards, but its "
                             f"{fspec.name} has go_backwards=True already, so both would go backwards; set "
                             "go_backwards to false on the wrapped layer")
        raise ShapeError(f"Bidirectional needs its layer and its backward_layer to read the sequence in opposite "
                         f"orders, but both have go_backwards={forward['go_backwards']}; set go_backwards=True on "
                         "the backward layer only")
    for name in ("return_sequences", "stateful"):
        if forward[name] != backward[name]:
            raise ShapeError(f"Bidirectional needs the same {name} on its layer and its backward_layer, but the "
                             f"{fspec.name} has {forward[name]} and the backward {bspec.name} {backward[name]}; "
                             "set it alike on both")


def _inner_shape(wrapper: str, spec, params, inputs) -> tuple:
    try:
        return tuple(spec.shape_rule(params, inputs))
    except ShapeError as exc:
        raise ShapeError(f"{wrapper}'s wrapped {exc}") from None


def bidirectional_shape(params, inputs):
    (fspec, forward), (bspec, backward) = _directions(params)
    out = _inner_shape("Bidirectional", fspec, forward, inputs)
    back = _inner_shape("Bidirectional", bspec, backward, inputs)
    merge = params["merge_mode"]
    if out != back:
        # 'concat' would declare twice the forward size and then join two other sizes; the others fail.
        raise ShapeError(f"Bidirectional merges its two directions with merge_mode={merge!r}, so they need one "
                         f"output shape, but the forward {fspec.name} gives {fmt(out)} and the backward "
                         f"{bspec.name} {fmt(back)}; give both the same units")
    if merge == "concat":
        return (*out[:-1], out[-1] * 2)
    return out


def bidirectional_weights(params, inputs, out):
    total = [0, 0]
    for spec, inner in _directions(params):
        counts = spec.weight_rule(inner, inputs, tuple(spec.shape_rule(inner, inputs)))
        total = [total[0] + counts[0], total[1] + counts[1]]
    return total[0], total[1]


def _step_input(x: Arriving) -> Arriving:
    return Arriving(x.source, (x.shape[0], *x.shape[2:]))


def _step_output(spec, inner, step: Arriving) -> tuple:
    """What the wrapped layer gives for one step. Keras's TimeDistributed calls the layer's call() directly,
    past its input check, so a layer refusing the step's rank may still work there (step_rank.py)."""
    try:
        return tuple(spec.shape_rule(inner, [step]))
    except ShapeError as exc:
        return past_rank_check(spec, inner, step, exc)


def time_distributed_shape(params, inputs):
    (x,) = inputs
    if len(x.shape) < 3:
        raise ShapeError(f"TimeDistributed applies its layer to each step of a (batch, steps, ...) tensor, so it "
                         f"needs at least 3D, but {by(x)}; give the Input a shape like [steps, features], or "
                         "Reshape first")
    spec, inner = _resolved(params["layer"])
    step = _step_input(x)
    try:
        out = _step_output(spec, inner, step)
    except ShapeError as exc:
        raise ShapeError(f"TimeDistributed gives its {spec.name} one step at a time, each a {fmt(step.shape)} "
                         f"tensor: {exc}") from None
    return (out[0], x.shape[1], *out[1:])


def time_distributed_weights(params, inputs, out):
    spec, inner = _resolved(params["layer"])
    step = _step_input(inputs[0])
    return spec.weight_rule(inner, [step], _step_output(spec, inner, step))
