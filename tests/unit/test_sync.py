"""The Amazon import run against the fake Amazon over HTTP, on a real SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from core import amazon, marketplaces, sync, sync_runs
from core.encryption import load_or_create_key
from core.imports import import_bytes
from core.models import (
    AmazonConnection,
    AmazonDocument,
    Batch,
    Job,
    Report,
    SyncRun,
    utcnow,
)
from tests.fake_spapi import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
from tests.synthetic import german_v2_settlement


@pytest.fixture
def endpoints(fake):
    return amazon.Endpoints(fake.url, fake.url + "/auth/o2/token", poll_interval=0.01)


@pytest.fixture
def key(app):
    return load_or_create_key(app.config["DATA_DIR"])


def connect(key, endpoints, enable=True):
    creds = amazon.check_input("eu", CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
    return amazon.connect(key, creds, amazon.verify(creds, endpoints), enable_participating=enable)


def run(key, endpoints, trigger="manual", **options):
    return sync.run(key, endpoints, trigger, **options)


def test_first_run_imports_everything_once_and_a_second_run_nothing(app, key, endpoints, fake):
    connect(key, endpoints)
    result = run(key, endpoints)
    assert result.status == "ok", result.error_message
    assert result.new_settlements == 4 and result.new_vat_reports == 1
    assert result.already_there == 1  # the settlement listed under a second report id
    assert len(result.batch_ids) == 5 and Batch.select().count() == 5
    assert Report.select().where(Report.source == "api").count() == 5
    keys = sorted(r.key for r in Report.select().where(Report.kind == "settlement"))
    assert keys == sorted(set(keys)) and "11111111111" in keys
    assert Report.get(Report.key == "22222222222").line_count == 30  # cp1252, no charset
    job = Job.get(Job.kind == "amazon_sync")
    assert job.outcome == "ok" and len(job.params_dict["documents"]) == 6

    again = run(key, endpoints)
    assert again.status == "ok" and again.documents == [] and again.batch_ids == []
    assert Report.select().count() == 5
    assert len(fake.calls("download")) == 6  # nothing fetched twice


def test_secret_is_encrypted_at_rest(app, key, endpoints):
    connect(key, endpoints)
    db_file = app.config["DATABASE"]
    raw = b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))  # with the WAL
    assert CLIENT_SECRET.encode() not in raw and REFRESH_TOKEN.encode() not in raw
    assert oct(os.stat(app.config["DATA_DIR"] / "encryption_key").st_mode)[-3:] == "600"
    creds = amazon.credentials(amazon.current(), key)
    assert creds.client_secret == CLIENT_SECRET and CLIENT_SECRET not in repr(creds)


def test_a_settlement_uploaded_earlier_is_stored_once(app, key, endpoints, fake):
    uploaded = german_v2_settlement(30, "22222222222", 2)  # the same settlement as the API's cp1252 one
    assert import_bytes(uploaded, "upload.txt").outcome == "imported"
    connect(key, endpoints)
    result = run(key, endpoints)
    outcomes = {d.key: d.outcome for d in result.documents if d.kind == "settlement"}
    assert outcomes["22222222222"] == "already_imported"
    assert Report.select().where(Report.key == "22222222222").count() == 1
    assert Report.get(Report.key == "22222222222").source == "upload"


def test_disabled_marketplace_is_not_imported_until_enabled(app, key, endpoints):
    connect(key, endpoints)
    marketplaces.set_enabled("amazon.fr", False)
    result = run(key, endpoints)
    skipped = [d for d in result.documents if d.outcome == "skipped"]
    assert len(skipped) == 1 and "amazon.fr" in skipped[0].message
    assert not Report.select().where(Report.marketplaces.contains("Amazon.fr")).exists()

    marketplaces.set_enabled("amazon.fr", True)
    from core import booking_settings

    # It books with its tax profile's defaults, marked as not yet confirmed (the tax issue's rule).
    assert booking_settings.load_accounts().profile("amazon.fr") == ("eu", False)
    retro = run(key, endpoints, "retroactive", marketplace="amazon.fr")
    assert [d.outcome for d in retro.documents if d.kind == "settlement"] == ["imported"]


def test_new_marketplaces_start_disabled_from_the_web(app, key, endpoints):
    connect(key, endpoints, enable=False)
    assert marketplaces.enabled_keys() == set()
    result = run(key, endpoints)
    assert result.new_settlements == 0 and {d.outcome for d in result.documents} == {"skipped"}


def test_without_the_tax_remittance_role_settlements_still_arrive(app, key, endpoints, fake):
    fake.vat_role = False
    connect(key, endpoints)
    result = run(key, endpoints)
    assert result.status == "ok" and result.new_settlements == 4 and result.vat_role_missing
    assert amazon.current().vat_role == "missing"


def test_fatal_vat_report_keeps_amazons_error_document(app, key, endpoints, fake):
    fake.vat_outcome = "FATAL"
    connect(key, endpoints)
    result = run(key, endpoints)
    fatal = [d for d in result.documents if d.outcome == "fatal"]
    assert result.status == "partial" and "not available yet" in fatal[0].message
    fake.vat_outcome = "DONE"
    assert run(key, endpoints).new_vat_reports == 1  # tried again next time


def test_cancelled_vat_report_means_no_data_and_is_not_asked_again(app, key, endpoints, fake):
    fake.vat_outcome = "CANCELLED"
    connect(key, endpoints)
    assert [d.outcome for d in run(key, endpoints).documents if d.kind == "vat_transactions"] == ["no_data"]
    run(key, endpoints)
    assert len(fake.vat_requests) == 1


def test_retroactive_run_asks_for_every_vat_month_in_90_days(app, key, endpoints, fake):
    connect(key, endpoints)
    now = datetime(2026, 12, 10, 9, 0)
    result = run(key, endpoints, "first", now=now)
    months = sorted(d.key for d in result.documents if d.kind == "vat_transactions")
    assert months == ["2026-09", "2026-10", "2026-11"]
    assert result.missing_months[:2] == ["2026-01", "2026-02"]


def test_expired_secret_pauses_the_daily_run(app, key, endpoints, fake):
    connect(key, endpoints)
    fake.secret_expired = True
    result = run(key, endpoints)
    assert result.status == "failed" and result.error_code == "invalid_client"
    connection = amazon.current()
    assert connection.status == "reenter_credentials" and connection.failures == 1
    assert run(key, endpoints, "scheduled").status == "paused"
    assert amazon.current().failures == 1  # paused, not failing every day

    import tasks.sync

    tasks.sync.configure(app.config["DATA_DIR"], endpoints)
    SyncRun.update(started=utcnow() - timedelta(days=1)).execute()  # the next day
    finished = []
    original, tasks.sync.finished = tasks.sync.finished, finished.append
    try:
        assert tasks.sync.daily_check.call_local() == "paused"
    finally:
        tasks.sync.finished = original
    assert finished == []  # nothing to report again every five minutes


def test_unreachable_amazon_fails_the_run_and_counts(app, key, endpoints, fake):
    connect(key, endpoints)
    down = amazon.Endpoints("http://127.0.0.1:9", fake.url + "/auth/o2/token", 0.01)
    client = amazon.make_client(amazon.credentials(amazon.current(), key), down)
    client.max_retries, client.sleep = 1, lambda s: None
    result = run(key, down, client=client)
    assert result.status == "failed" and result.error_code == "connection"
    assert amazon.current().status == "failing"
    assert SyncRun.get_by_id(result.run_id).status == "failed"


def test_second_run_while_one_runs_says_already_running(app, key, endpoints):
    connect(key, endpoints)
    holder = sync_runs.acquire("manual")
    assert run(key, endpoints).status == "busy"
    holder.status = "ok"
    holder.save()
    assert run(key, endpoints).status == "ok"


def test_a_run_whose_process_died_no_longer_holds_the_lock(app, key, endpoints):
    connect(key, endpoints)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    holder = sync_runs.acquire("scheduled")
    SyncRun.update(pid=int(dead)).where(SyncRun.id == holder.id).execute()
    assert run(key, endpoints).status == "ok"
    assert SyncRun.get_by_id(holder.id).status == "interrupted"


def test_due_time_in_berlin_and_catch_up_after_a_missed_day(app):
    sync_runs.save_schedule("05:30", "Europe/Berlin")
    winter = datetime(2026, 12, 2, 4, 29)  # 05:29 in Berlin (UTC+1)
    assert sync_runs.last_due(winter, "05:30", "Europe/Berlin") == datetime(2026, 12, 1, 4, 30)
    SyncRun.create(trigger="scheduled", started=datetime(2026, 12, 1, 4, 31), heartbeat=winter, status="ok")
    assert not sync_runs.is_due(winter)
    assert sync_runs.is_due(winter + timedelta(minutes=1))
    # The box was off for two days: the next check after it starts runs once.
    assert sync_runs.is_due(datetime(2026, 12, 3, 18, 0))
    SyncRun.create(trigger="scheduled", started=datetime(2026, 12, 3, 18, 0), heartbeat=winter, status="ok")
    assert not sync_runs.is_due(datetime(2026, 12, 3, 18, 5))
    assert not sync_runs.is_due(datetime(2026, 12, 4, 4, 29))
    # A failed run is tried again after an hour, not every five minutes.
    SyncRun.create(trigger="scheduled", started=datetime(2026, 12, 4, 4, 31), heartbeat=winter, status="failed")
    assert not sync_runs.is_due(datetime(2026, 12, 4, 5, 0))
    assert sync_runs.is_due(datetime(2026, 12, 4, 5, 32))
    assert not sync_runs.save_schedule("25:00") and not sync_runs.save_schedule("05:00", "Mars/Base")


def test_first_daily_run_is_the_first_scheduled_moment_after_connecting(app):
    sync_runs.save_schedule("05:30", "Europe/Berlin")
    connected = datetime(2026, 12, 2, 13, 0)
    assert not sync_runs.is_due(datetime(2026, 12, 2, 13, 5), connected)
    assert sync_runs.is_due(datetime(2026, 12, 3, 4, 30), connected)
    assert sync_runs.is_due(datetime(2026, 12, 5, 10, 0), connected)  # the box was off: catch up


def test_daily_check_runs_once_after_a_missed_day(app, key, endpoints, fake):
    import tasks.sync

    tasks.sync.configure(app.config["DATA_DIR"], endpoints)
    assert tasks.sync.daily_check.call_local() == "not due"  # not connected
    connect(key, endpoints)
    SyncRun.create(trigger="scheduled", started=utcnow() - timedelta(days=2), heartbeat=utcnow(), status="ok")
    assert tasks.sync.daily_check.call_local() == "ok"
    assert Report.select().count() == 5
    assert tasks.sync.daily_check.call_local() == "not due"
    assert SyncRun.select().where(SyncRun.trigger == "scheduled").count() == 2


def test_secret_rotation_warning_from_day_150(app, key, endpoints):
    connection = connect(key, endpoints)
    assert amazon.secret_days_left(connection) is None
    assert amazon.secret_days_left(connection, connection.secret_set_at + timedelta(days=150)) == 30
    AmazonConnection.update(secret_set_at=utcnow() - timedelta(days=100)).execute()
    connect(key, endpoints)  # the same secret again keeps its age
    assert amazon.secret_age_days(amazon.current()) == 100
    creds = amazon.check_input("eu", CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
    soon = (utcnow() + timedelta(days=12)).date()  # an old secret, entered with its expiry date
    amazon.connect(key, creds, amazon.verify(creds, endpoints), secret_expires=soon)
    assert amazon.secret_days_left(amazon.current()) == 12
    with pytest.raises(amazon.ConnectionProblem):
        amazon.parse_expiry("31.05.2027")


def test_documents_are_logged_with_their_fate(app, key, endpoints):
    connect(key, endpoints)
    run(key, endpoints)
    fates = sorted(d.outcome for d in AmazonDocument.select())
    assert fates == ["already_imported", "imported", "imported", "imported", "imported", "imported"]


def test_website_authorization_state_expires(app, key, endpoints, fake):
    started = datetime(2026, 12, 2, 10, 0)
    state = amazon.start_authorization(key, "sellercentral.amazon.de", "amzn1.sp.solution.x", CLIENT_ID,
                                       CLIENT_SECRET, now=started)
    fake.codes.add("code")
    with pytest.raises(amazon.ConnectionProblem) as caught:
        amazon.finish_authorization(key, state, "code", "A1", "http://x/cb", endpoints,
                                    now=started + timedelta(minutes=16))
    assert caught.value.code == "expired" and amazon.current() is None


def test_backup_carries_the_key_and_a_restore_without_it_asks_for_the_credentials(app, key, endpoints):
    from core.backup import backup

    connect(key, endpoints)
    data_dir = app.config["DATA_DIR"]
    written = backup(data_dir, data_dir.parent / "backup")
    assert data_dir.parent / "backup" / "encryption_key" in written
    assert oct((data_dir.parent / "backup" / "encryption_key").stat().st_mode)[-3:] == "600"

    other_key = load_or_create_key(data_dir.parent / "elsewhere")  # restored without its key
    result = run(other_key, endpoints)
    assert result.status == "failed" and result.error_code == "key_lost"
    assert amazon.current().status == "reenter_credentials"
    assert run(other_key, endpoints, "scheduled").status == "paused"


def test_a_document_the_importer_refuses_fails_with_a_translatable_reason(app, key, endpoints, fake):
    fake.add_report("GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2", b"%PDF-1.4 not a report", compress=True)
    connect(key, endpoints)
    result = run(key, endpoints)
    failed = result.failed
    assert result.status == "partial" and len(failed) == 1 and failed[0].error["template"]
    assert result.new_settlements == 4  # the others still arrive
    assert run(key, endpoints).failed  # tried again next time, still refused
