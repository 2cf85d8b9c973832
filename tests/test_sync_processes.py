"""Amazon imports as real processes: `settlebook sync` killed in the middle of a download imports
nothing twice when run again, and `settlebook serve` catches up a daily import missed while off."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time

import pytest

from tests.fake_spapi import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
from tests.helpers import amazon_env, free_port, settlebook


def cli(*args, data, fake, timeout=120):
    process = settlebook(*args, data_dir=data, env=amazon_env(fake.url), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


@pytest.fixture
def connected(tmp_path, fake):
    """A data folder connected to the fake Amazon by `settlebook connect`."""
    fake.polls_until_done = 1
    data = tmp_path / "data"
    code, output = cli("connect", "--region", "eu", "--client-id", CLIENT_ID, "--client-secret",
                       CLIENT_SECRET, "--refresh-token", REFRESH_TOKEN, data=data, fake=fake)
    assert code == 0 and CLIENT_SECRET not in output, output
    return data


@pytest.mark.slow
def test_sync_killed_mid_download_imports_each_report_once(connected, fake):
    data = connected
    fake.trickle = 0.05  # 1 KB every 50 ms: a download takes a few tenths of a second
    process = settlebook("sync", data_dir=data, env=amazon_env(fake.url), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(fake.calls("download")) < 3:
        time.sleep(0.01)
    time.sleep(0.1)  # inside the third download
    assert process.poll() is None, "the sync finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    with sqlite3.connect(data / "settlebook.sqlite3") as db:
        before = db.execute("SELECT COUNT(*) FROM report").fetchone()[0]
    assert 1 <= before < 5  # some reports in, the rest not

    fake.trickle = 0
    code, output = cli("sync", data=data, fake=fake)
    assert code == 0, output
    code, output = cli("sync", data=data, fake=fake)
    assert code == 0 and "0 new settlements, 0 new VAT reports" in output, output

    with sqlite3.connect(data / "settlebook.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT kind, key, COUNT(*) FROM report GROUP BY kind, key").fetchall()
        assert len(rows) == 5 and all(count == 1 for _kind, _key, count in rows)
        assert db.execute("SELECT COUNT(*) FROM batch").fetchone()[0] == 5
        assert db.execute("SELECT status FROM sync_run ORDER BY id").fetchall() == \
            [("interrupted",), ("ok",), ("ok",)]


@pytest.mark.slow
def test_serve_catches_up_the_daily_import_missed_while_off(connected, fake):
    """The box was off at the daily time two days running: `settlebook serve` runs the
    import once as it starts, not only at the next five-minute check."""
    data = connected
    with sqlite3.connect(data / "settlebook.sqlite3") as db:
        db.execute("INSERT INTO sync_run (trigger, started, finished, status, heartbeat) VALUES "
                   "('scheduled', datetime('now', '-2 days'), datetime('now', '-2 days'), 'ok', "
                   "datetime('now', '-2 days'))")
        db.execute("UPDATE amazon_connection SET created = datetime('now', '-3 days')")
    port = free_port()
    server = settlebook("serve", "--port", str(port), data_dir=data, env=amazon_env(fake.url),
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 180  # a loaded machine imports slowly
        runs = []
        while time.monotonic() < deadline:
            with sqlite3.connect(data / "settlebook.sqlite3") as db:
                runs = db.execute("SELECT trigger, status FROM sync_run ORDER BY id").fetchall()
            if len(runs) == 2 and runs[-1][1] != "running":
                break
            time.sleep(0.2)
        assert runs == [("scheduled", "ok"), ("scheduled", "ok")]
        with sqlite3.connect(data / "settlebook.sqlite3") as db:
            assert db.execute("SELECT COUNT(*) FROM report WHERE source = 'api'").fetchone() == (5,)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert CLIENT_SECRET not in output
