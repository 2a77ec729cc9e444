"""The script of a graph with blocks (builder/keras/block_plan.py says how each block is treated):

  - a model block, and a shared model definition, becomes a function `def make_encoder():` that returns the
    nested keras.Model; build_model() makes it once and calls it on each use's inputs;
  - a shared group's layers are made once and called on each use's inputs;
  - a reused definition's copies become one function, `def stage(x, filters, prefix):`, called once per use
    with the params that differ between uses as arguments (and the layer names as a common prefix, or a tuple
    of names when the uses' ids have no common pattern);
  - a plain group is written inline.

Every name and value is written as code_export writes them (escaped literals, identifiers made safe).
"""

from __future__ import annotations

import re

from builder.keras.block_plan import first_use, index_in, level_items, ports, treatment
from builder.keras.code_export import (
    _RESERVED,
    _line,
    _list,
    layer_arguments,
    literal,
    script_text,
    string_literal,
    variable_names,
)
from builder.model.blocks import blocks_of, members, uses


def _identifier(text: str, taken: set) -> str:
    base = re.sub(r"\W", "_", text, flags=re.ASCII).strip("_").lower() or "block"
    if base[0].isdigit():
        base = f"b_{base}"
    import keyword

    if keyword.iskeyword(base) or base in _RESERVED:
        base += "_"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _args(step, replaced: dict, name_expr: str) -> str:
    """The constructor arguments of a step; params in `replaced` are written as the argument names given."""
    return ", ".join([*layer_arguments(step, replaced), f"name={name_expr}"])


def _call(step, layer_expr: str, sources: list[str]) -> str:
    if step.spec.call_style == "arguments":
        wired = ", ".join(f"{port}={name}" if i > 1 else name
                          for i, (port, name) in enumerate(zip(step.spec.port_names, sources)))
        return f"{layer_expr}({wired})"
    if step.spec.call_style == "list" or step.takes_list:
        return f"{layer_expr}([{', '.join(sources)}])"
    return f"{layer_expr}({sources[0]})"


