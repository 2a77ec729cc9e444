"""Keras Canvas's engine: the graph document, layer catalog, shape inference, Keras build, code export.

Pure Python: importing it loads neither Qt nor TensorFlow (`build_model` imports keras when it is called).

    import builder
    graph = builder.load("model.json")            # a networkx.MultiDiGraph
    results = builder.infer(graph)                # node id -> NodeResult(shape, params, error, warnings)
    source = builder.export_code(graph, style="function")
    model = builder.build_model(graph)            # a keras.Model
    builder.save(graph, "copy.json")

Every function takes a GraphDocument or a plain networkx MultiDiGraph built by hand with the same attributes
(node `layer` and `params`, edge `port`).
"""

from __future__ import annotations

from builder.catalog.specs import CATALOG, LayerSpec, spec_for
from builder.files import project
from builder.files.project import ProjectError
from builder.inference.engine import NodeResult, ShapeInference, infer, totals
from builder.keras.build import build_model
from builder.keras.code_export import export_code
from builder.keras.plan import ModelError
from builder.model.document import Change, GraphDocument, GraphError
from builder.model.order import graph_of


def load(path):
    """Read a project file into a networkx.MultiDiGraph (canvas positions in graph.graph["ui"]).
    Raises ProjectError, listing each problem with where it is."""
    return project.read(path)


def save(source, path) -> None:
    """Write a project file atomically (a crash mid-save never damages the existing file)."""
    project.write(graph_of(source), path)


__all__ = [
    "CATALOG", "Change", "GraphDocument", "GraphError", "LayerSpec", "ModelError", "NodeResult", "ProjectError",
    "ShapeInference", "build_model", "export_code", "infer", "load", "save", "spec_for", "totals",
]
