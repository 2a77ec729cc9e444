"""Specs of the merge layers added beyond Concatenate and the first element-wise ones: Minimum and Dot.

Part of the layer catalog (builder/catalog/specs.py assembles the specs).
"""

from __future__ import annotations

from builder.catalog import rules
from builder.catalog.layer_spec import VARIADIC, LayerSpec
from builder.catalog.params import Param

MERGING_SPECS = (
    LayerSpec(
        "Minimum", "Merging", "Smallest of its inputs, element-wise (sizes equal, or 1 to broadcast).", (),
        rules.elementwise_shape("Minimum"), inputs=VARIADIC, function="minimum", id_prefix="minimum",
        keywords=("min", "elementwise"),
    ),
    LayerSpec(
        "Dot", "Merging", "Dot product of two inputs, sample by sample, along one axis of each.",
        (Param("axes", "axes", length=2, initial=-1, always_written=True,
               help="The axis summed over: one for both inputs, or [axis of the first, axis of the second]."),
         Param("normalize", "bool", default=False, help="L2-normalise both inputs first: a cosine similarity.")),
        rules.dot_shape, inputs=VARIADIC, function="dot", summary=("axes",), id_prefix="dot",
        keywords=("product", "cosine", "similarity", "matmul"),
    ),
)
