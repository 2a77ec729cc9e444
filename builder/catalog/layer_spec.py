"""LayerSpec: what the catalog knows of one Keras layer (its params, ports, rules, card summary and help).

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from builder.catalog import rules
from builder.catalog.params import REQUIRED, Param, ParamError, UnknownParam
from builder.quoting import quote

VARIADIC = None  # input count of merge layers: ports 0..n-1, any n >= 1


@dataclass(frozen=True)
class LayerSpec:
    name: str  # the Keras class name, also the `layer` attribute of a node
    category: str
    help: str
    params: tuple[Param, ...]
    shape_rule: Callable
    weight_rule: Callable = rules.no_weights
    inputs: int | None = 1  # number of input ports; VARIADIC for merge layers
    function: str | None = None  # the functional form (`layers.concatenate`) for merge layers
    summary: tuple[str, ...] = ()  # params shown on the node, in order
    id_prefix: str = ""
    # Checks of params that only fail together (strides with dilation): run before the inputs are looked at,
    # so the node shows its own error even when what feeds it is broken, as Keras's constructor refuses it.
    params_rule: Callable | None = None
    # A built-in Keras layer outside the catalog (imported from a model): no typed params, every constructor
    # argument in the node's `config`, its shape as Keras computed it stored in the node's `keras_shape`.
    generic: bool = False
    # Words a person may search for that the name and help do not hold ("upsample", "leaky").
    keywords: tuple[str, ...] = ()
    # Names of the input ports, in port order, for layers whose inputs play different parts (attention's
    # query, value, key); empty for layers whose ports are interchangeable or single.
    port_names: tuple[str, ...] = ()
    # How a layer with fixed ports is called: "single" (one tensor), "list" (layer([query, value, key])) or
    # "arguments" (layer(query, value, key)); merge layers always take a list.
    call_style: str = "single"
    # How many of the ports must be connected (the rest are optional, like attention's key); None: all of them.
    required_inputs: int | None = None
    # What the node says about itself whatever arrives, from its stored params: a warning where its output
    # depends on something the graph cannot know (Normalization's statistics before it is adapted to data).
    notice: Callable | None = None
    # An op node (builder/catalog/ops/): the keras.ops function it calls (its `name` is "ops.<op>"); it creates no
    # layer and has no weights. `operands`: a binary op's argument names, each fed by a wire or by a number set
    # as the param of that name (`keras.ops.add(x, 1.0)`).
    op: str | None = None
    operands: tuple[str, ...] = ()
    param_by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "param_by_name", {p.name: p for p in self.params})

    @property
    def is_merge(self) -> bool:
        return self.inputs is VARIADIC

    def port_name(self, port: int) -> str | None:
        return self.port_names[port] if 0 <= port < len(self.port_names) else None

    @property
    def is_input(self) -> bool:
        return self.inputs == 0

    def param(self, name: str) -> Param:
        try:
            return self.param_by_name[name]
        except KeyError:
            known = ", ".join(self.param_by_name) or "none"
            raise UnknownParam(f"{self.name} has no parameter {quote(name)} (its parameters: {known})") from None

    def start_params(self) -> dict:
        """Params of a newly placed node: every required one, with a sensible starting value. An op also starts
        with the values that make it work where Keras's default would not (concatenate's axis 0 is the batch)."""
        return {p.name: p.start_value() for p in self.params
                if p.required or (self.op is not None and p.initial is not REQUIRED)}

    def resolve(self, params: dict) -> dict:
        """All params, defaults filled in, each validated; raises ParamError naming the first bad one."""
        resolved = {}
        if not params.keys() <= self.param_by_name.keys():
            for name in params:
                self.param(name)  # raises UnknownParam naming the first stray one
        for p in self.params:
            if p.name in params:
                try:
                    resolved[p.name] = p.validate(params[p.name])
                except ParamError as exc:
                    raise ParamError(f"{p.name}: {exc}") from None
            elif p.required:
                raise ParamError(f"{p.name}: required by {self.name} ({p.describe()}) but not set")
            else:
                resolved[p.name] = p.default
        return resolved
