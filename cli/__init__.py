"""The command line (`python main.py COMMAND ...`, `keras-canvas COMMAND ...`): arguments (arguments.py), one module
per family of commands (model_commands, train_command, diff_commands), opening the window (window.py) and the
dispatch with its exit codes (entry.py). main.py is only the entry point. The GUI is imported only inside the
functions that open a window or take screenshots (tests/test_import_rules.py)."""
