"""Put a freshly written folder in place of another in one atomic step.

The bundle is a folder of files that must change together. It is written beside the live
folder and then exchanged with it by one system call (``renameat2(RENAME_EXCHANGE)`` on
Linux, ``renamex_np(RENAME_SWAP)`` on macOS), so at every instant the live path names either
the whole old bundle or the whole new one: a process killed at any point leaves one of the
two. The old bundle, now under the temporary name, is removed afterwards; a run killed before
that leaves it behind, and the next run removes it (:func:`remove_leftovers`).

Writers take an exclusive lock (:func:`locked`) so that one run never removes another's
folder in the middle of its write.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_MARK = ".tmp"
# Folder names an interrupted run of an older version could leave behind.
LEGACY_MARKS = (".old",)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def exchange(first: Path, second: Path) -> None:
    """Swap the names of two existing folders atomically.

    Raises
    ------
    OSError
        If the system call fails, including ``ENOSYS``/``EINVAL`` where the platform or file
        system cannot exchange (the caller may then fall back to :func:`_replace_in_two_steps`).
    """
    libc = _libc()
    a, b = os.fsencode(first), os.fsencode(second)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        result = libc.renameat2(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        result = libc.renamex_np(a, b, _RENAME_SWAP)
    else:
        raise OSError(errno.ENOSYS, "atomic exchange is not available on this system")
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first), None, str(second))


def _replace_in_two_steps(new: Path, live: Path) -> None:
    """Fallback where exchange is impossible: a short gap in which ``live`` does not exist."""
    aside = live.with_name(live.name + TEMP_MARK + "-aside")
    os.replace(live, aside)
    os.replace(new, live)
    shutil.rmtree(aside, ignore_errors=True)


def replace_folder(new: Path, live: Path, step=lambda _: None) -> None:
    """Make ``new`` the folder at ``live``; the previous ``live`` folder is removed.

    Parameters
    ----------
    new : Path
        A complete folder beside ``live`` (same file system).
    live : Path
        Where readers look. May not exist yet.
    step : callable
        Called with ``"swap"`` and ``"remove old"`` before each step.
    """
    step("swap")
    if not live.exists():
        os.rename(new, live)
        return
    try:
        exchange(new, live)
    except OSError as exc:
        if exc.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
            raise
        _replace_in_two_steps(new, live)
        return
    step("remove old")
    shutil.rmtree(new, ignore_errors=True)


def leftovers(live: Path) -> list[Path]:
    """Temporary folders beside ``live`` that an earlier, interrupted run left behind."""
    marks = (TEMP_MARK, *LEGACY_MARKS)
    return sorted(p for p in live.parent.glob(live.name + ".*")
                  if p.is_dir() and not p.is_symlink()
                  and any(p.name.startswith(live.name + m) for m in marks))


def remove_leftovers(live: Path) -> list[Path]:
    """Remove :func:`leftovers`; call only while holding :func:`locked`. Returns them."""
    found = leftovers(live)
    for folder in found:
        shutil.rmtree(folder, ignore_errors=True)
    return found


@contextmanager
def locked(live: Path) -> Iterator[None]:
    """Hold an exclusive lock for writing ``live``: a ``flock`` on the folder that holds it.

    Locking the parent folder leaves no lock file behind. The lock is released when the
    process ends, however it ends, so a killed run never leaves a stale lock.
    """
    handle = os.open(live.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def fsync_tree(folder: Path) -> None:
    """Flush every file in ``folder``, then the folder itself, to disk."""
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    fsync_folder(folder)


def fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (names created, renamed or removed) to disk."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
