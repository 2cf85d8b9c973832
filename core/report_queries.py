"""Read-side queries for the reports list, a report's detail and the overview.

All filters run in SQL on indexed columns; totals were computed once at import time, so
listing 1,000 reports of 1,000,000 lines never sums lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from math import ceil
from typing import Generic, TypeVar

from peewee import fn

from core.models import LineRow, Report, Upload, UploadFailure
from core.reports.model import Category, Kind

T = TypeVar("T")
SEARCH_COUNT_LIMIT = 1_000
ORDER_ID_PREFIX = re.compile(r"^\d[\d-]*$")
STATUSES = ("attention", "not_reconciled", "unmapped", "outdated", "ok")


@dataclass
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int
    capped: bool = False  # `total` is a lower bound

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


@dataclass(frozen=True)
class ReportFilter:
    kind: str = Kind.SETTLEMENT.value
    marketplace: str = ""
    status: str = ""
    year: int | None = None
    page: int = 1
    per_page: int = 25


def _status_condition(status: str):
    batch_needs_work = Report.batch_status.in_(("outdated", "blocked"))
    not_reconciled = Report.reconciles == False  # noqa: E712 - peewee expression
    return {
        "not_reconciled": not_reconciled,
        "unmapped": Report.unmapped_count > 0,
        "outdated": Report.batch_status == "outdated",
        "attention": not_reconciled | (Report.unmapped_count > 0) | batch_needs_work,
        "ok": ~not_reconciled & (Report.unmapped_count == 0) & ~batch_needs_work,
    }.get(status)


def list_reports(f: ReportFilter) -> Page[Report]:
    query = Report.select().where(Report.kind == f.kind, Report.status == "current")
    if f.marketplace:
        # marketplaces are stored "|"-joined; match a whole name
        query = query.where(("|" + Report.marketplaces + "|").contains(f"|{f.marketplace}|"))
    condition = _status_condition(f.status)
    if condition is not None:
        query = query.where(condition)
    if f.year:
        query = query.where(Report.year == f.year)
    total = query.count()
    number = min(max(1, f.page), max(1, ceil(total / f.per_page)))
    items = list(query.order_by(Report.period_end.desc(nulls="LAST"), Report.id.desc())
                 .paginate(number, f.per_page))
    return Page(items, number, f.per_page, total)


def filter_choices(kind: str) -> tuple[list[str], list[int]]:
    """Marketplaces and years present among the current reports of a kind."""
    rows = Report.select(Report.marketplaces, Report.year).where(
        Report.kind == kind, Report.status == "current").tuples()
    markets, years = set(), set()
    for marketplaces, year in rows:
        markets.update(m for m in marketplaces.split("|") if m)
        if year:
            years.add(year)
    return sorted(markets), sorted(years, reverse=True)


def counts_by_kind() -> dict[str, int]:
    rows = (Report.select(Report.kind, fn.COUNT(Report.id)).where(Report.status == "current")
            .group_by(Report.kind).tuples())
    return {kind.value: 0 for kind in Kind} | dict(rows)


def counts_by_marketplace() -> dict[str, dict[Kind, int]]:
    """Current reports per marketplace and kind (a report of several marketplaces counts in each)."""
    counts: dict[str, dict[Kind, int]] = {}
    rows = Report.select(Report.kind, Report.marketplaces).where(Report.status == "current").tuples()
    for kind, marketplaces in rows:
        for name in filter(None, marketplaces.split("|")):
            counts.setdefault(name, dict.fromkeys(Kind, 0))[Kind(kind)] += 1
    return counts


def outdated_report_ids() -> list[int]:
    """Current reports whose batch was built with other rules than today's."""
    return [r for (r,) in Report.select(Report.id).where(
        Report.status == "current", Report.batch_status == "outdated").tuples()]


def report_lines(report_id: int, search: str = "", unmapped_only: bool = False,
                 page: int = 1, per_page: int = 50) -> Page[LineRow]:
    query = LineRow.select().where(LineRow.report == report_id)
    if unmapped_only:
        query = query.where(LineRow.category == Category.UNMAPPED.value)
    search = search.strip()
    if search:
        # Prefix match. Amazon order ids are digits and dashes: those searches use the
        # (report, order id) index alone. Anything else may be a SKU or an FBA shipment
        # id in the order column, matched among this one report's lines.
        upper = search + "\U0010ffff"
        by_order = (LineRow.order_id >= search) & (LineRow.order_id < upper)
        if ORDER_ID_PREFIX.match(search):
            query = query.where(by_order)
        else:
            query = query.where(by_order | ((LineRow.sku >= search) & (LineRow.sku < upper)))
    if search or unmapped_only:
        # Counting every match of a broad search would scan a big report twice; past
        # SEARCH_COUNT_LIMIT matches the pager says "at least".
        total = query.select(LineRow.id).limit(SEARCH_COUNT_LIMIT + 1).count()
    else:
        total = Report.get_by_id(report_id).line_count
    number = min(max(1, page), max(1, ceil(total / per_page)))
    items = list(query.order_by(LineRow.id).paginate(number, per_page))
    return Page(items, number, per_page, total, capped=total > SEARCH_COUNT_LIMIT)


def versions(report: Report) -> list[Report]:
    return list(Report.select().where(Report.kind == report.kind, Report.key == report.key)
                .order_by(Report.version.desc()))


@dataclass
class VersionChanges:
    previous: Report
    categories: list[tuple[str, object, object]]  # (category, before, after) where they differ


def version_changes(report: Report) -> VersionChanges | None:
    """How a re-issued report differs from the version before it (totals per category)."""
    if report.version <= 1:
        return None
    previous = (Report.select().where(Report.kind == report.kind, Report.key == report.key,
                                      Report.version < report.version)
                .order_by(Report.version.desc()).first())
    if previous is None:
        return None
    before, after = previous.category_totals, report.category_totals
    zero = Decimal("0.00")
    categories = [(c, before.get(c, zero), after.get(c, zero)) for c in sorted(set(before) | set(after))
                  if before.get(c, zero) != after.get(c, zero)]
    return VersionChanges(previous, categories)


def needing_attention(limit: int = 20) -> list[Report]:
    return list(Report.select().where(Report.status == "current", _status_condition("attention"))
                .order_by(Report.period_end.desc(nulls="LAST")).limit(limit))


def recent_imports(limit: int = 10) -> list[Report]:
    return list(Report.select().where(Report.status == "current")
                .order_by(Report.imported_at.desc(), Report.id.desc()).limit(limit))


_UPLOAD_FIELDS = (Upload.id, Upload.filename, Upload.size, Upload.lines_expected, Upload.status,
                  Upload.outcome, Upload.report, Upload.error_template, Upload.error_params)


def uploads(ids: list[int]) -> list[Upload]:
    """These uploads, newest first (never their bytes)."""
    return _with_failures(Upload.select(*_UPLOAD_FIELDS).where(Upload.id.in_(ids))
                          .order_by(Upload.id.desc()))


def recent_uploads(limit: int = 10) -> list[Upload]:
    return _with_failures(Upload.select(*_UPLOAD_FIELDS).order_by(Upload.id.desc()).limit(limit))


def _with_failures(query) -> list[Upload]:
    """Uploads that failed for lack of space are shown as status "failed" with the reason."""
    items = list(query)
    failures = {f.upload_id: f for f in UploadFailure.select().where(
        UploadFailure.upload.in_([u.id for u in items]))}
    for upload in items:
        failure = failures.get(upload.id)
        if failure is not None and upload.status != "done":
            upload.status = "failed"
            upload.error_template, upload.error_params = failure.error_template, failure.error_params
    return items

