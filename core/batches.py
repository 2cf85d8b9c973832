"""The versioned DATEV batches of stored reports: building, listing, and the ZIP download.

A batch records the fingerprint of everything it was built with (core/booking_settings.py).
When any of that changes, the report is marked "outdated"; "Regenerate" builds a new
version, keeps the old one downloadable, and stores what changed.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from peewee import fn

from core import jobs, vat_months
from core.booking.build import WrittenFile, build_batch, write_checked
from core.booking.errors import BookingError
from core.booking_settings import rules_fingerprint
from core.datev.accounts import AccountSet
from core.datev.batch import BatchFile
from core.datev.diff import BatchDiff, diff_batches
from core.datev.settings import DatevSettings
from core.db import db
from core.imports import stored_report
from core.models import Batch, BatchFileRow, Report, utcnow

DIFF_DETAIL_LIMIT = 200  # changes listed one by one; beyond that only counted


# -- building ------------------------------------------------------------------------------

@dataclass
class BuildResult:
    batch: Batch
    diff: dict[str, Any] | None


def current_batch(report_id: int) -> Batch | None:
    return (Batch.select().where(Batch.report == report_id, Batch.status == "current")
            .order_by(Batch.version.desc()).first())


def compute(report_id: int, settings: DatevSettings, accounts: AccountSet,
            created_at: datetime) -> tuple[list[BatchFile], list[WrittenFile], BookingError | None]:
    """The batch files of a stored report under the given rules, rendered and validated."""
    # Stored lines already carry the user's mappings: mapping a combination rewrites
    # them, and imports classify with the mappings.
    parsed = stored_report(report_id)
    try:
        files = build_batch(parsed, settings, accounts,
                            vat_months.skipped_months(Report.get_by_id(report_id)))
    except BookingError as exc:
        return [], [], exc
    return files, write_checked(files, created_at), None


def build(report_id: int) -> BuildResult:
    """Build the report's batch with the current rules as a new version (the first, or a regeneration)."""
    report = Report.get_by_id(report_id)
    fingerprint, snapshot = rules_fingerprint()
    # Which months an overlapping report books instead (compared by vat_months.mark_stale).
    snapshot["vat_months_skipped"] = vat_months.skipped_months(report)
    settings = DatevSettings.from_dict(snapshot["settings"])
    accounts = AccountSet.from_dict(snapshot["accounts"], settings.account_length)
    now = utcnow()
    files, written, error = compute(report_id, settings, accounts, now)
    previous = current_batch(report_id)
    summary = None
    if previous is not None and files:
        old = [BatchFile.from_bytes(bytes(f.data), f.filename, kind=files[0].kind, key=report.key)
               for f in previous.files]
        summary = _diff_summary(diff_batches(old, files))
    with db.atomic():
        # Writing first takes SQLite's write lock, so the version read next is final even
        # when an automatic build and a "Regenerate" click race for the same report.
        Batch.update(status="replaced").where(Batch.report == report_id, Batch.status == "current").execute()
        last = Batch.select(fn.MAX(Batch.version)).where(Batch.report == report_id).scalar() or 0
        batch = Batch.create(
            report=report_id, version=last + 1, created_at=now,
            fingerprint=fingerprint, settings=json.dumps(snapshot),
            ok=error is None and all(w.ok for w in written),
            booking_count=sum(len(w.batch.bookings) for w in written),
            error_template=error.template if error else "",
            error_params=json.dumps(error.to_json()["params"]) if error else "{}",
            notices=json.dumps([n.to_json() for f in files for n in f.notices]),
            diff=json.dumps(summary) if summary is not None else None,
        )
        for w in written:
            BatchFileRow.create(
                batch=batch, filename=w.filename, date_from=w.batch.date_from, date_to=w.batch.date_to,
                booking_count=len(w.batch.bookings), data=w.data,
                violations=json.dumps([v.to_json() for v in w.violations]))
        Report.update(batch_status="created").where(Report.id == report_id).execute()
    return BuildResult(batch, summary)


def build_recorded(report_id: int) -> BuildResult:
    """`build`, recorded in the job log (first build: export; later ones: regenerate)."""
    report = Report.get_by_id(report_id)
    kind = "regenerate" if current_batch(report_id) else "export"
    with jobs.recorded(kind, report.filename or report.key) as job:
        result = build(report_id)
        jobs.finish(job, "ok" if result.batch.ok else "failed",
                    "batch_built" if result.batch.ok else "batch_invalid", key=report.key,
                    version=result.batch.version, bookings=result.batch.booking_count)
    return result


def _booking_json(b: Any) -> dict[str, Any]:
    return {"date": b.date.isoformat(), "document": b.document, "text": b.text, "amount": str(b.amount),
            "side": b.side, "account": b.account, "contra_account": b.contra_account,
            "tax_key": b.tax_key, "currency": b.currency}


def _diff_summary(diff: BatchDiff) -> dict[str, Any]:
    return {
        "added": len(diff.added), "removed": len(diff.removed), "changed": len(diff.changed),
        "unchanged": diff.unchanged,
        "added_list": [_booking_json(b) for b in diff.added[:DIFF_DETAIL_LIMIT]],
        "removed_list": [_booking_json(b) for b in diff.removed[:DIFF_DETAIL_LIMIT]],
        "changed_list": [{"old": _booking_json(c.old), "new": _booking_json(c.new), "fields": list(c.fields)}
                         for c in diff.changed[:DIFF_DETAIL_LIMIT]],
        "totals": [{"account": t.account, "currency": t.currency, "before": str(t.before),
                    "after": str(t.after), "difference": str(t.difference)}
                   for t in diff.changed_totals],
    }


def batch_versions(report_id: int) -> list[Batch]:
    return list(Batch.select().where(Batch.report == report_id).order_by(Batch.version.desc()))


def current_batches(year: int | None = None, status: str = "") -> list[tuple[Batch, Report]]:
    query = (Batch.select(Batch, Report).join(Report)
             .where(Batch.status == "current", Report.status == "current"))
    if year:
        query = query.where(Report.year == year)
    if status == "outdated":
        query = query.where(Report.batch_status == "outdated")
    elif status == "problems":
        query = query.where(Batch.ok == False)  # noqa: E712 - peewee expression
    return [(b, b.report) for b in query.order_by(Report.period_end.desc(nulls="LAST"), Batch.id.desc())]


def files_between(first: date, last: date) -> list[BatchFileRow]:
    """Valid files of current batches whose period overlaps [first, last]."""
    return list(BatchFileRow.select().join(Batch).join(Report)
                .where(Batch.status == "current", Report.status == "current",
                       BatchFileRow.date_from <= last, BatchFileRow.date_to >= first)
                .order_by(BatchFileRow.date_from, BatchFileRow.filename))


def zip_files(files: Iterable[BatchFileRow]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        used: set[str] = set()
        for f in files:
            name = f.filename
            n = 2
            while name in used:  # two reports can yield the same name in one month
                name = f.filename.replace(".csv", f"_{n}.csv")
                n += 1
            used.add(name)
            archive.writestr(name, bytes(f.data))
    return buffer.getvalue()
