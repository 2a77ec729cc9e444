"""Everything that turns a graph into Keras or back, the only room of builder/ that touches Keras, and only
inside functions (importing it never loads TensorFlow): the build plan (plan.py), Python code export
(code_export.py), the model build and atomic .keras save (build.py), import of .keras/.h5/JSON models with their
bounded reading and safety checks (importer.py, model_file.py, config_layers.py), the weight count that refuses
models too large before Keras allocates (weight_limit.py, generic_weights.py), Keras recomputing stale generic
shapes (recompute.py), and the Keras worker process the window talks to (worker.py).
"""
