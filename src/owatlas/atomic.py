"""Replace a folder whole: write a new one beside it, then swap them in one step.

Readers see the old folder or the new one, never a mix; a process killed at any moment leaves
the old folder as it was. Only staging folders (`.build-*`) can be left behind by a kill, and the
next writer removes them. Writers into one parent folder take turns (a lock file beside the
folder, `.owatlas-lock`, locked with filelock: flock on Linux and macOS, msvcrt on Windows).

Linux swaps the two folders in one step (renameat2 with RENAME_EXCHANGE). Elsewhere the old
folder is moved aside into the staging folder, then the new one into place: a reader may find no
folder between the two renames, and a kill there leaves the old release in the staging folder,
which the next writer puts back before anything else.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".build-"
LOCK_FILE = ".owatlas-lock"
ASIDE = "old"  # where, inside its staging folder, the old release waits during a two-step swap
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextmanager
def replaced_folder(out: Path) -> Iterator[Path]:
    """Yield an empty folder; when the block ends without error, it becomes `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with _locked(out.parent):
        restore_aside(out)
        remove_debris(out.parent)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out.parent))
        try:
            new = staging / "new"
            new.mkdir()
            yield new
            _swap(new, out)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def remove_debris(parent: Path) -> None:
    """Remove staging folders left by writers that were killed (call with the lock held)."""
    for child in parent.glob(f"{STAGING_PREFIX}*"):
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)


def restore_aside(out: Path) -> None:
    """Put back a release that a writer killed mid-swap left aside (call with the lock held)."""
    if out.exists():
        return
    for child in sorted(out.parent.glob(f"{STAGING_PREFIX}*")):
        aside = child / ASIDE
        if aside.is_dir() and not aside.is_symlink():
            aside.rename(out)
            return


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    from filelock import FileLock

    with FileLock(folder / LOCK_FILE):
        yield


def _swap(new: Path, out: Path) -> None:
    """Put `new` at `out`; the old `out`, if any, ends up at `new`'s path."""
    if not out.exists():
        new.rename(out)
    elif not _exchange(new, out):
        aside = new.with_name(ASIDE)
        out.rename(aside)
        new.rename(out)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))
