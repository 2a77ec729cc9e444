"""Checks of one node that the engine (builder/inference/engine.py) runs beside its layer's rules: wiring
mistakes a hand-built file can have, and the warnings Dense earns from what feeds it."""

from __future__ import annotations

from builder.catalog.rules import fmt

DENSE_WEIGHT_WARNING = 10_000_000  # weights of a Dense after Flatten above which the node warns


def port_problem(node, spec, wires) -> str | None:
    """Wiring mistakes a hand-built graph can have (the document refuses them as edits)."""
    if len(wires) == 1 and wires[0][1] == 0 and spec.inputs != 0 and type(wires[0][1]) is int and (
            spec.required_inputs or 1) == 1:
        return None  # the common case, one wire on port 0, is always fine
    ports = [p for _u, p in wires]
    if spec.is_input:
        if wires:
            sources = ", ".join(u for u, _p in wires)
            return f"{node}: an Input takes no incoming wire, but {sources} feeds it; remove that wire"
        return None
    if not wires:
        return f"{node}: {spec.name} has no input; connect a tensor to its input port"
    if not all(isinstance(p, int) and not isinstance(p, bool) for p in ports):
        return f"{node}: every wire needs an integer port, got {ports}; fix the edges' 'port' attribute"
    if len(set(ports)) != len(ports):
        return f"{node}: two wires arrive on the same port ({sorted(ports)}); each port takes one wire"
    if spec.is_merge:
        if ports != list(range(len(ports))):
            return f"{node}: merge inputs must use ports 0..{len(ports) - 1} without gaps, got {ports}"
    elif any(not 0 <= p < spec.inputs for p in ports):
        return f"{node}: {spec.name} has {spec.inputs} input port(s), but wires arrive on ports {ports}"
    else:
        # Named ports (attention's query, value, key): the required ones first, each fed.
        needed = spec.inputs if spec.required_inputs is None else spec.required_inputs
        missing = [spec.port_name(p) or f"port {p}" for p in range(needed) if p not in ports]
        if missing:
            names = " and ".join(missing)
            return f"{node}: {spec.name} has nothing on its {names}; connect a tensor to {'them' if len(missing) > 1 else 'it'}"
    return None


def dense_warnings(graph, node, shape, arriving):
    (x,) = arriving
    found = []
    if len(x.shape) > 2:
        found.append(f"{node}: Dense on the {len(x.shape)}D tensor {_shape_text(x.shape)} from {x.source} acts on "
                     f"the last axis only, giving {_shape_text(shape)}; add Flatten or GlobalAveragePooling2D before "
                     "it if you meant one vector per sample")
    kernel = x.shape[-1] * shape[-1]
    if kernel > DENSE_WEIGHT_WARNING and graph._node[x.source].get("layer") == "Flatten":
        found.append(f"{node}: Dense after Flatten has {kernel:,} weights (more than 10 million), which is slow "
                     "and overfits easily; add pooling or strided convolutions before Flatten, or use "
                     "GlobalAveragePooling2D instead")
    return found


# Shapes as written in messages, by shape: a first pass over a model words the same few shapes for many Dense
# nodes, and wording one costs more than the rest of the node's check.
_SHAPE_TEXTS: dict[tuple, str] = {}


def _shape_text(shape: tuple) -> str:
    text = _SHAPE_TEXTS.get(shape)
    if text is None:
        if len(_SHAPE_TEXTS) >= 10_000:
            _SHAPE_TEXTS.clear()
        text = _SHAPE_TEXTS[shape] = fmt(shape)
    return text
