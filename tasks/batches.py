"""Building booking batches in the background (after an import, or "regenerate all outdated")."""

from __future__ import annotations

from core import batches
from core.models import Report
from core.reports.model import BOOKABLE_KINDS
from tasks import mail
from tasks.queue import huey, with_db


def enqueue_build(report_id: int) -> None:
    _build(report_id)


@huey.task(retries=1, retry_delay=10)
@with_db
def _build(report_id: int) -> None:
    report = Report.get_or_none(Report.id == report_id)
    if report is None or report.kind not in BOOKABLE_KINDS or report.status != "current":
        return  # deleted or superseded meanwhile, or a kind that is not booked
    result = batches.build_recorded(report_id)
    if not result.batch.ok:
        mail.batch_blocked(report_id, report.key)
    # A VAT report overlapping others takes months from them (or they from it): rebuild
    # their batches now, so no month is ever offered twice.
    from core import vat_months

    for other in vat_months.overlapping(report):
        if batches.current_batch(other.id) is not None:
            batches.build_recorded(other.id)
