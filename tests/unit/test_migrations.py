"""Schema migrations: a database at version 1, filled, migrated to the latest, keeps its data."""

from __future__ import annotations

from core import migrations
from core.db import db, init_db


def test_fresh_database_is_at_latest_version(tmp_path):
    init_db(tmp_path / "a.sqlite3")
    with db.connection_context():
        assert migrations.current_version(db) == migrations.latest_version()
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_version_1_database_migrates_without_losing_data(tmp_path):
    init_db(tmp_path / "b.sqlite3", migrate=False)
    with db.connection_context():
        assert migrations.migrate(db, target=1) == [1]
        db.execute_sql("INSERT INTO setting (key, value) VALUES ('language', '\"de\"')")
        db.execute_sql("INSERT INTO job (kind, started, outcome, message_code) "
                       "VALUES ('import', '2026-01-02 03:04:05', 'ok', 'done')")
        db.execute_sql("INSERT INTO login_attempt (at, remote_addr, succeeded) VALUES ('2026-01-02', '::1', 1)")
        applied = migrations.migrate(db)
        # Versions were reserved per feature, so the list may have gaps; it is always ascending.
        assert applied == [version for version, _title, _apply in migrations.MIGRATIONS if version > 1]
        assert applied == sorted(applied)
        assert migrations.current_version(db) == migrations.latest_version()
        assert db.execute_sql("SELECT value FROM setting WHERE key='language'").fetchone() == ('"de"',)
        assert db.execute_sql("SELECT kind, outcome FROM job").fetchall() == [("import", "ok")]
        assert db.execute_sql("SELECT COUNT(*) FROM login_attempt").fetchone() == (1,)


def test_migrating_twice_changes_nothing(tmp_path):
    init_db(tmp_path / "c.sqlite3")
    with db.connection_context():
        assert migrations.migrate(db) == []


def test_a_lower_version_that_lands_later_is_still_applied(tmp_path, monkeypatch):
    """Branches reserve versions; 6 may reach an installation before 4 does."""
    init_db(tmp_path / "d.sqlite3")
    late = (4, "a migration merged after 6", migrations._sql("CREATE TABLE late_arrival (id INTEGER)"))
    monkeypatch.setattr(migrations, "MIGRATIONS", sorted([*migrations.MIGRATIONS, late]))
    with db.connection_context():
        assert migrations.migrate(db) == [4]
        assert db.execute_sql("SELECT COUNT(*) FROM late_arrival").fetchone() == (0,)
        assert migrations.migrate(db) == []
