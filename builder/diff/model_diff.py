"""What differs between two graphs, A (before) and B (after): the edits and their consequences.

Edits: nodes added (B's ids) and removed (A's ids), renamed (old id -> new id), changed (per node, each param or
config entry that differs, old -> new, with Keras's default standing for a param left out; a different layer
class shows as "layer"), rewired (a node's inputs in port order, before -> after, in B's ids where a node has a
match), and the model's inputs or outputs when their order changes. Consequences, from our inference on each
side: each matched node whose output shape or parameter count changed, the model's total parameter count, and
errors that appeared or were fixed. Blocks (block_diff.py): added, removed, renamed, their members and their
kind, parent, definition or sharing changed. Positions, frames, collapsed blocks and other `ui` are presentation
and left out unless asked.

Matched nodes are reported by their id in B, as `git diff` names the new side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.catalog.params import REQUIRED
from builder.catalog.specs import UnknownLayerError, spec_for
from builder.diff.block_diff import BlockDiff, diff_blocks
from builder.diff.matching import inputs_in_order, match_nodes
from builder.inference.engine import NodeResult, infer, totals
from builder.model.order import graph_of, model_inputs, model_outputs

CONFIG_PREFIX = "config."  # changed config entries are named config.<key>, apart from typed params


@dataclass
class ModelDiff:
    matched: dict[str, str]  # A id -> B id
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    changed: dict[str, dict[str, tuple]] = field(default_factory=dict)  # B id -> {param: (old, new)}
    rewired: dict[str, tuple[list, list]] = field(default_factory=dict)
    inputs: tuple[list, list] | None = None  # the model's inputs before -> after, when they differ
    outputs: tuple[list, list] | None = None
    shape_changes: dict[str, tuple] = field(default_factory=dict)  # B id -> (shape or None, shape or None)
    param_changes: dict[str, tuple] = field(default_factory=dict)  # B id -> (count or None, count or None)
    total_params: tuple[int, int] = (0, 0)
    errors_appeared: dict[str, str] = field(default_factory=dict)  # B id -> error
    errors_fixed: dict[str, str] = field(default_factory=dict)  # B id (A id for a removed node) -> error
    moved: list[str] = field(default_factory=list)  # with ui: matched nodes at another position (B ids)
    ui_changed: list[str] = field(default_factory=list)  # with ui: other ui keys that differ (frames, ...)
    blocks: BlockDiff = field(default_factory=BlockDiff)
    has_blocks: bool = False  # either side has blocks (the JSON then has a "blocks" entry)

    @property
    def same(self) -> bool:
        """No edit at all (consequences follow from edits, so they need no look)."""
        return not (self.added or self.removed or self.renamed or self.changed or self.rewired or self.inputs
                    or self.outputs or self.moved or self.ui_changed or not self.blocks.same)

    @property
    def to_a(self) -> dict[str, str]:
        """B id -> A id for matched nodes."""
        return {b: a for a, b in self.matched.items()}

    def kind_of(self, b_node: str) -> str:
        """How a node of B shows in a side by side view: added, renamed, changed (params, wiring, layer or its
        shape or count changed) or same."""
        if b_node not in self.to_a:
            return "added"
        if b_node in self.changed or b_node in self.rewired:
            return "changed"
        if b_node in self.renamed.values():
            return "renamed"
        if b_node in self.shape_changes or b_node in self.param_changes:
            return "changed"
        return "same"

    def change_count(self) -> int:
        """Nodes with something to look at, on both sides (what next/previous steps through)."""
        touched = set(self.added) | set(self.changed) | set(self.rewired) | set(self.renamed.values())
        touched |= set(self.shape_changes) | set(self.param_changes)
        return len(touched) + len(self.removed)


def diff_graphs(a, b, include_ui: bool = False) -> ModelDiff:
    """The diff from A to B (GraphDocuments or MultiDiGraphs); see the module's docstring."""
    a, b = graph_of(a), graph_of(b)
    matched = match_nodes(a, b)
    result = ModelDiff(matched=matched)
    in_b = set(matched.values())
    result.removed = [n for n in a if n not in matched]
    result.added = [n for n in b if n not in in_b]
    result.renamed = {x: y for x, y in matched.items() if x != y}
    for x, y in matched.items():
        changes = node_changes(a.nodes[x], b.nodes[y])
        if changes:
            result.changed[y] = changes
        before = [matched.get(s, s) for s in inputs_in_order(a, x)]
        after = inputs_in_order(b, y)
        if before != after:
            result.rewired[y] = (before, after)
    for name, of in (("inputs", model_inputs), ("outputs", model_outputs)):
        before, after = [matched.get(n, n) for n in of(a)], of(b)
        if before != after:
            setattr(result, name, (before, after))
    result.blocks = diff_blocks(a, b, matched)
    result.has_blocks = bool(a.graph.get("blocks") or b.graph.get("blocks"))
    _consequences(result, a, b)
    if include_ui:
        _ui_changes(result, a, b)
    return result


