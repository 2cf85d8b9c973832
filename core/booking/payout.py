"""Amazon Payout: one settlement report → DATEV bookings through the clearing account.

The Amazon balance is treated like a bank account (SKR03 1210 / SKR04 1810): every
group of lines books against it — S when money comes in (sales, released reserves,
reimbursements), H when it goes out (refunds, fees, held reserves) — and the payout
moves the total to money in transit (1360 / 1460). See docs/datev.md#worked-example.

Lines are netted per local posting day, document (settlement id, or order id per order),
and target (account, tax key, text): commission, refunded commission and refund
commission on one day become one "Verkaufsgebühren" booking. Revenue is booked gross
(principal + tax …) on the automatic revenue account; refunds separately on the H side.
After the last booking the clearing account must be at exactly zero — checked here, and a
difference raises instead of being rounded away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from core.booking.batching import rule_rank, split_into_files
from core.booking.dates import local_date
from core.booking.errors import BookingError
from core.booking.marketplaces import display_name
from core.booking.rules import (
    CATEGORY_RULES,
    REVENUE_CATEGORIES,
    SETTLEMENT_REVENUE_RULES,
    TAX_FOLDS,
    exchange,
    is_settlement_refund,
    resolve_tax_key,
)
from core.datev import accounts as acc
from core.datev import messages as m
from core.datev.accounts import AccountSet, render_text
from core.datev.batch import BatchFile, Notice, check_balanced
from core.datev.booking import Booking
from core.datev.settings import DatevSettings
from core.reports.model import Category, Kind, Line, ParsedReport

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Target:
    """What a group of lines books against, seen from the clearing account."""

    rule: str  # rule key; ":refund" marks the refund side of a shared rule
    contra_account: str
    tax_key: str
    text: str
    eu_country: str = ""
    eu_rate: Decimal | None = None


@dataclass
class _Group:
    amount: Decimal = Decimal("0.00")
    lines: int = 0
    rules: set[str] = field(default_factory=set)


def build_payout(
    report: ParsedReport,
    settings: DatevSettings,
    accounts: AccountSet,
    *,
    max_rows: int | None = None,
) -> list[BatchFile]:
    """The Amazon Payout batch files of one settlement, split by period and size.

    Raises BookingError when the report cannot be booked (not a settlement, lines that do
    not add up to the total, amounts with fractions of a cent, no dates) and when the
    clearing account does not net to zero (a bug).
    """
    if report.kind != Kind.SETTLEMENT:
        raise BookingError(
            "wrong_kind", m.REPORT_WRONG_KIND, key=report.key, kind=report.kind,
            expected=Kind.SETTLEMENT.value,
        )
    if not report.reconciles:
        raise BookingError(
            "not_reconciled", m.REPORT_NOT_RECONCILED, key=report.key,
            lines_sum=report.lines_sum, total=report.total, currency=report.currency,
        )
    home = report.marketplaces[0] if len(report.marketplaces) == 1 else ""
    clearing = accounts.rule(acc.CLEARING, home).account
    deemed_orders = {
        line.order_id
        for line in report.lines
        if line.category == Category.MARKETPLACE_WITHHELD_TAX and line.order_id
    }

    groups: dict[tuple[object, ...], _Group] = {}
    notices: list[tuple[date, Notice]] = []
    for line in report.lines:
        if line.amount == 0:
            continue  # quantity-only rows and zero fees book nothing
        if line.amount != line.amount.quantize(CENT):
            raise BookingError(
                "amount_precision", m.AMOUNT_PRECISION, line=line.line_no, key=report.key,
                amount=line.amount,
            )
        day = local_date(_line_moment(line, report), settings.zone)
        marketplace = line.marketplace or home
        rule_key, refund = _rule_for(line, deemed_orders)
        target = _target(rule_key, refund, marketplace, day, settings, accounts)
        currency = line.currency or report.currency
        document = line.order_id if settings.granularity == "order" and line.order_id else report.key
        key = (day, document, marketplace, currency, target.contra_account, target.tax_key,
               target.text, target.eu_country, target.eu_rate, refund)
        group = groups.setdefault(key, _Group())
        group.amount += line.amount
        group.lines += 1
        group.rules.add(target.rule)
        if rule_key == Category.UNMAPPED:
            notices.append((day, Notice("unmapped", line.line_no, m.UNMAPPED_LINE, {
                "line": line.line_no,
                "combination": " / ".join(part for part in line.combination if part),
                "amount": line.amount,
                "currency": currency,
                "account": target.contra_account,
            })))

    bookings: list[Booking] = []
    for key, group in groups.items():
        if group.amount == 0:
            continue
        day, document, marketplace, currency, contra, tax_key, text, eu_country, eu_rate, _ = key
        bookings.append(_booking(
            group.amount, clearing, contra, day, document, text, tax_key,  # type: ignore[arg-type]
            currency, settings, rule=min(group.rules, key=lambda r: (rule_rank(r), r)),
            marketplace=marketplace, source=report.key, lines=group.lines,  # type: ignore[arg-type]
            eu_country=eu_country, eu_rate=eu_rate,  # type: ignore[arg-type]
        ))
    bookings += _payout_booking(report, settings, accounts, home, clearing)

    files = split_into_files(
        kind="payout", key=report.key, bookings=bookings, notices=notices,
        settings=settings, accounts=accounts, marketplaces=report.marketplaces,
        **({"max_rows": max_rows} if max_rows else {}),
    )
    difference = check_balanced(files, clearing)
    if difference != 0:
        raise BookingError(
            "clearing_not_balanced", m.CLEARING_NOT_BALANCED, account=clearing, key=report.key,
            difference=difference, currency=report.currency,
        )
    return files


def _line_moment(line: Line, report: ParsedReport) -> datetime:
    moment = line.posted or report.period_end or report.deposit_date
    if moment is None:
        raise BookingError("missing_date", m.MISSING_DATE, line=line.line_no, key=report.key)
    return moment


def _rule_for(line: Line, deemed_orders: set[str]) -> tuple[str, bool]:
    """The rule key of a line and whether it is the refund side of revenue."""
    category = line.category
    if category in REVENUE_CATEGORIES:
        refund = is_settlement_refund(line)
        if category == Category.MARKETPLACE_WITHHELD_TAX or line.order_id in deemed_orders:
            return acc.DEEMED_SUPPLIER, refund
        if refund:
            return acc.REFUND, True
        return TAX_FOLDS.get(category, category).value, False
    if category in CATEGORY_RULES:
        return CATEGORY_RULES[category], False
    # UNMAPPED, and money on a line that should carry none (informational, stock moves).
    return Category.UNMAPPED, False


def _target(
    rule_key: str,
    refund: bool,
    marketplace: str,
    day: date,
    settings: DatevSettings,
    accounts: AccountSet,
) -> Target:
    rule = accounts.rule(rule_key, marketplace)
    template = rule.refund_text if refund and rule_key != acc.REFUND and rule.refund_text else rule.text
    text = render_text(template, display_name(marketplace), rule.eu_country, rule.eu_rate)
    marker = f"{rule_key}:refund" if refund and rule_key != acc.REFUND else rule_key
    if rule_key in SETTLEMENT_REVENUE_RULES and settings.revenue_source == "vat_report":
        # The order report books revenue; here the sale only clears the Amazon debtor.
        return Target(marker, accounts.rule(acc.DEBTOR, marketplace).account, "", text)
    return Target(marker, rule.account, resolve_tax_key(rule, day, settings), text,
                  rule.eu_country, rule.eu_rate)


def _booking(
    signed_amount: Decimal,
    clearing: str,
    contra: str,
    day: date,
    document: str,
    text: str,
    tax_key: str,
    currency: str,
    settings: DatevSettings,
    **extra: object,
) -> Booking:
    """A clearing-account booking: money in (positive) debits the clearing account."""
    rate, base = exchange(signed_amount, currency, settings)
    return Booking(
        amount=abs(signed_amount),
        side="S" if signed_amount > 0 else "H",
        account=clearing,
        contra_account=contra,
        date=day,
        document=document,
        text=text,
        tax_key=tax_key,
        currency=currency,
        rate=rate,
        base_amount=base,
        **extra,  # type: ignore[arg-type]
    )


def _payout_booking(
    report: ParsedReport,
    settings: DatevSettings,
    accounts: AccountSet,
    home: str,
    clearing: str,
) -> Iterable[Booking]:
    """The total leaves the clearing account on the deposit day (negative: comes in)."""
    if report.total == 0:
        return []
    moment = report.deposit_date or report.period_end
    if moment is None:
        raise BookingError("missing_deposit_date", m.MISSING_DEPOSIT_DATE, key=report.key)
    rule = accounts.rule(Category.PAYOUT, home)
    return [_booking(
        -report.total, clearing, rule.account, local_date(moment, settings.zone), report.key,
        render_text(rule.text, display_name(home)), "", report.currency, settings,
        rule=Category.PAYOUT, marketplace=home, source=report.key,
    )]
