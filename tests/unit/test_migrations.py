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


def test_version_3_data_keeps_its_ids_and_ids_are_never_reused_after(tmp_path):
    """Migration 5 rebuilds report and batch with AUTOINCREMENT without losing a row."""
    init_db(tmp_path / "d.sqlite3", migrate=False)
    with db.connection_context():
        migrations.migrate(db, target=3)
        for rid in (1, 2, 3):
            db.execute_sql(
                "INSERT INTO report (id, kind, layout, key, source, sha256, content_hash, total, "
                "lines_sum, difference, line_count, imported_at) "
                "VALUES (?, 'settlement', 'v2', ?, 'upload', ?, ?, '1.00', '1.00', '0', 1, '2026-01-01')",
                (rid, f"k{rid}", f"s{rid}", f"c{rid}"))
            db.execute_sql("INSERT INTO line (report_id, line_no, transaction_type, amount_type, "
                           "amount_description, amount, category) VALUES (?, 2, 'Order', 'a', 'b', '1.00', 'x')",
                           (rid,))
            db.execute_sql("INSERT INTO report_file (report_id, filename, size, sha256, compression, data) "
                           "VALUES (?, 'f', 1, 's', 'gzip', x'00')", (rid,))
            db.execute_sql("INSERT INTO batch (report_id, version, created_at, fingerprint, settings, ok) "
                           "VALUES (?, 1, '2026-01-01', 'fp', '{}', 1)", (rid,))
            db.execute_sql("INSERT INTO batch_file (batch_id, filename, date_from, date_to, booking_count, data) "
                           "VALUES (?, 'x.csv', '2026-01-01', '2026-01-01', 1, x'00')", (rid,))
        db.execute_sql("DELETE FROM report WHERE id = 3")  # the newest: its id must stay used
        assert 5 in migrations.migrate(db)
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert [r[0] for r in db.execute_sql("SELECT id FROM report ORDER BY id")] == [1, 2]
        for table in ("line", "report_file", "batch", "batch_file"):
            assert db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone() == (2,), table
        assert db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        names = {r[0] for r in db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"report_list", "report_sha256", "batch_current"} <= names

        db.execute_sql("DELETE FROM report WHERE id = 2")  # cascades to its batch
        db.execute_sql(
            "INSERT INTO report (kind, layout, key, source, sha256, content_hash, total, lines_sum, "
            "difference, line_count, imported_at) "
            "VALUES ('settlement', 'v2', 'new', 'upload', 's', 'c', '0', '0', '0', 0, '2026-01-02')")
        assert db.execute_sql("SELECT MAX(id) FROM report").fetchone() == (3,)  # not 2 again
        assert db.execute_sql("SELECT COUNT(*) FROM batch").fetchone() == (1,)
        db.execute_sql("INSERT INTO batch (report_id, version, created_at, fingerprint, settings, ok) "
                       "VALUES (3, 1, '2026-01-01', 'fp', '{}', 1)")
        assert db.execute_sql("SELECT MAX(id) FROM batch").fetchone() == (3,)  # batch 2 was deleted


def test_a_lower_version_that_lands_later_is_still_applied(tmp_path, monkeypatch):
    """Branches reserve versions; 6 may reach an installation before 4 does."""
    init_db(tmp_path / "d.sqlite3")
    late = (4, "a migration merged after 6", migrations._sql("CREATE TABLE late_arrival (id INTEGER)"))
    monkeypatch.setattr(migrations, "MIGRATIONS", sorted([*migrations.MIGRATIONS, late]))
    with db.connection_context():
        assert migrations.migrate(db) == [4]
        assert db.execute_sql("SELECT COUNT(*) FROM late_arrival").fetchone() == (0,)
        assert migrations.migrate(db) == []
