"""Compare With…: this document against another version of it (a project file, or the last saved version), side by
side in a window of its own with matched nodes at the same places, or as an overlay on the canvas. The diff itself
is builder/diff's; session.py keeps one comparison and says what each node shows, items.py draws the cards,
compare_window.py is the side by side window, overlay.py marks the canvas, manager.py answers the File menu.
"""