class _Script:
    def __init__(self, graph, plan, style):
        self.graph, self.style = graph, style
        self.steps = {step.id: step for step in plan.steps}
        self.order = {n: i for i, n in enumerate(graph)}
        self.functions: list[list[str]] = []  # module-level functions, in the order they were first needed
        self.function_names: set = {"build_model"}
        self.made_models: dict = {}  # block or definition -> its function's name
        self.copy_functions: dict = {}  # definition -> (function name, per-use arguments)

    # ---- one scope (build_model, or a function) ------------------------------------------------------------

    def region(self, parent, names: dict, lines: list, indent: str, state: dict):
        for kind, item in level_items(self.graph, parent, self.order):
            if kind == "node":
                lines.append(f"{indent}{_line(self.steps[item], names, self.style)}")
            else:
                self.block(item, names, lines, indent, state)

    def block(self, block, names, lines, indent, state):
        how = treatment(self.graph, block)
        if how == "inline":
            lines.append(f"{indent}# block {_comment(block)}")
            self.region(block, names, lines, indent, state)
            return
        sources, outs = ports(self.graph, block)
        arriving = [names[s] for s in sources]
        targets = ", ".join(names[n] for n in outs)
        if how == "shared_group":
            self.shared_group(block, names, lines, indent, state)
        elif how == "copy":
            function, arguments = self.copy_function(block)
            given = ", ".join([*arriving, *(f"{k}={v}" for k, v in arguments[block].items())])
            lines.append(f"{indent}{targets} = {function}({given})")
        else:
            key = blocks_of(self.graph)[block]["definition"] if how == "shared_model" else block
            model_var = state.setdefault("models", {}).get(key)
            if model_var is None:
                function = self.model_function(first_use(self.graph, block) if how == "shared_model" else block)
                model_var = _identifier(f"{function[5:]}_model", state.setdefault("taken", set(names.values())))
                state["models"][key] = model_var
                lines.append(f"{indent}{model_var} = {function}()")
            lines.append(f"{indent}{targets} = {model_var}({_list(arriving)})")

    def shared_group(self, block, names, lines, indent, state):
        definition = blocks_of(self.graph)[block]["definition"]
        layer_vars = state.setdefault("shared_layers", {})
        taken = state.setdefault("taken", set(names.values()))
        first = members(self.graph, first_use(self.graph, block))
        where = index_in(self.graph, block)
        for kind, item in level_items(self.graph, block, self.order):
            if kind != "node":
                self.block(item, names, lines, indent, state)
                continue
            key = (definition, where[item])
            step = self.steps[item]
            if key not in layer_vars:
                origin = self.steps[first[where[item]]]
                layer_vars[key] = _identifier(f"{origin.id}_layer", taken)
                lines.append(f"{indent}{layer_vars[key]} = layers.{origin.spec.name}"
                             f"({_args(origin, {}, string_literal(origin.id))})")
            lines.append(f"{indent}{names[item]} = {_call(step, layer_vars[key], [names[s] for s in step.sources])}")

    # ---- module-level functions ----------------------------------------------------------------------------

    def model_function(self, block) -> str:
        """`def make_<block>():` returning the block as a keras.Model; written once per block."""
        if block in self.made_models:
            return self.made_models[block]
        function = _identifier(f"make_{block}", self.function_names)
        self.made_models[block] = function
        sources, outs = ports(self.graph, block)
        inner_ids = members(self.graph, block)
        names = variable_names([*sources, *inner_ids])
        given = blocks_of(self.graph)[block].get("input_names") or []
        lines = [f"def {function}():", f'    """The nested model {_comment(block)}."""']
        for i, source in enumerate(sources):
            shape = self.shape_of(source)
            name = given[i] if i < len(given) else f"{block}_input" + (f"_{i + 1}" if len(sources) > 1 else "")
            lines.append(f"    {names[source]} = keras.Input(shape={literal(list(shape[1:]))}, "
                         f"name={string_literal(name)})")
        if blocks_of(self.graph)[block]["kind"] == "sequential":  # one chain of layers
            chain = [n for kind, n in level_items(self.graph, block, self.order) if kind == "node"]
            made = [f"        layers.{self.steps[n].spec.name}({_args(self.steps[n], {}, string_literal(n))})," for n in chain]
            lines += ["    return keras.Sequential([", f"        {names[sources[0]]},", *made,
                      f"    ], name={string_literal(block)})"]
        else:
            self.region(block, names, lines, "    ", {"taken": set(names.values())})
            lines.append(f"    return keras.Model(inputs={_list([names[s] for s in sources])}, "
                         f"outputs={_list([names[n] for n in outs])}, name={string_literal(block)})")
        self.functions.append(lines)
        return function

    def shape_of(self, node):
        from builder.inference.engine import infer

        if not hasattr(self, "_results"):
            self._results = infer(self.graph)
        return self._results[node].shape

    def copy_function(self, block):
        """`def <definition>(x, ..., prefix):` for a definition's copies, and each use's arguments."""
        definition = blocks_of(self.graph)[block]["definition"]
        if definition in self.copy_functions:
            return self.copy_functions[definition]
        found = uses(self.graph, definition)
        each = [members(self.graph, use) for use in found]
        first = each[0]
        function = _identifier(definition, self.function_names)
        # Params (and config keys) whose value differs between uses become arguments.
        varying: dict = {}  # (member index, key) -> argument name
        taken_args = {"prefix", "names", "name"}
        for i, node in enumerate(first):
            keys = set()
            for ids in each:
                keys |= set(self.steps[ids[i]].params) | set(self.steps[ids[i]].config)
            for key in sorted(keys):
                values = [self._value(self.steps[ids[i]], key) for ids in each]
                if any(v != values[0] for v in values[1:]):
                    varying[i, key] = (key, node)
        counts: dict = {}
        for key, _node in varying.values():
            counts[key] = counts.get(key, 0) + 1
        arg_names = {}
        for (i, key), (_k, node) in varying.items():
            wanted = key if counts[key] == 1 else f"{node}_{key}"
            arg_names[i, key] = _identifier(wanted, taken_args)
        prefixes = _prefixes(each)
        sources, outs = ports(self.graph, found[0])
        names = variable_names([*sources, *first])
        inputs = [_identifier(f"x{'' if len(sources) == 1 else i + 1}", set(arg_names.values()) | {"prefix", "names"})
                  for i in range(len(sources))]
        for source, var in zip(sources, inputs):
            names[source] = var
        naming = "names" if prefixes is None else ("name" if not any(prefixes[1]) else "prefix")
        signature = ", ".join([*inputs, *arg_names.values(), naming])
        lines = [f"def {function}({signature}):",
                 f'    """{_comment(definition)}: one use of the block (its own weights)."""']
        for kind, node in level_items(self.graph, found[0], self.order):
            if kind != "node":
                for inner in members(self.graph, node):  # nested blocks inside copies are written inline
                    lines.append(self._copy_line(inner, first, names, arg_names, prefixes))
                continue
            lines.append(self._copy_line(node, first, names, arg_names, prefixes))
        lines.append(f"    return {', '.join(names[n] for n in outs)}")
        self.functions.append(lines)
        arguments = {}
        for u, use in enumerate(found):
            given = {arg: self._value_text(self.steps[each[u][i]], key) for (i, key), arg in arg_names.items()}
            if prefixes is not None:
                given[naming] = string_literal(prefixes[0][u])
            else:
                given["names"] = literal(list(each[u]))
            arguments[use] = given
        self.copy_functions[definition] = (function, arguments)
        return self.copy_functions[definition]

    def _copy_line(self, node, first, names, arg_names, prefixes) -> str:
        i = first.index(node)
        step = self.steps[node]
        replaced = {key: arg for (j, key), arg in arg_names.items() if j == i}
        if prefixes is None:
            name_expr = f"names[{i}]"
        else:
            name_expr = f"prefix + {string_literal(prefixes[1][i])}" if prefixes[1][i] else \
                ("name" if not any(prefixes[1]) else "prefix")
        return f"    {names[node]} = {_call(step, f'layers.{step.spec.name}({_args(step, replaced, name_expr)})', [names[s] for s in step.sources])}"

    @staticmethod
    def _value(step, key):
        if key in step.params:
            return step.params[key]
        if key in step.config:
            return step.config[key]
        try:
            return step.spec.param(key).default
        except Exception:  # noqa: BLE001 - a config key has no catalog default
            return None

    def _value_text(self, step, key) -> str:
        return literal(self._value(step, key))


