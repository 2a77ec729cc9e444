"""The node-graph canvas: a QGraphicsScene mirroring the controller's document, and the view around it."""

from gui.canvas.view import LAYER_MIME_TYPE, CanvasView

__all__ = ["LAYER_MIME_TYPE", "CanvasView"]
