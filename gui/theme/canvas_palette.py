"""The canvas's colours for one theme, as one frozen object: background and grid, node cards, text, ports,
wires, the wire preview, and the category colours of node headers. DARK_CANVAS is the dark canvas with bright
category headers (nodes stand out from the grid; red and amber stay reserved for problems); LIGHT_CANVAS swaps
the canvas, card and text colours and keeps the headers, red and amber, so a node reads the same in both.

Items read `canvas_palette()` (gui/theme/current.py) when they paint, so a theme switch, which replaces the
current palette object, repaints them in the new colours. The QColors are shared: copy one (QColor(c)) before
changing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from PySide6.QtGui import QColor


@dataclass(frozen=True)
class CanvasPalette:
    name: str

    background: QColor
    grid_minor: QColor
    grid_major: QColor

    node_body: QColor
    node_border: QColor
    node_selected: QColor
    node_blocked_body: QColor  # a node that waits on an error upstream
    blocked_header: QColor
    text: QColor
    text_dim: QColor
    text_muted: QColor  # still 4.5:1 on a waiting node's dimmed card and header
    text_on_header: QColor
    text_on_header_dim: QColor  # a shade under the id, still 4.5:1 on every header
    shape_text: QColor

    error: QColor
    error_text: QColor  # error messages as text: lighter than the outline red, for 4.5:1 on the card
    warning: QColor
    keras_badge: QColor  # a shape that Keras computed, not a catalog rule (red and amber mean problems)
    stale: QColor  # a Keras shape being recomputed: neither a mistake (red) nor a warning (amber)
    # Compare With… (gui/compare/): outlines, badges and their text on a card, 4.5:1 on node_body
    diff_added: QColor
    diff_removed: QColor
    diff_changed: QColor
    diff_renamed: QColor

    port_fill: QColor
    port_free_fill: QColor
    port_border: QColor
    port_valid: QColor
    port_hover_valid: QColor

    wire: QColor
    wire_hover: QColor
    wire_selected: QColor
    wire_broken: QColor
    wire_draft: QColor

    preview_background: QColor  # the shape shown beside a wire being dragged; also the minimap's
    preview_border: QColor

    category_colours: Mapping[str, QColor] = field(compare=False)
    unknown_category: QColor

    def category_colour(self, category: str | None) -> QColor:
        return self.category_colours.get(category or "", self.unknown_category)


def _colours(**values) -> dict:
    return {name: QColor(*value) if isinstance(value, tuple) else QColor(value) for name, value in values.items()}


DARK_CANVAS = CanvasPalette(
    name="dark",
    **_colours(
        background="#1c1e24", grid_minor="#23262e", grid_major="#2b2f39",
        node_body="#2a2d36", node_border="#3b3f4b", node_selected="#f8fafc", node_blocked_body="#24262d",
        blocked_header="#30333b", text="#e5e7eb", text_dim="#9ca3af", text_muted="#969eab",
        text_on_header="#ffffff", text_on_header_dim=(255, 255, 255, 240), shape_text="#7dd3fc",
        error="#ef4444", error_text="#f87171", warning="#f59e0b", keras_badge="#1e293b", stale="#0ea5e9",
        diff_added="#4ade80", diff_removed="#f87171", diff_changed="#fbbf24", diff_renamed="#c4a5ff",
        port_fill="#9ca3af", port_free_fill="#1c1e24", port_border="#d1d5db", port_valid="#22c55e",
        port_hover_valid="#86efac",
        wire="#8b93a5", wire_hover="#e5e7eb", wire_selected="#60a5fa", wire_broken="#6b7280", wire_draft="#f8fafc",
        preview_background=(17, 19, 24, 235), preview_border="#4b5563",
        unknown_category="#52525b",
    ),
    category_colours=MappingProxyType(_colours(
        Core="#2563eb",
        Convolution="#7c3aed",
        Pooling="#0f766e",  # a deeper teal: white text on #0d9488 was 3.7:1
        Reshaping="#4f6378",
        Regularization="#be185d",
        Normalization="#0369a1",
        Merging="#15803d",
        Operations="#b45309",  # keras.ops: amber, apart from the layers' blues and greens (white text 5.0:1)
    )),
)

LIGHT_CANVAS = replace(
    DARK_CANVAS,
    name="light",
    **_colours(
        background="#f4f5f7", grid_minor="#e8eaee", grid_major="#d9dce3",
        node_body="#ffffff", node_border="#c5cad3", node_selected="#111827", node_blocked_body="#eceef2",
        blocked_header="#dde0e6", text="#111827", text_dim="#4b5563", text_muted="#555c66", shape_text="#0369a1",
        error_text="#dc2626", stale="#0e7490",
        diff_added="#15803d", diff_removed="#b91c1c", diff_changed="#b45309", diff_renamed="#6d28d9",
        port_fill="#6b7280", port_free_fill="#ffffff", port_border="#4b5563",
        wire="#6b7280", wire_hover="#111827", wire_selected="#2563eb", wire_broken="#b0b6c0", wire_draft="#111827",
        preview_background="#fbfbfc", preview_border="#c5cad3",
    ),
)