def _prefixes(each: list[list[str]]):
    """(per-use prefixes, per-member suffixes) when every use's ids are prefix + a common suffix, else None."""
    count = len(each[0])
    suffixes = []
    for i in range(count):
        ids = [ids[i] for ids in each]
        n = 0
        while all(len(x) > n for x in ids) and len({x[len(x) - n - 1] for x in ids}) == 1:
            n += 1
        suffixes.append(ids[0][len(ids[0]) - n:] if n else "")
    prefixes = []
    for ids in each:
        found = {x[:len(x) - len(s)] if s else x for x, s in zip(ids, suffixes)}
        if len(found) != 1:
            return None
        prefixes.append(found.pop())
    if len(set(prefixes)) != len(prefixes):
        return None
    return prefixes, suffixes


def _comment(text: str) -> str:
    return string_literal(text)[1:-1].replace('"""', "'''")


def render_with_blocks(graph, plan, style: str) -> str:
    script = _Script(graph, plan, style)
    names = variable_names(step.id for step in plan.steps)
    script.function_names |= set(names.values())  # a function never takes the name of a tensor
    body: list[str] = []
    script.region(None, names, body, "    ", {"taken": set(names.values()) | set(script.function_names)})
    functions = [line for lines in script.functions for line in [*lines, "", ""]]
    return script_text(body, [names[n] for n in plan.inputs], [names[n] for n in plan.outputs], functions)
