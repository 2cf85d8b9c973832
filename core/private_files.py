"""Everything settlebook writes is readable by its owner only: files 0600, folders 0700.

The database holds the password hash and all financial data, so it and its companions
(SQLite's -wal and -shm, the task queue, the keys, backups) are created private rather
than made private afterwards. SQLite gives -wal and -shm the mode of the database file,
so creating that file 0600 before SQLite opens it is enough. Installations from before
are tightened at start (`tighten`), with a log line naming what changed.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700

log = logging.getLogger("settlebook.files")


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as a 0700 folder; tighten it if it exists."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o077)
    return path


def private_file(path: Path) -> Path:
    """Make sure `path` exists with mode 0600 (an existing file keeps its content)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path`, which is never readable by others, not even for a moment."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as out:
            out.write(data)
    finally:
        os.close(fd)
    return path


def tighten(folder: Path) -> list[Path]:
    """Remove group and other permissions from `folder` and everything in it.

    Symbolic links are not followed: only what really lives in the folder is changed.
    """
    if not folder.is_dir():
        return []
    changed = []
    for path in [folder, *sorted(folder.rglob("*"))]:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            continue
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            path.chmod(mode & ~0o077)
            changed.append(path)
    if changed:
        log.warning("made %s item(s) in %s readable by their owner only: %s", len(changed), folder,
                    ", ".join(str(p.relative_to(folder)) if p != folder else "." for p in changed))
    return changed
