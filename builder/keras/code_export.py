"""Graph -> a standalone Python script that rebuilds the model with Keras (the same walk as keras_build).

Ids become variable names only after being made into plain ASCII identifiers (never keywords, never the names
the script itself uses); every id and string value is written as an escaped string literal. So whatever a
graph holds, the script does nothing but build the model.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re

from builder.inference.engine import infer
from builder.keras.op_export import merge_as_op, op_line
from builder.keras.plan import ModelError, Plan, make_plan
from builder.keras.wrappers import layer_code
from builder.model.blocks import blocks_of
from builder.model.order import graph_of
from builder.quoting import quote, show

STYLES = ("layer", "function", "ops")  # how merges are written; builder/keras/op_export.py says what differs
_RESERVED = {"keras", "layers", "build_model", "model", "inputs", "outputs"} | set(dir(builtins))


def string_literal(text: str) -> str:
    """A double-quoted, ASCII-only Python literal for any text. (JSON escaping is not enough: it writes a
    character outside the BMP, an emoji say, as a surrogate pair, which Python reads as two broken chars.)"""
    out = []
    for char in text:
        code = ord(char)
        if char in '\\"':
            out.append("\\" + char)
        elif 32 <= code < 127:
            out.append(char)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


class ExportError(ModelError):
    """A value that has no place in a script (a style that does not exist, a non-finite number...)."""

    def __init__(self, message: str):
        super().__init__([message])


def literal(value) -> str:
    """Python source for a stored param value; text as an escaped ASCII string literal."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):  # any int is finite (math.isfinite overflows on one of 4,000 digits)
        if abs(value) >= 10 ** 40:  # the readers refuse these; a hand-built graph is told so too
            raise ExportError(f"cannot write the integer {show(value)} into code; no Keras argument takes it")
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"cannot write the non-finite number {value!r} into code")
        return repr(value)
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, (list, tuple)):
        items = [literal(v) for v in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, dict):  # a Keras config (an initializer, a dtype policy): keys are text
        items = [f"{string_literal(k)}: {literal(v)}" for k, v in value.items() if isinstance(k, str)]
        return "{" + ", ".join(items) + "}"
    raise ExportError(f"cannot write {type(value).__name__} values into code")


def variable_names(ids) -> dict[str, str]:
    """A distinct, valid, non-keyword ASCII identifier for each id."""
    names, taken = {}, set()
    for node_id in ids:
        base = re.sub(r"\W", "_", node_id, flags=re.ASCII).strip("_").lower() or "node"
        if base[0].isdigit():
            base = f"x_{base}"
        if keyword.iskeyword(base) or keyword.issoftkeyword(base) or base in _RESERVED:
            base = f"{base}_"
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        names[node_id] = name
    return names


def layer_arguments(step, replaced: dict | None = None) -> list[str]:
    """A layer's constructor arguments as written: typed params that differ from Keras's default (or are always
    written), then its config; a param or config key in `replaced` is written as the expression given (a block
    function's argument)."""
    replaced = replaced or {}
    args = []
    for param in step.spec.params:
        if param.name in replaced:
            args.append(f"{param.name}={replaced[param.name]}")
        elif param.name in step.params:
            value = step.params[param.name]
            if param.kind == "layer" and value is not None:  # a wrapper's layer: layers.LSTM(units=64)
                args.append(f"{param.name}={layer_code(value, literal)}")
            elif param.always_written or not param.is_default(value):
                args.append(f"{param.name}={literal(value)}")
        elif param.always_written:
            args.append(f"{param.name}={literal(param.default)}")
    # Config keys are checked identifiers (builder/keras_config), so they are safe as keyword names.
    args.extend(f"{key}={replaced.get(key, literal(value))}" for key, value in step.config.items() if key.isidentifier())
    return args


