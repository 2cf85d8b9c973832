"""The one huey instance.

It starts in immediate mode with memory storage, so importing `tasks` creates no file;
`configure()` points it at its own SQLite file in the data directory (kept apart from
the app database so queue writes never wait on an import) or keeps it immediate for tests.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from huey import SqliteHuey

from core.db import db
from core.private_files import private_file

huey = SqliteHuey("settlebook", immediate=True, results=False, utc=True)


def configure(queue_path: str | Path | None, immediate: bool = False) -> SqliteHuey:
    if immediate or queue_path is None:
        huey.immediate = True
        return huey
    private_file(Path(queue_path))  # before SQLite creates it (and its -wal, -shm) world-readable
    huey.storage_kwargs = {"filename": str(queue_path), "timeout": 10}
    huey._immediate = False
    huey.storage = huey.create_storage()
    return huey


def with_db(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a task body with a database connection, reusing one already open.

    In immediate mode the task runs inside a web request whose connection is open;
    in the consumer each task opens and closes its own.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not db.is_closed():
            return func(*args, **kwargs)
        with db.connection_context():
            return func(*args, **kwargs)

    return wrapper
