"""Real faults around batch builds: a killed process, a report deleted or replaced while its
batch is built, settings saved while a batch is built.

The races use a second thread with its own database connection that changes the data
exactly between the build's reading and its storing (`after_compute`): the build must
notice in its own write transaction and never attach a batch to the wrong report or
call a batch built with old settings current.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from core import batches, booking_settings
from core.db import db, init_db
from core.imports import delete_report, import_bytes
from core.models import Batch, Report
from tests.helpers import free_port, report_bytes, settlebook, wait_until_up
from tests.synthetic import german_v2_settlement

WORKED = report_bytes("settlement_v2_de_worked_example.txt")
OTHER = report_bytes("settlement_v2_de.txt")


@pytest.fixture
def database(tmp_path):
    init_db(tmp_path / "settlebook.sqlite3")
    with db.connection_context():
        yield


def elsewhere(work) -> None:
    """Run `work` on another thread with its own connection, as a second request would."""
    errors: list[BaseException] = []

    def run():
        try:
            with db.connection_context():
                work()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if errors:
        raise errors[0]


def test_report_deleted_and_another_imported_during_the_build(database):
    doomed = import_bytes(WORKED, "worked.txt").report_id
    newcomer: list[int] = []

    def delete_and_import():
        delete_report(doomed)
        newcomer.append(import_bytes(OTHER, "other.txt").report_id)

    result = batches.build(doomed, after_compute=lambda: elsewhere(delete_and_import))
    assert result.batch is None
    assert newcomer[0] != doomed  # ids are never handed out again
    assert Batch.select().count() == 0  # nothing attached to the newcomer
    assert Report.get_by_id(newcomer[0]).batch_status == "none"


def test_report_replaced_by_a_new_version_during_the_build(database):
    first = import_bytes(WORKED, "v1.txt").report_id
    changed = WORKED.replace(b"WAREHOUSE_DAMAGE", b"WAREHOUSE_LOST")
    result = batches.build(first, after_compute=lambda: elsewhere(
        lambda: import_bytes(changed, "v2.txt")))
    assert result.batch is None
    assert Batch.select().where(Batch.report == first).count() == 0


def test_settings_saved_during_the_build_are_the_ones_stored(database):
    report_id = import_bytes(WORKED, "worked.txt").report_id
    saves = iter([lambda: booking_settings.save_settings({"beraternummer": "2002"})])

    def save_once():
        work = next(saves, None)
        if work is not None:
            elsewhere(work)

    result = batches.build(report_id, after_compute=save_once)
    batch = result.batch
    assert batch is not None and batch.version == 1
    assert batch.fingerprint == booking_settings.rules_fingerprint()[0]
    data = bytes(batch.files[0].data).decode("cp1252")
    assert data.split("\r\n")[0].split(";")[10] == "2002"  # built again with the new settings
    assert Report.get_by_id(report_id).batch_status == "created"
    assert Batch.select().count() == 1


def test_rules_that_keep_changing_store_nothing_and_leave_it_outdated(database):
    report_id = import_bytes(WORKED, "worked.txt").report_id
    numbers = iter(range(2002, 2100))
    result = batches.build(report_id, after_compute=lambda: elsewhere(
        lambda: booking_settings.save_settings({"beraternummer": str(next(numbers))})))
    assert result.batch is None and Batch.select().count() == 0
    assert Report.get_by_id(report_id).batch_status == "outdated"


def test_regenerating_unchanged_makes_no_version(database):
    report_id = import_bytes(WORKED, "worked.txt").report_id
    first = batches.build(report_id)
    again = batches.build(report_id)
    assert again.unchanged and again.batch.id == first.batch.id
    assert Batch.select().count() == 1


# -- a real process killed while it builds ---------------------------------------------------

LINES = 200_000


def count(database: Path, sql: str):
    with sqlite3.connect(database, timeout=60) as connection:
        return connection.execute(sql).fetchone()[0]


@pytest.mark.slow
def test_build_killed_by_sigkill_is_resumed_with_exactly_one_current_batch(tmp_path):
    data = tmp_path / "data"
    database = data / "settlebook.sqlite3"
    big = tmp_path / "big.txt"
    big.write_bytes(german_v2_settlement(LINES, settlement_id="55500033344", seed=5))
    importing = settlebook("import", str(big), data_dir=data, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        running = "SELECT COUNT(*) FROM job WHERE kind = 'export' AND outcome = 'running'"
        while time.monotonic() < deadline:  # until the import committed and the build runs
            if database.exists() and importing.poll() is None:
                try:
                    if count(database, running):
                        break
                except sqlite3.OperationalError:
                    pass
            assert importing.poll() is None, "the import and build finished before the kill"
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        importing.send_signal(signal.SIGKILL)
        importing.communicate(timeout=30)
    assert count(database, "SELECT COUNT(*) FROM report") == 1
    assert count(database, "SELECT COUNT(*) FROM batch") == 0, "killed too late"
    assert count(database, "SELECT build_requested IS NOT NULL FROM report") == 1

    port = free_port()
    server = settlebook("serve", "--port", str(port), data_dir=data, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not count(database, "SELECT COUNT(*) FROM batch"):
            time.sleep(0.2)
        time.sleep(1)  # a second build, if one were queued, would show up now
        assert count(database, "SELECT COUNT(*) FROM batch WHERE status = 'current'") == 1
        assert count(database, "SELECT COUNT(*) FROM batch") == 1
        assert count(database, "SELECT ok FROM batch") == 1
        assert count(database, "SELECT batch_status FROM report") == "created"
        assert count(database, "SELECT build_requested FROM report") is None
        assert count(database, "SELECT COUNT(*) FROM job WHERE kind = 'export' "
                               "AND message_code = 'interrupted'") == 1
        assert count(database, "SELECT COUNT(*) FROM job WHERE kind = 'export' AND outcome = 'ok'") == 1
        assert count(database, "SELECT COUNT(*) FROM job WHERE outcome = 'running'") == 0
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "queued 1 interrupted upload(s) or batch build(s) again" in output
