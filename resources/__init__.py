"""The bundled resources: example projects (examples/*.json) and the window's stylesheet (style.qss). Installed
from a wheel this folder is the package `keras_canvas_resources` (builder/files/resources.py finds it)."""
