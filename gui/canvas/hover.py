"""Hover highlighting shared by node cards and wires: both redraw themselves brighter while the pointer is
over them (their paint reads `_hovered`)."""

from __future__ import annotations


class HoverHighlight:
    """Mixed in before the Qt item class: `class NodeItem(HoverHighlight, QGraphicsItem)`."""

    _hovered = False

    def about_to_hover(self):
        """Called as the pointer arrives, before the redraw: a wire refreshes its tooltip here."""

    def hoverEnterEvent(self, event):
        self._hovered = True
        self.about_to_hover()
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event):
        self._hovered = False
        self.update()
        super().hoverLeaveEvent(event)
