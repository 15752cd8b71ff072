"""Write a file so that a crash leaves the old file or the new one, never half of one:
a hidden temporary file beside the target, flushed to disk, renamed over it.

A crash or a kill in the middle of a write can leave only that hidden temporary file.
Ours are named ``.<target>.nnviz-XXXXXXXX.tmp`` (older versions wrote
``.<target>.XXXXXXXX.tmp`` for models and exports, ``.personal_digits-XXXXXXXX.tmp`` for
the user's digits); those older than :data:`STALE_AFTER` seconds are removed the next
time anything is written atomically into the same folder. Younger ones may belong to a
save in progress."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["STALE_AFTER", "atomic_write", "check_writable", "remove_stale_temporaries",
           "write_atomically", "write_problem"]

STALE_AFTER = 60.0
_RANDOM = r"[a-z0-9_]{8}"  # what tempfile.mkstemp puts between prefix and suffix
_OURS = re.compile(rf"^\..+\.nnviz-{_RANDOM}\.tmp$"
                   rf"|^\..+\.(?:npz|onnx|py)\.{_RANDOM}\.tmp$"
                   rf"|^\.personal_digits-{_RANDOM}\.tmp$")


def atomic_write(path: str | Path, write: Callable[[BinaryIO], None],
                 private: bool = False) -> Path:
    """Write ``path`` through ``write(file)`` so that it is either the old or the whole new
    file, never a part; ``private`` files are readable by their owner only (0600), others
    get the usual permissions (0666 less the umask). Returns ``path``."""
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.nnviz-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        if not private:  # mkstemp makes the file private
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write the bytes ``data`` to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda f: f.write(data))


def check_writable(path: str | Path) -> None:
    """Raise OSError unless :func:`atomic_write` could write ``path``: it is no folder, and
    its folder (or the nearest existing one above, where the rest would be created)
    accepts a new file, tried with a temporary file that is removed at once."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(path))
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
    fd, probe = tempfile.mkstemp(prefix=f".{path.name}.nnviz-", suffix=".tmp", dir=folder)
    os.close(fd)
    os.unlink(probe)


def write_problem(error: OSError) -> str:
    """Why a file could not be written, in a few words ("it is a folder", "permission
    denied", ...), for a message that has named the file already."""
    if isinstance(error, IsADirectoryError):
        return "it is a folder"
    if isinstance(error, NotADirectoryError):
        return f"{error.filename or 'a part of the path'} is not a folder"
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error) or type(error).__name__).lower()


def remove_stale_temporaries(folder: str | Path, older_than: float = STALE_AFTER) -> list[Path]:
    """Delete our hidden temporary files in ``folder`` not modified for ``older_than``
    seconds (left by a killed save); returns what was removed. Never raises for a file
    it cannot inspect or remove."""
    removed = []
    cutoff = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _OURS.match(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and \
                    entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
