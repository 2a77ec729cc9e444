"""How values look in the window: shapes, parameter counts, param values, statuses. One place, so the
canvas-side panels, the inspector and the status bar all say the same thing the same way."""

from __future__ import annotations

from builder.catalog.params import REQUIRED, Param
from builder.catalog.rules import fmt
from builder.inference.engine import NodeResult


def shape_text(shape) -> str:
    return "-" if shape is None else fmt(shape)


def count_text(count: int | None) -> str:
    return "-" if count is None else f"{count:,}"


def value_text(value) -> str:
    """A stored param value as a person would write it in Keras code."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (list, tuple)):
        inner = ", ".join("None" if v is None else str(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def default_text(param: Param) -> str:
    if param.default is REQUIRED:
        return "required"
    return f"default {value_text(param.default)}"


def status_text(result: NodeResult | None) -> str:
    """The result's status (builder's one vocabulary) as the shapes panel words it."""
    if result is None:
        return ""
    status = result.status
    if status == "stale":
        return "stale: Keras recomputes"
    if status == "blocked":
        return f"waits on {result.blocked_by}"
    if status == "warning" and len(result.warnings) > 1:
        return f"{len(result.warnings)} warnings"
    return status


def status_kind(result: NodeResult | None) -> str:
    """The status colour's name (each theme has its own): the status itself, but 'muted' for blocked or none."""
    if result is None or result.status == "blocked":
        return "muted"
    return result.status


def status_tooltip(result: NodeResult | None) -> str:
    if result is None:
        return ""
    if result.error:
        return result.error
    if result.blocked_by:
        return f"No shape yet: {result.blocked_by} has an error upstream; fix it first."
    return "\n".join(result.warnings)
