"""Storing reports: once, whole, versioned; bad files change nothing."""

from __future__ import annotations

import gzip
import hashlib
import threading

import pytest

from core import uploads
from core.db import db, init_db
from core.imports import delete_report, import_bytes, original_file, stored_report
from core.models import Job, LineRow, Report, ReportFile, Upload
from core.reports import parse
from tests.helpers import REPORTS

FIXTURES = REPORTS
WORKED = (FIXTURES / "settlement_v2_de_worked_example.txt").read_bytes()
DE = (FIXTURES / "settlement_v2_de.txt").read_bytes()


@pytest.fixture(autouse=True)
def database(tmp_path):
    init_db(tmp_path / "settlebook.sqlite3")
    with db.connection_context():
        yield tmp_path / "settlebook.sqlite3"


def counts() -> tuple[int, int, int]:
    return Report.select().count(), LineRow.select().count(), ReportFile.select().count()


def test_import_stores_report_lines_and_file_together():
    result = import_bytes(DE, "de.txt")
    assert result.outcome == "imported"
    report = Report.get_by_id(result.report_id)
    parsed = parse(DE, "de.txt")
    assert (report.kind, report.key, report.currency) == ("settlement", parsed.key, "EUR")
    assert report.total == parsed.total and report.lines_sum == parsed.lines_sum
    assert report.reconciles and report.line_count == len(parsed.lines)
    assert counts() == (1, len(parsed.lines), 1)
    assert report.sha256 == hashlib.sha256(DE).hexdigest()
    assert original_file(report.id) == ("de.txt", DE)
    assert ReportFile.get_by_id(report.id).size == len(DE)


def test_stored_report_reads_back_exactly_what_was_parsed():
    parsed = parse(WORKED, "w.txt")
    stored = stored_report(import_bytes(WORKED, "w.txt").report_id)
    assert (stored.key, stored.total, stored.deposit_date, stored.period_end) == (
        parsed.key, parsed.total, parsed.deposit_date, parsed.period_end)
    assert stored.lines_sum == sum(line.amount for line in stored.lines) == parsed.lines_sum
    def facts(line):
        return (line.posted, line.combination, line.amount, line.category, line.order_id, line.sku)

    assert [facts(line) for line in stored.lines] == [facts(line) for line in parsed.lines]


def test_same_file_twice_is_stored_once():
    first = import_bytes(WORKED, "a.txt")
    second = import_bytes(WORKED, "b.txt")
    assert second.outcome == "already_imported" and second.report_id == first.report_id
    assert counts()[0] == 1


def test_same_settlement_in_other_bytes_is_recognised_by_content():
    # The API's download and the Seller Central download differ in BOM and line endings.
    import_bytes(WORKED, "api.txt", source="api")
    variant = WORKED.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    if variant == WORKED:
        variant = WORKED.replace(b"\n", b"\r\n")
    result = import_bytes(variant, "upload.txt")
    assert result.outcome == "already_imported"
    assert counts()[0] == 1 and Report.get().source == "api"


def test_changed_content_becomes_a_new_version_and_outdates_the_batch():
    first = import_bytes(WORKED, "v1.txt")
    Report.update(batch_status="created").execute()
    changed = WORKED.replace(b"WAREHOUSE_DAMAGE", b"WAREHOUSE_LOST")
    second = import_bytes(changed, "v2.txt")
    assert second.outcome == "new_version" and second.superseded_id == first.report_id
    old, new = Report.get_by_id(first.report_id), Report.get_by_id(second.report_id)
    assert (old.status, old.batch_status, old.version) == ("superseded", "outdated", 1)
    assert (new.status, new.version, new.key) == ("current", 2, old.key)
    # Importing the first version again makes it current again, and says so; nothing is stored.
    again = import_bytes(WORKED, "v1-again.txt")
    assert (again.outcome, again.report_id, again.superseded_id) == (
        "restored", first.report_id, second.report_id)
    assert Report.get_by_id(first.report_id).status == "current"
    assert Report.get_by_id(second.report_id).status == "superseded"
    assert counts()[0] == 2
    assert import_bytes(WORKED, "v1-third.txt").outcome == "already_imported"


def cut_off(data: bytes, keep: int) -> bytes:
    """A download that stopped early: the header and summary stay, detail lines are missing."""
    lines = data.splitlines(keepends=True)
    return b"".join(lines[:keep])


