"""The huey tasks, run in immediate mode against a real SQLite file."""

from __future__ import annotations

import pytest

import tasks
from core import jobs, uploads
from core.db import db, init_db
from core.models import Batch, Job, Report, Upload
from tasks import batches as batch_tasks
from tasks import housekeeping
from tasks import uploads as upload_tasks
from tests.helpers import report_bytes


@pytest.fixture(autouse=True)
def database(tmp_path):
    init_db(tmp_path / "settlebook.sqlite3")
    tasks.configure(None, immediate=True)
    with db.connection_context():
        yield


def test_an_upload_is_imported_and_booked():
    upload = uploads.queue("de.txt", report_bytes("settlement_v2_de_worked_example.txt"))
    upload_tasks.enqueue(upload.id)
    stored = Upload.get_by_id(upload.id)
    assert (stored.status, stored.outcome, stored.data) == ("done", "imported", None)
    report = Report.get_by_id(stored.report_id)
    assert report.batch_status == "created" and Batch.get().report_id == report.id
    assert upload_tasks.progress(upload.id) is None  # read and removed when done


def test_a_date_range_report_is_imported_but_not_booked():
    upload = uploads.queue("range.csv", report_bytes("date_range_de.csv"))
    upload_tasks.enqueue(upload.id)
    report = Report.get()
    assert report.kind == "date_range" and Batch.select().count() == 0
    batch_tasks.enqueue_build(report.id)  # asked anyway: nothing to book
    assert Batch.select().count() == 0


def test_the_worker_start_resumes_interrupted_uploads_and_jobs():
    upload = uploads.queue("de.txt", report_bytes("settlement_v2_de.txt"))
    Upload.update(status="running").where(Upload.id == upload.id).execute()  # cut off by a crash
    jobs.start("import", "de.txt")
    assert upload_tasks.resume_interrupted() == 1
    assert Upload.get_by_id(upload.id).status == "done" and Report.select().count() == 1
    assert Job.select().where(Job.outcome == "failed", Job.message_code == "interrupted").count() == 1
    assert upload_tasks.resume_interrupted() == 0  # a second start finds nothing to do


def test_classification_at_worker_start_changes_nothing_without_new_rules():
    upload_tasks.enqueue(uploads.queue("de.txt", report_bytes("settlement_v2_de.txt")).id)
    before = Report.get().categories
    assert housekeeping.classify_with_new_rules() == 0
    assert Report.get().categories == before


def test_a_release_with_other_booking_logic_outdates_older_batches(monkeypatch):
    upload = uploads.queue("de.txt", report_bytes("settlement_v2_de_worked_example.txt"))
    upload_tasks.enqueue(upload.id)
    housekeeping.classify_with_new_rules()  # the next start of the same release
    assert Report.get().batch_status == "created"
    monkeypatch.setattr("core.booking_settings.BOOKING_LOGIC_VERSION", 2)  # a newer release
    housekeeping.classify_with_new_rules()
    assert Report.get().batch_status == "outdated"
    batch_tasks.enqueue_build(Report.get().id)  # regenerating is then no longer "unchanged"
    assert Report.get().batch_status == "created" and Batch.select().count() == 2


def test_nightly_upkeep_forgets_ended_web_connector_sessions():
    from datetime import timedelta

    from core.models import QbwcTicket, utcnow

    QbwcTicket.create(ticket="old", expires=utcnow() - timedelta(days=2))
    QbwcTicket.create(ticket="recent", expires=utcnow() - timedelta(hours=1))
    assert housekeeping.prune_qbwc_sessions.call_local() == 1
    assert [t.ticket for t in QbwcTicket.select()] == ["recent"]
