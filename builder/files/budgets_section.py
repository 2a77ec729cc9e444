"""The project file's `budgets` section: limits a model must stay within, checked by `check` (exit 1 over budget)
so CI can gate on them, and shown as a badge in the app. Optional; every key in it is optional too.

    "budgets": {"max_params": 1000000, "max_macs": 50000000, "max_activation_bytes": 4000000}

max_params counts every weight (trainable or not); max_macs and max_activation_bytes are per sample (see the
README's "Costs" section for how they are counted: builder/cost/).
"""

from __future__ import annotations

from builder.quoting import quote, show

BUDGET_KEYS = {
    "max_params": "parameters",
    "max_macs": "multiply-accumulates per sample",
    "max_activation_bytes": "bytes of activations per sample",
}
MAX_BUDGET = 10**18  # a limit beyond any model; keeps the numbers exact in JSON readers that use doubles ~ 2**60


class BudgetsError(ValueError):
    """Problems of a budgets section, each with where it is: `budgets.max_params: expected ...`."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def check_budgets(section) -> dict:
    """The section as a dict of int limits, or BudgetsError listing every problem."""
    if not isinstance(section, dict):
        shown = show(section, 40)
        raise BudgetsError([f"budgets: expected an object such as {{\"max_params\": 1000000}}, got {shown}"])
    problems = []
    for key in list(section)[:20]:
        if key not in BUDGET_KEYS:
            problems.append(f"budgets.{quote(str(key), 40)}: unknown key; budgets has {', '.join(BUDGET_KEYS)}")
    out = {}
    for key in BUDGET_KEYS:
        if key not in section:
            continue
        value = section[key]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_BUDGET:
            problems.append(f"budgets.{key}: expected an integer from 1 to {MAX_BUDGET:,}, got {show(value, 40)}")
        else:
            out[key] = value
    if problems:
        raise BudgetsError(problems)
    return out
