"""The layer catalog: one declarative spec per layer (its params with Keras's defaults and bounds, ports, help,
card summary), the shape and weight-count rules by Keras family (rules/), the param types (params.py), the
names of Keras's built-in layers (keras_names.py) and the one-line summaries on node cards (card_summary.py).
The lowest room of builder/: it imports nothing of the others but builder.quoting.
"""

from builder.catalog.specs import CATALOG, SPECS, LayerSpec, UnknownLayerError, spec_for

__all__ = ["CATALOG", "SPECS", "LayerSpec", "UnknownLayerError", "spec_for"]
