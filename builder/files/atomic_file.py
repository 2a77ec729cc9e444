"""Every file the project writes is written atomically: a temporary file in the target's folder, flushed and
fsynced, then renamed over the target. A crash, a full disk or a refused write leaves either the old file or the
new one, never a damaged one, and never a temporary file behind.

`write_bytes`/`write_text` take the data; `atomic_target` is for writers that insist on a path of their own
(Keras's `model.save`, Qt's `QImage.save`): they write to the temporary path it gives, with the target's suffix
(Keras checks it), and the rename happens when the block ends without an exception.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class WriteError(OSError):
    """A file could not be written; the message names it and says why. The old file, if any, is intact."""


def write_bytes(path, data: bytes) -> None:
    with atomic_target(path) as tmp, os.fdopen(os.open(tmp, os.O_WRONLY | os.O_TRUNC), "wb") as handle:
        handle.write(data)


def write_text(path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))  # encoding fails, if it must, before anything is written


@contextlib.contextmanager
def atomic_target(path, keep_suffix: bool = False) -> Iterator[str]:
    """Yields a temporary path beside `path` (ending in `path`'s suffix with keep_suffix, for writers that check
    it); on a clean exit it is fsynced and renamed over `path`. Any failure removes the temporary file and raises
    WriteError naming the target (other exceptions pass through, the temporary file removed all the same)."""
    target = Path(os.path.realpath(path))  # writing through a symlink updates the file it points to
    if target.is_dir():
        raise WriteError(f"cannot write {path}: it is a folder; choose a file name")
    mode = _file_mode(target)
    remove_leftovers(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp" + (target.suffix if keep_suffix else ""),
                                   dir=target.parent)
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, mode)
        _fsync_file(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, WriteError):
            raise
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _fsync_file(path: str):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_leftovers(path) -> None:
    """A process killed mid-write leaves its hidden `.name.<pid>.*.tmp*`; the next write of the same file removes
    those whose process is gone (a live one may be writing right now), and so does the window when it sees
    its Keras worker die during a save."""
    path = Path(os.path.realpath(path))
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp*"):
        pid = tmp.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _process_alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there; keep the file instead
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists (or cannot be asked): leave its file alone
    return True


def _sync_folder(folder: Path):
    """Make the rename itself durable (POSIX); where folders cannot be opened this is skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _file_mode(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (mkstemp would make it private)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
