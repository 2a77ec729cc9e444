"""The three ways to write a merge (`layers.Concatenate(axis=-1)([a, b])`, `layers.concatenate([a, b], axis=-1)`,
`keras.ops.concatenate([a, b], axis=-1)`), which merge layers have a keras.ops twin, and the note that the
inspector shows on merge and op nodes (the README says the same).
"""

from __future__ import annotations

from builder.catalog.layer_spec import LayerSpec

# Merge layer -> the keras.ops function that computes the same; the binary ones fold over more than two inputs.
# Average has no twin (keras.ops.average is a weighted mean along one axis, not of a list), nor has Dot.
MERGE_OPS = {"Concatenate": "concatenate", "Add": "add", "Subtract": "subtract", "Multiply": "multiply",
             "Maximum": "maximum", "Minimum": "minimum"}

DIFFERENCE = ("The layer and the function both create a named layer that shows in model.summary() and can be "
              "reused; the op creates no layer and no name, only an operation in model.operations. Shapes and "
              "parameter counts are the same (merges and ops have no weights).")


def forms_note(spec: LayerSpec) -> str | None:
    """What differs between the ways to write this node, for a merge layer with a keras.ops twin or an op node;
    None for any other."""
    if spec.op is not None:  # its help already says it is an op: no layer, no name, no weights
        twin = next((layer for layer, op in MERGE_OPS.items() if op == spec.op), None)
        if twin is None or spec.generic:
            return None
        return (f"The same join as a layer: layers.{twin} (from Merging, or export in the 'layer' style). "
                f"{DIFFERENCE}")
    op = MERGE_OPS.get(spec.name)
    if op is None:
        return None
    return (f"Three ways to write it, chosen by the export's style: layers.{spec.name}(...)([a, b]) (layer), "
            f"layers.{spec.function}([a, b], ...) (function) or keras.ops.{op}(...) (ops). {DIFFERENCE}")
