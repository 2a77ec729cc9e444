"""The document: one networkx MultiDiGraph behind GraphDocument, whose validated mutations refuse with typed
errors and announce each change (document.py); graph-order facts computed in one place, such as the topological
order and the model's inputs and outputs (order.py); the Keras config and stored Keras shape a node may carry
(node_config.py); and frame data (frames.py). Imports only the catalog.
"""
