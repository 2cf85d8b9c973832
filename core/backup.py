"""A consistent copy of the data folder, taken while the app keeps running.

The database (which also holds every stored report file) is copied with SQLite's online
backup API, so a concurrent import is either wholly in the copy or not at all. Restoring
is copying the files back into an empty data folder while settlebook is stopped.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

DATABASE = "settlebook.sqlite3"
KEEP = ("secret_key", "encryption_key")  # small files that must travel with the database


def backup(data_dir: Path, target: Path) -> list[Path]:
    source = data_dir / DATABASE
    if not source.exists():
        raise FileNotFoundError(f"no database at {source}")
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} exists and is not empty; choose a new folder")
    target.mkdir(parents=True, exist_ok=True)
    written = [target / DATABASE]
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
            shutil.copy2(data_dir / name, target / name)
            written.append(target / name)
    return written


def restore(backup_dir: Path, data_dir: Path) -> None:
    """Put a backup into an empty data folder (settlebook must not be running)."""
    if (data_dir / DATABASE).exists():
        raise FileExistsError(f"{data_dir} already holds a database; move it away first")
    data_dir.mkdir(parents=True, exist_ok=True)
    for item in backup_dir.iterdir():
        shutil.copy2(item, data_dir / item.name)