def _line(step, names, style, ranks_differ=frozenset()) -> str:
    var = names[step.id]
    if step.spec.op is not None:  # an op node: keras.ops.<function>(...)
        return op_line(step, names, literal)
    if style == "ops" and step.spec.is_merge and not step.spec.generic:
        line, why = merge_as_op(step, names, literal, step.id in ranks_differ)
        if line is not None:
            return line
        return f"# {step.id}: {why}\n    {_line(step, names, 'layer')}"
    name_arg = f"name={literal(step.id)}"
    if step.spec.is_input:
        extra = "".join(f", {key}={literal(value)}" for key, value in step.config.items() if key.isidentifier())
        return f"{var} = keras.Input(shape={literal(step.params['shape'])}, {name_arg}{extra})"
    args = ", ".join([*layer_arguments(step), name_arg])
    sources = [names[s] for s in step.sources]
    if step.spec.call_style == "arguments":  # MultiHeadAttention(...)(query, value, key), by port name
        wired = ", ".join(f"{port}={name}" if i > 1 else name
                          for i, (port, name) in enumerate(zip(step.spec.port_names, sources)))
        return f"{var} = layers.{step.spec.name}({args})({wired})"
    if step.spec.call_style == "list":  # Attention(...)([query, value, key])
        return f"{var} = layers.{step.spec.name}({args})([{', '.join(sources)}])"
    if step.takes_list:
        tensors = f"[{', '.join(sources)}]"
        if style == "function" and step.spec.function:
            return f"{var} = layers.{step.spec.function}({tensors}, {args})"
        return f"{var} = layers.{step.spec.name}({args})({tensors})"
    return f"{var} = layers.{step.spec.name}({args})({sources[0]})"


def _list(items) -> str:
    return items[0] if len(items) == 1 else f"[{', '.join(items)}]"


def _check_style(style):
    if not (isinstance(style, str) and style in STYLES):
        raise ExportError(f"unknown style {quote(style)}; choose 'layer', 'function' or 'ops'")


def render(plan: Plan, style: str = "layer", ranks_differ=frozenset()) -> str:
    _check_style(style)
    names = variable_names(step.id for step in plan.steps)
    body = [f"    {_line(step, names, style, ranks_differ)}" for step in plan.steps]
    return script_text(body, [names[n] for n in plan.inputs], [names[n] for n in plan.outputs])


def script_text(body: list[str], inputs: list[str], outputs: list[str], functions: list[str] = ()) -> str:
    """The exported script around a build_model body (and the block functions before it, builder/keras/
    block_export.py): one frame, so both exports stay the same script."""
    return "\n".join([
        '"""A Keras model exported by Keras Canvas. Run it to build the model and print its summary."""',
        "",
        "import keras",
        "from keras import layers",
        "",
        "",
        *functions,
        "def build_model():",
        *body,
        f"    return keras.Model(inputs={_list(inputs)}, outputs={_list(outputs)})",
        "",
        "",
        'if __name__ == "__main__":',
        "    model = build_model()",
        "    model.summary()",
        "",
    ])


def export_code(source, style: str = "layer", results: dict | None = None) -> str:
    """A standalone script for the graph (a GraphDocument or networkx MultiDiGraph); `style` says how merge layers
    are written: 'layer' (`layers.Concatenate(...)([a, b])`), 'function' (`layers.concatenate([a, b], ...)`) or
    'ops' (`keras.ops.concatenate([a, b], ...)`: no layer, see builder/keras/op_export.py). Op nodes are always
    keras.ops calls. Raises builder.keras.plan.ModelError if the graph has errors, ExportError (a ModelError) for
    what no script can hold."""
    _check_style(style)
    graph = graph_of(source)
    if results is None:
        results = infer(graph)
    plan = make_plan(graph, results)
    if blocks_of(graph):  # nested models, shared uses, copies as functions: block_export.py
        from builder.keras.block_export import render_with_blocks

        return render_with_blocks(graph, plan, style)
    return render(plan, style, _ranks_differ(graph, results) if style == "ops" else frozenset())


def _ranks_differ(graph, results) -> set:
    """Merge nodes whose inputs differ in rank (the layer and the op would align them differently)."""
    return {node for node in graph
            if len({len(results[u].shape) for u, _v in graph.in_edges(node) if results[u].shape is not None}) > 1}
