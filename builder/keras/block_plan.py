"""How blocks become Keras code, shared by the build (block_build.py) and the script export (block_export.py).

At each level of nesting the graph is read as items: the nodes directly at that level and the blocks right
under it, in a topological order of that contracted graph (ties in document order). Each block is treated as:

  inline        a plain group: its nodes are written where it stands (a group is for the canvas);
  model         a nested keras.Model named after the block, called on the block's inputs;
  shared_model  a use of a shared model definition: one nested keras.Model (named after the definition's first
                use, built from it) called on each use's inputs, so the weights are one set;
  shared_group  a use of a shared group definition: the layers of the first use, called again on this use's
                inputs (a layer used at several places, as a siamese model built without a nested model has);
  copy          a use of a reused definition with its own weights: the script writes the definition once as a
                Python function and calls it per use, with what differs between uses as arguments; the build
                gives each use its own layers, exactly what the function builds.
"""

from __future__ import annotations

from builder.model.blocks import MODEL_KINDS, blocks_of, border_inputs, border_outputs, level_items, members, uses  # noqa: F401 - level_items is part of what this module offers


def treatment(graph, block) -> str:
    meta = blocks_of(graph)[block]
    definition = meta.get("definition")
    if meta.get("shared") and definition is not None:
        return "shared_model" if meta.get("kind") in MODEL_KINDS else "shared_group"
    if meta.get("kind") in MODEL_KINDS:
        return "model"
    if definition is not None and len(uses(graph, definition)) > 1:
        return "copy"
    return "inline"


def ports(graph, block) -> tuple[list[str], list[str]]:
    """(inputs, outputs) of a block: the sources feeding it and its members read outside."""
    inside = set(members(graph, block))
    return border_inputs(graph, block, inside), border_outputs(graph, block, inside)


def first_use(graph, block) -> str:
    """The use a shared definition is built from (the block itself for one without a definition)."""
    definition = blocks_of(graph)[block].get("definition")
    found = uses(graph, definition) if definition is not None else []
    return found[0] if found else block


def index_in(graph, block) -> dict[str, int]:
    """member -> its position among the block's members (how the uses of one definition correspond)."""
    return {n: i for i, n in enumerate(members(graph, block))}
