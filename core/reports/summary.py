"""What is in a report file, and does it add up: the facts `settlebook inspect` prints.

Kind, key, period, deposit date, currency, total, line count, sum of lines,
reconciliation, sums per category and the combinations no rule covers.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from core.reports.model import Category
from core.reports.stream import ReportStream


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def summary(report: ReportStream) -> dict[str, Any]:
    """The facts of a fully iterated stream as JSON-ready values."""
    order = {category: position for position, category in enumerate(Category)}
    categories = sorted(report.category_totals().items(), key=lambda item: order[item[0]])
    return {
        "kind": str(report.kind),
        "layout": report.layout,
        "key": report.key,
        "currency": report.currency,
        # One total per currency, never one sum over two (a pan-EU VAT month).
        "total": _money(report.total) if len(report.currency_totals()) == 1 else None,
        "totals": {currency: _money(value) for currency, value in report.currency_totals().items()},
        "lines_sum": _money(report.lines_sum),
        "difference": _money(report.difference),
        "lines": report.count,
        "reconciles": bool(report.reconciles),
        "period_start": _day(report.period_start),
        "period_end": _day(report.period_end),
        "deposit_date": _day(report.deposit_date),
        "marketplaces": report.marketplaces,
        "encoding": report.encoding,
        # A month in two currencies lists its categories per currency, never summed.
        "categories": {str(category): _money(value) for category, value in categories}
        if len(report.currency_totals()) == 1 else {
            f"{category} {currency}": _money(value) for (category, currency), value in
            sorted(report.category_totals_by_currency().items(),
                   key=lambda item: (order[item[0][0]], item[0][1]))},
        "unmapped": [
            {"transaction_type": tt, "amount_type": at, "amount_description": ad,
             "count": count}
            for (tt, at, ad), count in sorted(report.unmapped().items(),
                                              key=lambda item: (-item[1], item[0]))
        ],
    }