def test_cut_off_redownload_is_a_candidate_and_the_complete_version_stays_current():
    complete = import_bytes(WORKED, "complete.txt")
    broken = cut_off(WORKED, 6)
    assert not parse(broken, "cut.txt").reconciles
    result = import_bytes(broken, "cut.txt")
    assert result.outcome == "candidate" and result.difference not in (None, 0)
    assert not result.stored
    candidate = Report.get_by_id(result.report_id)
    assert (candidate.status, candidate.version, candidate.reconciles) == ("candidate", 2, False)
    assert Report.get_by_id(complete.report_id).status == "current"
    # The complete file again: already there and current.
    assert import_bytes(WORKED, "complete-again.txt").outcome == "already_imported"
    assert Report.get_by_id(complete.report_id).status == "current"
    # The cut-off file again: still only a candidate.
    assert import_bytes(broken, "cut-again.txt").outcome == "candidate"
    assert Report.get_by_id(candidate.id).status == "candidate"


def test_a_candidate_can_be_promoted_by_hand_and_deleting_it_restores_the_complete_one():
    from core.imports import promote

    complete = import_bytes(WORKED, "complete.txt")
    candidate = import_bytes(cut_off(WORKED, 6), "cut.txt")
    promote(candidate.report_id)
    assert Report.get_by_id(candidate.report_id).status == "current"
    assert Report.get_by_id(complete.report_id).status == "superseded"
    delete_report(candidate.report_id)
    assert Report.get_by_id(complete.report_id).status == "current"


def test_when_the_current_version_is_broken_the_complete_one_wins():
    # Data from before this rule: a cut-off version became current over the complete one.
    broken = import_bytes(cut_off(WORKED, 6), "cut.txt")
    assert broken.outcome == "imported"
    fixed = import_bytes(WORKED, "complete.txt")
    assert fixed.outcome == "new_version"
    assert Report.get_by_id(fixed.report_id).status == "current"
    assert Report.get_by_id(broken.report_id).status == "superseded"
    # Re-importing the broken one never brings it back over the complete one.
    assert import_bytes(cut_off(WORKED, 6), "cut.txt").outcome == "already_imported"
    assert Report.get_by_id(fixed.report_id).status == "current"


def test_bad_file_changes_nothing_and_names_file_and_line():
    broken = WORKED.replace(b"100,00", b"1O0,00")  # a letter O inside an amount
    assert broken != WORKED
    result = import_bytes(broken, "broken.txt")
    assert result.outcome == "error"
    assert result.error.line is not None and "broken.txt" in result.error.message()
    assert counts() == (0, 0, 0)


def test_delete_removes_lines_file_and_restores_the_previous_version():
    first = import_bytes(WORKED, "v1.txt")
    second = import_bytes(WORKED.replace(b"WAREHOUSE_DAMAGE", b"WAREHOUSE_LOST"), "v2.txt")
    delete_report(second.report_id)
    assert Report.get_by_id(first.report_id).status == "current"
    assert LineRow.select().where(LineRow.report == second.report_id).count() == 0
    assert ReportFile.get_or_none(ReportFile.report == second.report_id) is None


def test_upload_is_processed_once_and_recorded():
    upload = uploads.queue("w.txt", WORKED)
    result = uploads.process(upload.id)
    assert result.outcome == "imported"
    assert uploads.process(upload.id) is None  # a repeated task finds it done
    upload = Upload.get_by_id(upload.id)
    assert (upload.status, upload.outcome, upload.report_id, upload.data) == (
        "done", "imported", result.report_id, None)
    job = Job.get()
    assert (job.kind, job.outcome, job.message_code, job.subject) == ("import", "ok", "report_imported", "w.txt")


def test_failed_upload_keeps_the_translated_error_template():
    upload = uploads.queue("empty.txt", b"")
    uploads.process(upload.id)
    upload = Upload.get_by_id(upload.id)
    assert upload.outcome == "error" and "%(filename)s" in upload.error_template
    assert Job.get().outcome == "failed" and counts() == (0, 0, 0)


def test_concurrent_imports_of_one_settlement_store_it_once(database):
    results = []

    def run():
        with db.connection_context():
            results.append(import_bytes(DE, "de.txt"))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.outcome for r in results).count("imported") == 1
    assert all(r.outcome in ("imported", "already_imported") for r in results), results
    assert counts()[0] == 1


def test_raw_file_is_stored_compressed():
    import_bytes(DE, "de.txt")
    stored = ReportFile.get()
    assert stored.compression == "gzip" and gzip.decompress(stored.data) == DE


def test_a_parser_bug_becomes_a_clear_error_and_stores_nothing(monkeypatch):
    import core.imports

    def broken(data, filename, overrides=None):
        raise RuntimeError("bug in a parser")

    monkeypatch.setattr(core.imports, "stream", broken)
    result = import_bytes(DE, "de.txt")
    assert result.outcome == "error" and result.error.code == "internal_error"
    assert "de.txt" in result.error.message() and "RuntimeError" in result.error.message()
    assert counts() == (0, 0, 0)
