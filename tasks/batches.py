"""Building booking batches in the background (after an import, "Regenerate", or "regenerate
all outdated"), with progress the pages can poll, and resumed after a crash."""

from __future__ import annotations

from core import batches, vat_months
from core.models import Report
from core.reports.model import BOOKABLE_KINDS
from tasks import mail
from tasks.queue import huey, with_db


def progress_key(report_id: int) -> str:
    return f"build-progress:{report_id}"


def result_key(report_id: int) -> str:
    return f"build-result:{report_id}"


def enqueue_build(report_id: int) -> None:
    """Ask for a build: noted in the database first, so a crash before it runs loses nothing."""
    batches.request_build(report_id)
    huey.delete(result_key(report_id))
    _build(report_id)


def progress(report_id: int) -> int | None:
    """Lines booked so far by a running build (kept in the queue's store)."""
    return huey.get(progress_key(report_id), peek=True)


def last_result(report_id: int) -> dict | None:
    """{"batch_id", "unchanged"} of the last build started from the web, for its result."""
    return huey.get(result_key(report_id), peek=True)


@huey.task(retries=1, retry_delay=10)
@with_db
def _build(report_id: int) -> None:
    report = Report.get_or_none(Report.id == report_id)
    if report is None or report.kind not in BOOKABLE_KINDS or report.status != "current":
        if report is not None:
            Report.update(build_requested=None).where(Report.id == report_id).execute()
        return  # deleted or superseded meanwhile, or a kind that is not booked

    def report_progress(count: int) -> None:
        huey.put(progress_key(report_id), count)

    result = batches.build_recorded(report_id, report_progress)
    huey.get(progress_key(report_id))  # reading removes it
    huey.put(result_key(report_id), {"batch_id": result.batch.id if result.batch else None,
                                     "unchanged": result.unchanged})
    if result.batch is not None and not result.batch.ok and not result.unchanged:
        mail.batch_blocked(report_id, report.key)
    # A VAT report overlapping others takes months from them (or they from it): rebuild
    # their batches now, so no month is ever offered twice.
    for other in vat_months.overlapping(report):
        if batches.current_batch(other.id) is not None:
            batches.request_build(other.id)
            batches.build_recorded(other.id)


@with_db
def resume_builds() -> int:
    """Called when the worker starts: builds asked for but never stored (a crash, a kill)
    run again; the job cut off is already marked interrupted."""
    pending = batches.pending_builds()
    for report_id in pending:
        _build(report_id)
    return len(pending)
