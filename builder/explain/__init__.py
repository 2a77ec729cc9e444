"""Why a node has its shape and its parameter count: derivations made by the node's own rules.

`explain_node(graph, node)` re-runs the node's shape and weight rules with traced numbers
(builder/catalog/rules/terms.py), so every line is the rule's own arithmetic with the real values:
`26 = floor((28 − 3) / 1) + 1`, `752,650 = 75,264 inputs × 10 units + 10 biases`. Nothing is computed until a
node is asked about, so inference pays nothing for it.
"""

from builder.explain.conflicts import ConflictingAxis, SizeSource, conflicting_sizes
from builder.explain.derivation import Explanation, explain_graph, explain_node

__all__ = ["ConflictingAxis", "Explanation", "SizeSource", "conflicting_sizes", "explain_graph", "explain_node"]
