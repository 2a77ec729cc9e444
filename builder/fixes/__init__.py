"""Fixes for errors (and warnings with a clear remedy), each verified on a copy before it is offered: the edits
are applied to a copy, inference runs, and the fix is kept only if that problem is gone and no new error
appeared. Ordered by least change. Edits have a documented JSON form (edits.py); the app applies a fix as one
undo step (fix_command)."""

from builder.fixes.edits import fix_command
from builder.fixes.offer import all_fixes, apply_fix, fix_graph, fixes_for
from builder.fixes.verify import Fix

__all__ = ["Fix", "all_fixes", "apply_fix", "fix_command", "fix_graph", "fixes_for"]
