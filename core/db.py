"""The one SQLite database, set up the same way for the web server, the worker and tests.

`db` is created unbound and `init_db(path)` points it at a file, so importing models
touches no disk. Connections are opened explicitly (autoconnect=False): a forgotten
connect fails loudly instead of leaking.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from peewee import SqliteDatabase

from core.migrations import migrate as run_migrations
from core.private_files import private_dir, private_file

PRAGMAS = {
    "journal_mode": "wal",  # readers never block the importing writer
    "foreign_keys": 1,  # per connection, so it must be a pragma
    # ms a writer waits for the lock. An import holds it for its whole transaction (a
    # 200,000-line settlement: ~6 s here, several times that on a Raspberry Pi); readers
    # never wait under WAL, so only a save during a big import waits, instead of failing.
    "busy_timeout": 60_000,
    "synchronous": "normal",  # safe with WAL; a power cut loses at most the last commit
    "cache_size": -16_000,  # 16 MB page cache: plenty on a Raspberry Pi
}

db = SqliteDatabase(None, pragmas=PRAGMAS, autoconnect=False)


def init_db(path: str | Path, migrate: bool = True) -> SqliteDatabase:
    """Bind `db` to the file at `path` and bring its schema up to date."""
    path = Path(path)
    private_dir(path.parent)
    private_file(path)  # before SQLite opens it: its -wal and -shm inherit this mode
    db.init(str(path), pragmas=PRAGMAS)
    if migrate:
        with db.connection_context():
            run_migrations(db)
    return db


def is_disk_full(exc: BaseException | None) -> bool:
    """SQLite's "database or disk is full" (also a full max_page_count), or ENOSPC."""
    while exc is not None:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return True
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if isinstance(exc, (sqlite3.OperationalError, sqlite3.DatabaseError)) and "is full" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
