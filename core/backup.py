"""A consistent copy of the data folder, taken while the app keeps running.

The database (which also holds every stored report file) is copied with SQLite's online
backup API, so a concurrent import is either wholly in the copy or not at all. Restoring
is copying the files back into an empty data folder while settlebook is stopped.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from core.private_files import private_dir, private_file, write_private

DATABASE = "settlebook.sqlite3"
KEEP = ("secret_key", "encryption_key")  # small files that must travel with the database


def backup(data_dir: Path, target: Path) -> list[Path]:
    source = data_dir / DATABASE
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} exists and is not empty; choose a new folder")
    private_dir(target)  # the copy holds the password hash and all financial data
    written = [private_file(target / DATABASE)]
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(written[0])
    try:
        with dst:
            src.backup(dst, pages=1024)  # in steps, so writers are not blocked for long
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()
        src.close()
    for name in KEEP:
        if (data_dir / name).exists():
            written.append(write_private(target / name, (data_dir / name).read_bytes()))
    return written


def restore(backup_dir: Path, data_dir: Path) -> None:
    """Put a backup into an empty data folder (settlebook must not be running)."""
    if (data_dir / DATABASE).exists():
        raise FileExistsError(f"{data_dir} already holds a database; move it away first")
    private_dir(data_dir)
    for item in backup_dir.iterdir():
        write_private(data_dir / item.name, item.read_bytes())
