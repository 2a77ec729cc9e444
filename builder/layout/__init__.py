"""Where nodes go: auto-layout left to right by topological layers, wrapped into bands for deep models
(auto_layout.py), and align, distribute and find (align.py). Reads the model's order; never edits by itself.
"""
