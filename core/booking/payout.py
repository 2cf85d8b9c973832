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
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from core.booking.batching import rule_rank, split_into_files
from core.booking.dates import local_date
from core.booking.errors import BookingError
from core.booking.marketplaces import display_name
from core.booking.profiles import describe
from core.booking.rules import (
    CATEGORY_RULES,
    REVENUE_CATEGORIES,
    SETTLEMENT_REVENUE_RULES,
    TAX_FOLDS,
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
    home = home_marketplace(report)
    clearing = accounts.rule(acc.CLEARING, home).account
    deemed_orders = _orders_with(report, Category.MARKETPLACE_WITHHELD_TAX)

    groups: dict[tuple[object, ...], _Group] = {}
    notices: list[tuple[date, Notice]] = []
    # A 200,000-line settlement has a few hundred distinct amounts, days, rules and targets:
    # each is worked out once (bench/batch.py).
    whole_cents: set[Decimal] = set()
    days: dict[datetime | None, date] = {}
    targets: dict[tuple[object, ...], Target] = {}
    rules: dict[tuple[object, ...], tuple[str, bool]] = {}
    for line in report.lines:
        amount = line.amount
        if amount == 0:
            continue  # quantity-only rows and zero fees book nothing
        if amount not in whole_cents:
            if amount != amount.quantize(CENT):
                raise BookingError(
                    "amount_precision", m.AMOUNT_PRECISION, line=line.line_no, key=report.key,
                    amount=amount,
                )
            whole_cents.add(amount)
        day = days.get(line.posted)
        if day is None:
            day = days[line.posted] = local_date(_line_moment(line, report), settings.zone)
        marketplace = line.marketplace or home
        rule_at = (line.category, line.transaction_type, line.order_id in deemed_orders)
        rule = rules.get(rule_at)
        if rule is None:
            rule = rules[rule_at] = _rule_for(line, deemed_orders)
        rule_key, refund = rule
        # Lines of one kind, marketplace and day share their target (account lookups
        # through the tax profile are the hot part of a 200,000-line settlement).
        target_key = (rule_key, refund, marketplace, day)
        target = targets.get(target_key)
        if target is None:
            target = targets[target_key] = _target(rule_key, refund, marketplace, day, settings,
                                                   accounts)
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
    bookings = distribute_base_amounts(bookings, clearing)
    notices += _profile_notices(groups, accounts, settings)

    files = split_into_files(
        kind="payout", key=report.key, bookings=bookings, notices=notices,
        settings=settings, accounts=accounts, marketplaces=report.marketplaces,
        **({"max_rows": max_rows} if max_rows else {}),
    )
    difference = check_balanced(files, clearing)
    base_difference = check_balanced(files, clearing, base=True)
    if base_difference != 0:
        difference = base_difference
    if difference != 0:
        raise BookingError(
            "clearing_not_balanced", m.CLEARING_NOT_BALANCED, account=clearing, key=report.key,
            difference=difference, currency=report.currency,
        )
    return files


def _orders_with(report: ParsedReport, category: Category) -> set[str]:
    """Order ids with a line of `category`; stored lines answer from the database."""
    ask = getattr(report.lines, "order_ids_with", None)
    if ask is not None:
        return ask(category)
    return {line.order_id for line in report.lines if line.category == category and line.order_id}


def home_marketplace(report: ParsedReport) -> str:
    """The marketplace a settlement belongs to, for its lines without one (ads, subscription)
    and its clearing account: the Amazon marketplace most lines name. A settlement is paid
    out per marketplace account, so fees without a name follow its tax profile too (a
    .ca settlement's ads are never booked with German input VAT)."""
    ask = getattr(report.lines, "marketplace_counts", None)  # stored lines: one SQL query
    counts: dict[str, int] = ask() if ask is not None else {}
    if ask is None:
        for line in report.lines:
            if line.marketplace:
                counts[line.marketplace] = counts.get(line.marketplace, 0) + 1
    if not counts:
        return report.marketplaces[0] if len(report.marketplaces) == 1 else ""
    amazon = {m: n for m, n in counts.items() if m.strip().lower().startswith("amazon.")}
    return max(sorted(amazon or counts), key=lambda m: (amazon or counts)[m])


def distribute_base_amounts(bookings: list[Booking], clearing: str) -> list[Booking]:
    """EUR amounts (Basis-Umsatz) whose effect on the clearing account nets to zero.

    Each booking's exact EUR value is amount / rate; rounding each to the cent separately
    leaves a few cents on the clearing account. The cents are handed out by largest
    remainder, so every booking is off by less than a cent and the EUR side nets exactly
    when the foreign-currency side does.
    """
    rated = [i for i, b in enumerate(bookings) if b.rate is not None and b.signed(clearing) != 0]
    if not rated:
        return bookings
    exact = [bookings[i].signed(clearing) / bookings[i].rate for i in rated]  # type: ignore[operator]
    floors = [(x / CENT).to_integral_value(rounding="ROUND_FLOOR") for x in exact]
    missing = int(-sum(floors))  # cents to add so the floors sum to the exact total, 0
    order = sorted(range(len(rated)), key=lambda k: (exact[k] / CENT - floors[k]), reverse=True)
    cents = list(floors)
    for k in order[:max(missing, 0)]:
        cents[k] += 1
    # DATEV takes no Basis-Umsatz of 0,00: a booking worth less than half a cent gets one
    # cent, taken from the largest booking, so the sum stays exactly zero.
    largest = max(range(len(rated)), key=lambda k: abs(exact[k]))
    for k in range(len(rated)):
        if cents[k] == 0 and k != largest:
            step = 1 if exact[k] > 0 else -1
            cents[k] += step
            cents[largest] -= step
    out = list(bookings)
    for k, i in enumerate(rated):
        out[i] = replace(bookings[i], base_amount=abs(cents[k] * CENT))
    return out


def _profile_notices(groups: dict[tuple[object, ...], _Group], accounts: AccountSet,
                     settings: DatevSettings) -> list[tuple[date, Notice]]:
    """Say which tax profile each marketplace booked by while it is only a default."""
    seen: dict[str, date] = {}
    for key in groups:
        day, marketplace = key[0], key[2]
        if isinstance(marketplace, str) and marketplace and marketplace not in seen:
            seen[marketplace] = day  # type: ignore[assignment]
    out = []
    for marketplace, day in sorted(seen.items()):
        profile, confirmed = accounts.profile(marketplace, day)
        if confirmed or profile == "home":  # home is the plain default table
            continue
        facts = describe(profile, settings.chart, marketplace, day)
        out.append((day, Notice("profile_default", 0, m.PROFILE_DEFAULTS[profile], {
            "marketplace": display_name(marketplace), **facts})))
    return out


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
    rule = accounts.rule(rule_key, marketplace, day)
    template = rule.refund_text if refund and rule_key != acc.REFUND and rule.refund_text else rule.text
    text = render_text(template, display_name(marketplace), rule.eu_country, rule.eu_rate)
    marker = f"{rule_key}:refund" if refund and rule_key != acc.REFUND else rule_key
    if rule_key in SETTLEMENT_REVENUE_RULES and settings.revenue_source == "vat_report":
        # The order report books revenue; here the sale only clears the Amazon debtor.
        return Target(marker, accounts.rule(acc.DEBTOR, marketplace, day).account, "", text)
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
    """A clearing-account booking: money in (positive) debits the clearing account. Its EUR
    amount is set for all bookings together (distribute_base_amounts)."""
    rate = settings.rate_for(currency) if currency != "EUR" else None
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
        base_amount=None,
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
