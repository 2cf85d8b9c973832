"""The versioned DATEV batches of stored reports: building, listing, and the ZIP download.

A batch records the fingerprint of everything it was built with (core/booking_settings.py).
When any of that changes, the report is marked "outdated"; "Regenerate" builds a new
version, keeps the old one downloadable, and stores what changed.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
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

MAX_ATTEMPTS = 3  # builds started again because the report or the rules changed meanwhile


@dataclass
class BuildResult:
    batch: Batch | None  # None: the report is gone or no longer current, nothing stored
    diff: dict[str, Any] | None
    unchanged: bool = False  # nothing changed since the current batch: no new version


def current_batch(report_id: int) -> Batch | None:
    return (Batch.select().where(Batch.report == report_id, Batch.status == "current")
            .order_by(Batch.version.desc()).first())


def compute(report_id: int, settings: DatevSettings, accounts: AccountSet, created_at: datetime,
            progress: Callable[[int], None] | None = None,
            ) -> tuple[list[BatchFile], list[WrittenFile], BookingError | None]:
    """The batch files of a stored report under the given rules, rendered and validated."""
    # Stored lines already carry the user's mappings: mapping a combination rewrites
    # them, and imports classify with the mappings.
    parsed = stored_report(report_id, progress)
    try:
        files = build_batch(parsed, settings, accounts,
                            vat_months.skipped_months(Report.get_by_id(report_id)))
    except BookingError as exc:
        return [], [], exc
    return files, write_checked(files, created_at), None


def request_build(report_id: int) -> None:
    """Note that a build is wanted; the build's own commit clears it, so one cut off by a
    crash is found again at the next start (`pending_builds`)."""
    Report.update(build_requested=utcnow()).where(Report.id == report_id).execute()


def pending_builds() -> list[int]:
    return [r.id for r in Report.select(Report.id).where(Report.build_requested.is_null(False),
                                                         Report.status == "current")
            .order_by(Report.build_requested)]


def build(report_id: int, progress: Callable[[int], None] | None = None,
          after_compute: Callable[[], None] | None = None) -> BuildResult:
    """Build the report's batch with the current rules as a new version (the first, or a regeneration).

    Reading the lines and booking them takes a while and holds no lock. Before storing,
    in its own write transaction, the build checks that the report is still the same
    current report (id, content hash) and the rules are still the ones it used; if not,
    it starts again (after MAX_ATTEMPTS tries it stores nothing and leaves the batch
    outdated). With nothing changed since the current batch it stores nothing new.
    `after_compute` lets tests change the world at the worst moment.
    """
    for _attempt in range(MAX_ATTEMPTS):
        report = Report.get_or_none(Report.id == report_id)
        if report is None or report.status != "current":
            return BuildResult(None, None)
        fingerprint, snapshot = rules_fingerprint()
        # Which months an overlapping report books instead (compared by vat_months.mark_stale).
        snapshot["vat_months_skipped"] = skipped = vat_months.skipped_months(report)
        previous = current_batch(report_id)
        if (previous is not None and previous.fingerprint == fingerprint
                and previous.report_hash == report.content_hash
                and json.loads(previous.settings).get("vat_months_skipped", {}) == skipped):
            with db.atomic():
                Report.update(batch_status="created" if previous.ok else "blocked",
                              build_requested=None).where(Report.id == report_id).execute()
            return BuildResult(previous, None, unchanged=True)
        settings = DatevSettings.from_dict(snapshot["settings"])
        accounts = AccountSet.from_dict(snapshot["accounts"], settings.account_length)
        now = utcnow()
        files, written, error = compute(report_id, settings, accounts, now, progress)
        summary = None
        if previous is not None and files:
            old = [BatchFile.from_bytes(bytes(f.data), f.filename, kind=files[0].kind, key=report.key)
                   for f in previous.files]
            summary = _diff_summary(diff_batches(old, files))
        if after_compute is not None:
            after_compute()
        with db.atomic("IMMEDIATE"):  # the write lock first: what is checked next stays true
            again = Report.get_or_none(Report.id == report_id)
            if again is None or again.status != "current":
                return BuildResult(None, None)  # deleted or replaced while building
            if (again.content_hash != report.content_hash or rules_fingerprint()[0] != fingerprint
                    or vat_months.skipped_months(again) != skipped):
                continue  # the data or the rules changed while building: build again
            latest = current_batch(report_id)
            if (latest is not None and (previous is None or latest.id != previous.id)
                    and latest.fingerprint == fingerprint and latest.report_hash == report.content_hash
                    and json.loads(latest.settings).get("vat_months_skipped", {}) == skipped):
                # A build racing this one (an automatic one and a click) stored the same.
                Report.update(build_requested=None).where(Report.id == report_id).execute()
                return BuildResult(latest, None, unchanged=True)
            batch = _store(report, fingerprint, snapshot, now, files, written, error, summary)
        return BuildResult(batch, summary)
    Report.update(batch_status="outdated").where(Report.id == report_id,
                                                 Report.status == "current").execute()
    return BuildResult(None, None)


def _store(report: Report, fingerprint: str, snapshot: dict[str, Any], now: datetime,
           files: list[BatchFile], written: list[WrittenFile], error: BookingError | None,
           summary: dict[str, Any] | None) -> Batch:
    """The new current version of the report's batch (inside the caller's write transaction)."""
    report_id = report.id
    Batch.update(status="replaced").where(Batch.report == report_id, Batch.status == "current").execute()
    last = Batch.select(fn.MAX(Batch.version)).where(Batch.report == report_id).scalar() or 0
    ok = error is None and all(w.ok for w in written)
    batch = Batch.create(
        report=report_id, version=last + 1, created_at=now,
        fingerprint=fingerprint, settings=json.dumps(snapshot), report_hash=report.content_hash,
        ok=ok, booking_count=sum(len(w.batch.bookings) for w in written),
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
    Report.update(batch_status="created" if ok else "blocked", build_requested=None).where(
        Report.id == report_id).execute()
    return batch


def build_recorded(report_id: int, progress: Callable[[int], None] | None = None) -> BuildResult:
    """`build`, recorded in the job log (first build: export; later ones: regenerate)."""
    report = Report.get_or_none(Report.id == report_id)
    if report is None:
        return BuildResult(None, None)
    kind = "regenerate" if current_batch(report_id) else "export"
    with jobs.recorded(kind, report.filename or report.key) as job:
        result = build(report_id, progress)
        batch = result.batch
        if batch is None:
            jobs.finish(job, "failed", "batch_not_built", key=report.key)
        elif result.unchanged:
            jobs.finish(job, "ok", "batch_unchanged", key=report.key, version=batch.version)
        else:
            jobs.finish(job, "ok" if batch.ok else "failed",
                        "batch_built" if batch.ok else "batch_invalid", key=report.key,
                        version=batch.version, bookings=batch.booking_count)
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


def zip_files(files: Iterable[BatchFileRow], extra: Mapping[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
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
