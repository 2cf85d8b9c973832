"""The data folder and backups are private: files 0600, folders 0700, SQLite's -wal/-shm too."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
import requests

from core.db import db
from tests.conftest import PASSWORD
from tests.helpers import csrf_token, free_port, settlebook, wait_until_up


def modes(folder: Path) -> dict[str, str]:
    """What `ls -l` shows, as octal modes by relative name (the folder itself is ".")."""
    return {str(p.relative_to(folder)) if p != folder else ".": oct(stat.S_IMODE(p.stat().st_mode))
            for p in [folder, *folder.rglob("*")]}


def assert_private(folder: Path) -> None:
    loose = {name: mode for name, mode in modes(folder).items()
             if mode not in ("0o600", "0o700")}
    assert not loose, loose


@pytest.fixture
def open_umask():
    """The usual umask 022, so only settlebook's own care makes files private."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_app_creates_database_journal_queue_and_key_private(tmp_path, open_umask):
    import tasks
    from webapp import create_app

    data = tmp_path / "data"
    create_app({"DATA_DIR": data, "TESTING": True})  # no SECRET_KEY: one is generated
    try:
        with db.connection_context():
            db.execute_sql("INSERT INTO setting (key, value) VALUES ('x', '1')")  # a WAL write
            names = set(modes(data))
            assert {"settlebook.sqlite3", "settlebook.sqlite3-wal", "settlebook.sqlite3-shm",
                    "tasks.sqlite3", "secret_key"} <= names, names
            assert_private(data)
    finally:
        tasks.configure(None, immediate=True)


def test_existing_installation_is_tightened_at_start_with_a_log_line(tmp_path, open_umask, caplog):
    import tasks
    from webapp import create_app

    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "secret_key").write_text("old key")
    (data / "old-export").mkdir()
    (data / "old-export" / "EXTF_1.csv").write_text("x")
    os.chmod(data / "secret_key", 0o644)
    assert modes(data)["secret_key"] == "0o644"
    try:
        with caplog.at_level("WARNING", logger="settlebook.files"):
            create_app({"DATA_DIR": data, "TESTING": True})
    finally:
        tasks.configure(None, immediate=True)
    assert_private(data)
    assert "readable by their owner only" in caplog.text and "secret_key" in caplog.text


def test_backup_and_restore_are_private(tmp_path, open_umask):
    from core.backup import backup, restore
    from core.db import init_db

    data = tmp_path / "data"
    init_db(data / "settlebook.sqlite3")
    (data / "secret_key").write_text("k")
    os.chmod(data / "secret_key", 0o644)
    written = backup(data, tmp_path / "backup")
    assert {p.name for p in written} == {"settlebook.sqlite3", "secret_key"}
    assert_private(tmp_path / "backup")
    restore(tmp_path / "backup", tmp_path / "restored")
    assert_private(tmp_path / "restored")


def test_running_server_data_folder_and_backup_show_only_owner_bits(tmp_path):
    """A real `settlebook serve`, used through HTTP, then `settlebook backup`; like `ls -l`."""
    data = tmp_path / "data"
    port = free_port()
    server = settlebook("serve", "--port", str(port), data_dir=data, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True, preexec_fn=lambda: os.umask(0o022))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/healthz", server)
        # An open reader keeps -wal and -shm on disk (the last connection to close removes them).
        reader = sqlite3.connect(data / "settlebook.sqlite3")
        reader.execute("SELECT COUNT(*) FROM setting").fetchone()
        browser = requests.Session()
        token = csrf_token(browser.get(f"{url}/setup").text)
        response = browser.post(f"{url}/setup", data={"csrf_token": token, "password": PASSWORD,
                                                      "confirmation": PASSWORD, "language": "en"})
        assert response.ok
        names = set(modes(data))
        assert {"settlebook.sqlite3-wal", "settlebook.sqlite3-shm", "tasks.sqlite3"} <= names, names
        assert_private(data)
        reader.close()
        backup = settlebook("backup", str(tmp_path / "backup"), data_dir=data,
                            preexec_fn=lambda: os.umask(0o022))
        assert backup.wait(timeout=60) == 0
        assert_private(tmp_path / "backup")
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
    assert_private(data)
