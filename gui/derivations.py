"""Derivations in the window: the lines builder.explain makes (the rules' own arithmetic), as tooltip text for a
shape, one of its dimensions, or an error whose sizes conflict. Computed when asked (a hover), never per edit."""

from __future__ import annotations

import html

from builder.catalog.rules import fmt
from builder.explain import conflicting_sizes, explain_node
from builder.model.order import wires_into

SIZE_LINK = "size:"  # a link to one size's derivation: "size:<axis>:<node>"


def shape_derivation(controller, node: str, axis: int | None = None) -> str:
    """'Why (None, 28, 28, 96)': every dimension's line, or just `axis`'s; then the parameter count's lines."""
    result = controller.results.get(node)
    if result is None or result.shape is None or node not in controller.doc:
        return ""
    explanation = explain_node(controller.doc.graph, node, controller.results)
    if axis is not None and 0 <= axis < len(explanation.shape):
        return f"{node}, axis {axis}: {explanation.shape[axis]}"
    lines = [f"axis {i}: {line}" for i, line in enumerate(explanation.shape)]
    return "\n".join(["Why this shape:", *lines, "", "Parameters:", *explanation.params])


def dimension_at(shape_text: str, column: int) -> int | None:
    """Which dimension of '(None, 28, 28, 96)' the character at `column` belongs to (None: a bracket)."""
    if not shape_text.startswith("(") or not 0 < column < len(shape_text) - 1:
        return None
    return shape_text[:column].count(",")


def conflict_derivations(controller, node: str) -> str:
    """For a node in error: where each of its input sizes comes from (the derivations of the inputs' shapes),
    so the sizes that conflict can be traced back to the layers that made them."""
    result = controller.results.get(node)
    if result is None or not result.error or node not in controller.doc:
        return ""
    parts = []
    for source, _port in wires_into(controller.doc.graph, node):
        source_result = controller.results.get(source)
        if source_result is None or source_result.shape is None:
            continue
        explanation = explain_node(controller.doc.graph, source, controller.results)
        lines = [f"  axis {i}: {line}" for i, line in enumerate(explanation.shape) if i > 0]
        parts.append("\n".join([f"{source} gives {fmt(source_result.shape)}:", *lines]))
    return "Where these sizes come from:\n" + "\n".join(parts) if parts else ""


def conflict_links(controller, node: str) -> str:
    """Rich text for a node in error: each axis in conflict with its sizes as links ('axis 1: 26 vs 24 vs 22'),
    each opening the derivation of that size on the node that made it (open_size_link)."""
    result = controller.results.get(node)
    if result is None or not result.error or node not in controller.doc:
        return ""
    rows = []
    for conflict in conflicting_sizes(controller.doc.graph, node, controller.results):
        links = " vs ".join(f"<a href='{SIZE_LINK}{s.axis}:{html.escape(s.source, quote=True)}'>{s.size:,}</a>"
                            f" <span>({html.escape(s.source)})</span>" for s in conflict.sizes)
        rows.append(f"{html.escape(conflict.what)}: {links}")
    if not rows:
        return ""
    return "<br>".join(rows)


SIZE_LINKS_TIP = "The sizes in conflict: click one to see how it is made, on the node that made it"


def size_link_target(link: str) -> tuple[str, int] | None:
    """(node, axis) of a size link, or None for any other link."""
    if not link.startswith(SIZE_LINK):
        return None
    axis, _sep, node = link[len(SIZE_LINK):].partition(":")
    return (node, int(axis)) if axis.isdigit() and node else None
