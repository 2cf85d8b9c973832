"""Finding a settlement or an order across every report.

A settlement id matches report keys (and the settlement id column of date range
reports' lines); an order id matches lines through the order id index, as a prefix, so
"302-1234" finds every order starting so. Results name the report and how many of its
lines match, never more than `limit` reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.models import LineRow, Report

MIN_LENGTH = 3


@dataclass(frozen=True)
class Hit:
    report: Report
    lines: int  # matching lines (0: the report itself matched)
    amount: Decimal  # their sum
    order_ids: list[str]


def _prefix(column, text: str):
    return (column >= text) & (column < text + "\U0010ffff")


def search(query: str, limit: int = 50) -> list[Hit]:
    text = query.strip()
    if len(text) < MIN_LENGTH:
        return []
    hits: dict[int, Hit] = {}
    for report in (Report.select().where(_prefix(Report.key, text))
                   .order_by(Report.period_end.desc(nulls="LAST")).limit(limit)):
        hits[report.id] = Hit(report, 0, Decimal("0.00"), [])
    by_line: dict[int, tuple[int, Decimal, set[str]]] = {}
    rows = (LineRow.select(LineRow.report, LineRow.amount, LineRow.order_id)
            .where(_prefix(LineRow.order_id, text) | (LineRow.settlement_id == text))
            .limit(5_000).tuples())
    for report_id, amount, order_id in rows.iterator():
        count, total, orders = by_line.get(report_id, (0, Decimal("0.00"), set()))
        orders.add(order_id)
        by_line[report_id] = (count + 1, total + Decimal(amount), orders)
    reports = {r.id: r for r in Report.select().where(Report.id.in_(list(by_line)[:limit]))}
    for report_id, (count, total, orders) in by_line.items():
        if report_id in reports:
            hits[report_id] = Hit(reports[report_id], count, total, sorted(o for o in orders if o)[:5])
    def order(hit: Hit) -> tuple[bool, str, float]:
        end = hit.report.period_end
        return hit.report.status != "current", hit.report.kind, -(end.timestamp() if end else 0)

    return sorted(hits.values(), key=order)[:limit]