def node_changes(old: dict, new: dict) -> dict[str, tuple]:
    """{name: (old, new)} for the layer class, each typed param (defaults filled in) and each config entry."""
    changes = {}
    if old.get("layer") != new.get("layer"):
        changes["layer"] = (old.get("layer"), new.get("layer"))
    old_params, new_params = old.get("params") or {}, new.get("params") or {}
    for name in dict.fromkeys([*old_params, *new_params]):
        before = _value(old.get("layer"), old_params, name)
        after = _value(new.get("layer"), new_params, name)
        if not _same_value(before, after):
            changes[name] = (before, after)
    old_config, new_config = old.get("config") or {}, new.get("config") or {}
    for key in dict.fromkeys([*old_config, *new_config]):
        if not _same_value(old_config.get(key), new_config.get(key)):
            changes[CONFIG_PREFIX + key] = (old_config.get(key), new_config.get(key))
    return changes


def _value(layer, params: dict, name: str):
    if name in params:
        return _plain(params[name])
    try:
        default = spec_for(layer).param_by_name[name].default
    except (UnknownLayerError, KeyError):
        return None
    return None if default is REQUIRED else _plain(default)


def _plain(value):
    """Tuples as lists, as a project file holds them."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _same_value(x, y) -> bool:
    # 1 == 1.0 == True in Python; a param that turns from 1 into True has changed for Keras.
    return x == y and type(x) is type(y) if not isinstance(x, list | dict) else x == y


def _shape(result: NodeResult | None):
    return None if result is None or result.shape is None else list(result.shape)


def _consequences(diff: ModelDiff, a, b):
    results_a, results_b = infer(a), infer(b)
    diff.total_params = (sum(totals(results_a)), sum(totals(results_b)))
    for x, y in diff.matched.items():
        ra, rb = results_a[x], results_b[y]
        if _shape(ra) != _shape(rb):
            diff.shape_changes[y] = (_shape(ra), _shape(rb))
        if ra.params != rb.params:
            diff.param_changes[y] = (ra.params, rb.params)
        if ra.error and not rb.error:
            diff.errors_fixed[y] = ra.error
        elif rb.error and not ra.error:
            diff.errors_appeared[y] = rb.error
    for node in diff.added:
        if results_b[node].error:
            diff.errors_appeared[node] = results_b[node].error
    for node in diff.removed:
        if results_a[node].error:
            diff.errors_fixed[node] = results_a[node].error


def _ui_changes(diff: ModelDiff, a, b):
    ui_a, ui_b = a.graph.get("ui") or {}, b.graph.get("ui") or {}
    pos_a, pos_b = ui_a.get("positions") or {}, ui_b.get("positions") or {}
    diff.moved = [y for x, y in diff.matched.items() if _plain(pos_a.get(x)) != _plain(pos_b.get(y))]
    diff.ui_changed = sorted(key for key in {*ui_a, *ui_b} - {"positions"} if ui_a.get(key) != ui_b.get(key))
