"""Live inference: the engine that walks the graph in topological order from the changed nodes and gives every
node its output shape, parameter counts, error or warnings (engine.py); the shapes Keras stored for layers
outside the catalog and when they are stale (stored_shapes.py); the shape a wire would deliver before it is
dropped (wire_preview.py); and what `check` prints (report.py). Never imports Keras.
"""
