"""The project's budgets (builder/files/budgets_section.py) against the model's totals: one message per limit
exceeded, naming the figure, the limit and where to change it. `check` reports them as errors (exit 1)."""

from __future__ import annotations

from builder.cost.totals import CostTotals
from builder.files.budgets_section import BUDGET_KEYS


def budget_problems(budgets: dict | None, totals: CostTotals) -> list[str]:
    figures = {"max_params": totals.params, "max_macs": totals.macs,
               "max_activation_bytes": totals.activation_bytes}
    problems = []
    for key, limit in (budgets or {}).items():
        value = figures.get(key)
        if value is not None and value > limit:
            problems.append(f"over budget: the model has {value:,} {BUDGET_KEYS[key]}, more than budgets.{key} = "
                            f"{limit:,}; make the model smaller or raise the budget")
    return problems
