"""The ZIP of a month or a date range: every report of the period, or a clear list of what is missing.

A tax advisor who gets the month's ZIP assumes it is the whole month. So the ZIP is built
from the reports of the period, not only from the batch files that happen to exist: a
report without a valid, up-to-date batch (not built yet, blocked, outdated) blocks the
download and is named, unless the user asks to go ahead with FEHLT.txt listing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core.batches import current_batch, zip_files
from core.models import Batch, BatchFileRow, Report
from core.reports.model import BOOKABLE_KINDS

MISSING_LIST = "FEHLT.txt"


@dataclass
class Missing:
    report: Report
    reason: str  # not_built | building | outdated | blocked
    batch: Batch | None = None


@dataclass
class PeriodExport:
    first: date
    last: date
    files: list[BatchFileRow] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing


def period_export(first: date, last: date) -> PeriodExport:
    """The valid files of [first, last] and the reports of the period that have none."""
    export = PeriodExport(first, last)
    start, end = datetime.combine(first, datetime.min.time()), datetime.combine(last + timedelta(days=1),
                                                                              datetime.min.time())
    # Reports whose period overlaps, and reports with a file in the period (a booking day
    # can fall on the next day in Berlin).
    by_period = (Report.select().where(
        Report.status == "current", Report.kind.in_(BOOKABLE_KINDS),
        Report.period_start.is_null(False) | Report.period_end.is_null(False),
        (Report.period_start.is_null(True) | (Report.period_start < end)),
        (Report.period_end.is_null(True) | (Report.period_end >= start))))
    by_files = (Report.select().join(Batch).join(BatchFileRow).where(
        Report.status == "current", Batch.status == "current",
        BatchFileRow.date_from <= last, BatchFileRow.date_to >= first))
    reports = {r.id: r for r in [*by_period, *by_files]}
    for report in sorted(reports.values(), key=lambda r: (r.period_end or datetime.min, r.id)):
        batch = current_batch(report.id)
        if report.build_requested is not None:
            export.missing.append(Missing(report, "building", batch))
        elif batch is None:
            export.missing.append(Missing(report, "not_built"))
        elif report.batch_status == "outdated":
            export.missing.append(Missing(report, "outdated", batch))
        elif not batch.ok:
            export.missing.append(Missing(report, "blocked", batch))
        else:
            export.files += [f for f in batch.files if f.date_from <= last and f.date_to >= first]
    export.files.sort(key=lambda f: (f.date_from, f.filename))
    return export


def zip_bytes(export: PeriodExport, missing_text: Callable[[PeriodExport], str] | None = None) -> bytes:
    """The ZIP; with `missing_text`, reports without a valid batch are listed in FEHLT.txt."""
    extra = {}
    if export.missing and missing_text is not None:
        extra[MISSING_LIST] = missing_text(export).encode("utf-8")
    return zip_files(export.files, extra)
