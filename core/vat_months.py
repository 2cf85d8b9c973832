"""Overlapping VAT Transactions Reports: which report books each month (docs/tax-rules.md §6).

Amazon offers the VAT report for a month or a quarter, and both contain the same rows. For
every seller account and month exactly one current report books that month: the one the
user chose, else the report covering only that month, else the one covering the fewest
months (the newest import on a tie). The other reports skip their rows of that month.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from core.db import db
from core.models import Batch, Report, VatMonthChoice, utcnow

KIND = "vat_transactions"


def account_of(key: str) -> str:
    return key.split(":", 1)[0]


def months_of(report: Report) -> list[str]:
    """The months ("YYYY-MM") a VAT report covers, from its period."""
    if report.period_start is None or report.period_end is None:
        return []
    months, (year, month) = [], (report.period_start.year, report.period_start.month)
    end = (report.period_end.year, report.period_end.month)
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _reports(account: str) -> list[Report]:
    return [r for r in Report.select().where(Report.kind == KIND, Report.status == "current")
            if account_of(r.key) == account]


def owners(account: str) -> dict[str, str]:
    """{month: key of the report that books it} for every month with more than one report."""
    covering: dict[str, list[Report]] = defaultdict(list)
    for report in _reports(account):
        for month in months_of(report):
            covering[month].append(report)
    chosen = {c.month: c.report_key for c in
              VatMonthChoice.select().where(VatMonthChoice.account == account)}
    result = {}
    for month, reports in covering.items():
        if len(reports) < 2:
            continue
        keys = {r.key for r in reports}
        if chosen.get(month) in keys:
            result[month] = chosen[month]
            continue
        best = min(reports, key=lambda r: (len(months_of(r)), -r.id))
        result[month] = best.key
    return result


def skipped_months(report: Report) -> dict[str, str]:
    """{month: key of the other report that books it} for this report's months."""
    if report.kind != KIND:
        return {}
    taken = owners(account_of(report.key))
    return {month: owner for month in months_of(report)
            if (owner := taken.get(month)) is not None and owner != report.key}


def overlapping(report: Report) -> list[Report]:
    """Other current VAT reports of the same account sharing a month with `report`."""
    mine = set(months_of(report))
    return [r for r in _reports(account_of(report.key))
            if r.id != report.id and mine & set(months_of(r))]


def choose(account: str, month: str, report_key: str) -> int:
    """Let `report_key` book `month`; the reports whose batches change become outdated."""
    with db.atomic():
        (VatMonthChoice.insert(account=account, month=month, report_key=report_key,
                               chosen_at=utcnow())
         .on_conflict_replace().execute())
        return mark_stale(account)


def mark_stale(account: str | None = None) -> int:
    """Mark current VAT batches outdated whose month split no longer matches."""
    changed = 0
    for report in Report.select().where(Report.kind == KIND, Report.status == "current"):
        if account is not None and account_of(report.key) != account:
            continue
        batch = (Batch.select().where(Batch.report == report.id, Batch.status == "current")
                 .order_by(Batch.version.desc()).first())
        if batch is None:
            continue
        stored = json.loads(batch.settings).get("vat_months_skipped", {})
        if stored != skipped_months(report) and report.batch_status != "outdated":
            Report.update(batch_status="outdated").where(Report.id == report.id).execute()
            changed += 1
    return changed


def month_of(moment: datetime | None) -> str:
    """The month a row belongs to for the split: its UTC month (Amazon's activity period)."""
    return "" if moment is None else f"{moment.year:04d}-{moment.month:02d}"


def month_table(report: Report) -> list[tuple[str, list[tuple[str, bool]]]]:
    """For each month this report shares with others: [(report key, books it?)]."""
    if report.kind != KIND:
        return []
    others = overlapping(report)
    if not others:
        return []
    taken = owners(account_of(report.key))
    table = []
    for month in months_of(report):
        keys = sorted({report.key} | {r.key for r in others if month in months_of(r)})
        if len(keys) > 1:
            table.append((month, [(key, taken.get(month) == key) for key in keys]))
    return table
