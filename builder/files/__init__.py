"""Files: the JSON project format, read with every problem located and written canonically (project.py);
careful JSON reading with bounded values and nesting (json_reading.py); reading only regular files, never more
than a limit (safe_read.py); and the one atomic writer every file we write goes through (atomic_file.py).
"""
