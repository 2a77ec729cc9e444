"""Reading a file that a person named, bounded: only regular files, and never more than a limit.

`stat()` says 0 bytes for /dev/zero, a FIFO or a symlink to either, so a size check before reading lets them
through: /dev/zero then grows until the machine kills the process, and a FIFO blocks forever. `open_regular`
opens without blocking (O_NONBLOCK: a FIFO with no writer opens at once), looks at the open descriptor (fstat:
what was opened, not what the path named a moment before) and refuses anything but a regular file;
`read_limited` then reads at most limit + 1 bytes, so a file that grows while it is read is refused too.
Project files (builder/files/project.py), imported model files (builder/keras/importer.py) and the window's look before
parsing (gui/files.py) all read through here.
"""

from __future__ import annotations

import os
import stat

from builder.quoting import quote


class UnreadableFile(ValueError):
    """A file that is not read: not a regular file, too large, or the system refuses it. The message says why,
    without the file name (the caller's message names it)."""


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device (like /dev/zero)"),
          (stat.S_ISBLK, "a disk device"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISSOCK, "a socket"))


def open_regular(path, max_bytes: int | None = None):
    """A binary file object for `path`, refusing what is not a regular file and, with max_bytes, a file
    larger than that (by its size on disk; readers still read with a cap). Raises UnreadableFile."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
            raise UnreadableFile(f"cannot read the file: it is {kind}, not a regular file")
        if max_bytes is not None and info.st_size > max_bytes:
            raise UnreadableFile(f"the file is {info.st_size:,} bytes; at most {max_bytes:,} bytes are read")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(path, max_bytes: int) -> bytes:
    """The whole content of the regular file at `path`, at most max_bytes long, or UnreadableFile."""
    with open_regular(path, max_bytes) as handle:
        return read_at_most(handle, max_bytes)


def read_at_most(handle, max_bytes: int, what: str = "the file") -> bytes:
    """Read a stream to its end, refusing it (UnreadableFile) once it passes max_bytes, whatever its header or
    its size on disk said: at most max_bytes + 1 bytes are ever held."""
    try:
        data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read {what}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise UnreadableFile(f"{what} is larger than {max_bytes:,} bytes, the most that is read")
    return data


def describe_path(path) -> str:
    """The path as a message shows it: quoted only when it holds something odd (a control character, or more
    than 80 characters)."""
    text = os.fspath(path)
    text = text if isinstance(text, str) else text.decode("utf-8", "replace")
    shown = quote(text)
    return text if shown[1:-1] == text else shown
