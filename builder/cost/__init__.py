"""What a model costs: per node multiply-accumulates (MACs) and FLOPs for one sample, parameter bytes at the
layer's dtype and activation bytes per sample; model totals; and the project's budgets checked against them.
The conventions are in layer_costs.py and the README's "Costs" section.
"""

from builder.cost.budgets import budget_problems
from builder.cost.layer_costs import NodeCost, node_cost
from builder.cost.totals import CostTotals, graph_costs, model_totals, why_unknown

__all__ = ["CostTotals", "NodeCost", "budget_problems", "graph_costs", "model_totals", "node_cost", "why_unknown"]
