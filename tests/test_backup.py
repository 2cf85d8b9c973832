"""Backups are consistent while the app writes, and a restored data folder works."""

from __future__ import annotations

import subprocess
import sys
import threading

from core import auth
from core.backup import restore
from core.db import db, init_db
from core.models import Job
from tests.helpers import ROOT


def test_backup_while_writing_then_restore(tmp_path):
    data, target, restored = tmp_path / "data", tmp_path / "backup", tmp_path / "restored"
    init_db(data / "settlebook.sqlite3")
    with db.connection_context():
        auth.set_password("a good password")
    (data / "secret_key").write_text("k" * 64)

    stop = threading.Event()

    def keep_writing():
        with db.connection_context():
            while not stop.is_set():
                with db.atomic():  # each job row and its twin land together or not at all
                    Job.create(kind="import", subject="a")
                    Job.create(kind="import", subject="b")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = subprocess.run([sys.executable, "-m", "webapp.cli", "backup", str(target)], cwd=ROOT,
                                env={"SETTLEBOOK_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"},
                                capture_output=True, text=True, timeout=60)
    finally:
        stop.set()
        writer.join()
    assert result.returncode == 0, result.stderr
    assert str(target / "settlebook.sqlite3") in result.stdout

    restore(target, restored)
    init_db(restored / "settlebook.sqlite3")
    with db.connection_context():
        assert db.execute_sql("PRAGMA integrity_check").fetchone() == ("ok",)
        assert auth.check_password("a good password")
        count = Job.select().count()
        assert count % 2 == 0  # never half a transaction
    assert (restored / "secret_key").read_text() == "k" * 64


def test_backup_refuses_a_non_empty_target(tmp_path):
    data = tmp_path / "data"
    init_db(data / "settlebook.sqlite3")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    result = subprocess.run([sys.executable, "-m", "webapp.cli", "backup", str(tmp_path / "full")], cwd=ROOT,
                            env={"SETTLEBOOK_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "not empty" in result.stderr and "Traceback" not in result.stderr
