"""Versioned schema migrations.

Each migration is frozen SQL, never derived from the live models: a model may change
later, but what version N looked like must not. `migrate()` applies the missing ones in
order, each in its own transaction, and records the version in `schema_version`.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import SqliteDatabase

Migration = Callable[[SqliteDatabase], None]


def _sql(*statements: str) -> Migration:
    def apply(db: SqliteDatabase) -> None:
        for statement in statements:
            db.execute_sql(statement)

    return apply


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (
        1,
        "settings, login attempts, jobs",
        _sql(
            """CREATE TABLE setting (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
            """CREATE TABLE login_attempt (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                remote_addr TEXT NOT NULL DEFAULT '',
                succeeded INTEGER NOT NULL
            )""",
            """CREATE TABLE job (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                started TEXT NOT NULL,
                finished TEXT,
                outcome TEXT NOT NULL DEFAULT 'running',
                message_code TEXT NOT NULL DEFAULT '',
                params TEXT NOT NULL DEFAULT '{}',
                subject TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX job_started ON job (started)",
        ),
    ),
]


def current_version(db: SqliteDatabase) -> int:
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)"
    )
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def latest_version() -> int:
    return MIGRATIONS[-1][0]


def migrate(db: SqliteDatabase, target: int | None = None) -> list[int]:
    """Apply every migration above the current version (up to `target`); return them."""
    target = latest_version() if target is None else target
    applied = []
    for version, _title, apply in MIGRATIONS:
        if version <= current_version(db) or version > target:
            continue
        with db.atomic():
            apply(db)
            db.execute_sql(
                "INSERT INTO schema_version (version, applied) VALUES (?, datetime('now'))",
                (version,),
            )
        applied.append(version)
    return applied
