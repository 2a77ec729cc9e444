"""The model's parameter totals and its error and warning counts, kept edit by edit for the status bar and the
shapes panel (issue 18): summed afresh over every node after each edit, they cost a 10,000-node model several
milliseconds per keystroke in a param field, twice over (both views asked).

An edit that only changes params or positions changes the results of the nodes it names (Edit.changed): their
old part of each sum is taken away and the new one added. Anything else (wiring, blocks, a new document, a
stored Keras shape) counts everything again. A shared block's layers count once, as in
builder/inference/block_summary.shared_totals: the nodes of its later uses add their errors and warnings only.
"""

from __future__ import annotations

from builder.inference.block_summary import repeated_shared_nodes

_LOCAL = frozenset({"param_changed", "node_moved"})


def _part(result, repeated: bool) -> tuple[int, int, int, int]:
    """(trainable, non-trainable, errors, warnings) one node adds to the sums; a later use of a shared block
    (`repeated`) adds its errors and warnings, not its weights."""
    if result is None:
        return 0, 0, 0, 0
    weighs = result.shape is not None and not repeated
    return (result.trainable if weighs else 0, result.non_trainable if weighs else 0, 1 if result.error else 0,
            len(result.warnings))


class ModelCounts:
    def __init__(self, controller):
        self.controller = controller
        self.trainable = self.frozen = self.errors = self.warnings = 0
        self._parts: dict[str, tuple[int, int, int, int]] = {}
        self._repeated: set[str] = set()
        self.recount()

    def recount(self):
        results = self.controller.results
        self._repeated = repeated_shared_nodes(self.controller.doc.graph)
        repeated = self._repeated
        self._parts = {n: _part(r, n in repeated) for n, r in results.items()}
        self.trainable = sum(p[0] for p in self._parts.values())
        self.frozen = sum(p[1] for p in self._parts.values())
        self.errors = sum(p[2] for p in self._parts.values())
        self.warnings = sum(p[3] for p in self._parts.values())

    def follow(self, edit):
        """Bring the sums in line with the results after `edit` (before the views are told of it)."""
        if edit.reset or edit.wiring_changed or edit.removed or any(c.kind not in _LOCAL for c in edit.changes):
            self.recount()
            return
        results = self.controller.results
        for node in edit.changed:
            new = _part(results.get(node), node in self._repeated)
            old = self._parts.get(node, (0, 0, 0, 0))
            self._parts[node] = new
            self.trainable += new[0] - old[0]
            self.frozen += new[1] - old[1]
            self.errors += new[2] - old[2]
            self.warnings += new[3] - old[3]
