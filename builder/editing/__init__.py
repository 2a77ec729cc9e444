"""Undoable edits: every command does and undoes exactly (commands.py), the compound edits of a node editor
such as delete keeping wires and insert on a wire (compound.py), copy and paste as project JSON (clipboard.py),
and frame edits (frame_edits.py). No Qt: the app's undo stack wraps these commands.
"""
