"""Figures for the overview: per month (and marketplace) what came in and what Amazon kept.

Built from the current settlement reports' category totals, which were summed once at
import time, so the overview never adds up a million lines. A settlement counts in the
month of its payout (deposit date, else its end) in the user's time zone. Refunds are
the revenue-side lines of refund transactions, summed per report from its lines (the
only figure the category totals do not hold). Amounts stay Decimal; currencies are
never mixed: the figures are for one currency at a time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.booking.dates import local_date
from core.booking.rules import SETTLEMENT_REFUND_WORDS
from core.models import LineRow, Report
from core.reports.model import Category

REVENUE = frozenset({
    Category.PRODUCT_SALES, Category.PRODUCT_TAX, Category.SHIPPING, Category.SHIPPING_TAX,
    Category.GIFT_WRAP, Category.GIFT_WRAP_TAX, Category.PROMOTION, Category.MARKETPLACE_WITHHELD_TAX,
})
FEES = frozenset({
    Category.SELLING_FEE, Category.FBA_FEE, Category.STORAGE_FEE, Category.SHIPPING_LABEL,
    Category.OTHER_FEE, Category.SUBSCRIPTION,
})
SERIES = ("revenue", "refunds", "fees", "advertising", "payouts")
ZERO = Decimal("0.00")


@dataclass
class MonthFigures:
    month: date  # the first day of the month
    revenue: Decimal = ZERO  # sales incl. VAT, after promotions, before refunds
    refunds: Decimal = ZERO  # negative
    fees: Decimal = ZERO  # negative: selling, FBA, storage, label, other fees, subscription
    advertising: Decimal = ZERO  # negative
    payouts: Decimal = ZERO
    report_ids: list[int] = field(default_factory=list)

    @property
    def fee_ratio(self) -> Decimal | None:
        """Amazon's fees and advertising as a percentage of revenue (one decimal)."""
        if self.revenue <= 0:
            return None
        return (-(self.fees + self.advertising) * 100 / self.revenue).quantize(Decimal("0.1"))


def choices() -> tuple[list[str], list[str]]:
    """Currencies (most used first) and marketplaces among the current settlements."""
    counts: dict[str, int] = defaultdict(int)
    markets: set[str] = set()
    for currency, marketplaces in (Report.select(Report.currency, Report.marketplaces)
                                   .where(Report.kind == "settlement", Report.status == "current").tuples()):
        counts[currency] += 1
        markets.update(m for m in marketplaces.split("|") if m)
    return sorted(counts, key=lambda c: (-counts[c], c)), sorted(markets)


def monthly(currency: str, marketplace: str = "", months: int = 12,
            zone: ZoneInfo | None = None) -> list[MonthFigures]:
    """The last `months` months that have settlements in `currency`, oldest first."""
    zone = zone or ZoneInfo("Europe/Berlin")
    query = Report.select().where(Report.kind == "settlement", Report.status == "current",
                                  Report.currency == currency)
    if marketplace:
        query = query.where(("|" + Report.marketplaces + "|").contains(f"|{marketplace}|"))
    by_month: dict[date, MonthFigures] = {}
    for report in query:
        moment = report.deposit_date or report.period_end
        if moment is None:
            continue
        day = local_date(moment, zone)
        month = by_month.setdefault(day.replace(day=1), MonthFigures(day.replace(day=1)))
        totals = report.category_totals
        month.revenue += sum((v for k, v in totals.items() if k in REVENUE), ZERO)
        month.fees += sum((v for k, v in totals.items() if k in FEES), ZERO)
        month.advertising += totals.get(Category.ADVERTISING, ZERO)
        month.payouts += report.total
        month.report_ids.append(report.id)
    chosen = sorted(by_month.values(), key=lambda m: m.month)[-months:]
    refunds = _refunds([r for m in chosen for r in m.report_ids])
    for m in chosen:
        refund = sum((refunds.get(r, ZERO) for r in m.report_ids), ZERO)
        m.refunds += refund
        m.revenue -= refund  # revenue before refunds; the refunds are their own figure
    return chosen


def _refunds(report_ids: list[int]) -> dict[int, Decimal]:
    """Per report: the revenue-side amounts of its refund transactions (negative)."""
    if not report_ids:
        return {}
    words = None
    for word in SETTLEMENT_REFUND_WORDS:
        condition = LineRow.transaction_type.contains(word)  # LIKE: case-insensitive for ASCII
        words = condition if words is None else words | condition
    rows = (LineRow.select(LineRow.report, LineRow.amount)
            .where(LineRow.report.in_(report_ids), LineRow.category.in_([c.value for c in REVENUE]),
                   words).tuples())
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for report_id, amount in rows.iterator():
        out[report_id] += Decimal(amount)
    return dict(out)


def last_imports_state(reports: list[Report]) -> dict[int, str]:
    """At a glance per report: "reconciled", "off" (by report.difference) or "blocked" (batch)."""
    from core.models import Batch

    blocked = {r for (r,) in Batch.select(Batch.report).where(
        Batch.report.in_([r.id for r in reports]), Batch.status == "current",
        Batch.ok == False).tuples()}  # noqa: E712 - peewee expression
    return {r.id: "off" if not r.reconciles else "blocked" if r.id in blocked else "reconciled"
            for r in reports}
