"""Model diff: what changed between two versions of a graph. Nodes are matched by id, then renamed nodes by their
layer, params and matched neighbours (matching.py); the diff lists added, removed, renamed, changed and rewired
nodes and the consequences Keras would see: output shapes, parameter counts, totals and errors (model_diff.py);
report.py writes it for people and as JSON, summary.py writes the canonical one-line-per-node summary that git's
textconv shows, and follow_layout.py places the other version's nodes where their matches are, for side by side
views. Pure Python over plain graphs: loading a Keras model file first is the caller's job (builder.keras).
"""
