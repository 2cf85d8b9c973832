"""Amazon Order: the monthly VAT Transactions Report → revenue per tax treatment.

Each row's treatment comes from `core.booking.treatment.decide` (docs/tax-rules.md §3):
sales book the Amazon debtor (10000, S) against the revenue account of their case (H),
refunds the other way round with the same key and EU columns. Own goods moved between
warehouses (Verbringen) are listed with value, countries, the seller's VAT id and what the
returns need; they are booked against a clearing account only when the setting asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.booking.batching import split_into_files
from core.booking.dates import local_date
from core.booking.errors import BookingError
from core.booking.marketplaces import display_name
from core.booking.rules import exchange, is_vat_report_refund, resolve_tax_key
from core.booking.treatment import Case, RowFacts, TaxSettings, Treatment, decide
from core.datev import accounts as acc
from core.datev import messages as m
from core.datev.accounts import AccountSet, render_text
from core.datev.batch import BatchFile, Notice
from core.datev.booking import Booking
from core.datev.settings import DatevSettings
from core.reports.model import Category, Kind, Line, ParsedReport, TaxTreatment

CENT = Decimal("0.01")
VERBRINGEN_CASES = (Case.VERBRINGEN_OUT, Case.VERBRINGEN_IN)


@dataclass(frozen=True)
class _Revenue:
    """Where one VAT report row books, before amounts are summed."""

    rule: str
    country: str = ""  # for the text
    rate: Decimal | None = None
    tax_key: str | None = ""  # None = take the rule's key
    eu_country: str = ""
    eu_rate: Decimal | None = None
    origin_vat_id: str = ""


def facts_of(line: Line) -> RowFacts:
    """The plain facts `decide` needs from a stored or parsed VAT report line."""
    vat = line.vat
    if vat is None:
        return RowFacts(line.transaction_type)
    transfer = line.transaction_type.upper() == "FC_TRANSFER"
    return RowFacts(
        transaction_type=line.transaction_type, depart=vat.ship_from, arrive=vat.ship_to,
        buyer_vat_id=vat.buyer_vat_id, vat=vat.vat, rate=vat.rate,
        jurisdiction=vat.jurisdiction, scheme=vat.scheme, collection=vat.collection,
        seller_vat_id=vat.seller_vat_id,
        # For a transfer the parser keeps the seller's id in the arrival country here.
        seller_arrive_vat_id=vat.seller_vat_id if transfer else "",
    )


def tax_settings(settings: DatevSettings) -> TaxSettings:
    """The choices of docs/tax-rules.md §3 that the user makes on the settings page."""
    return TaxSettings(settings.deemed_from_home, settings.verbringen)


def treatment_of(line: Line, day: date, settings: DatevSettings) -> Treatment:
    return decide(facts_of(line), day, tax_settings(settings))


def is_stock_movement(line: Line) -> bool:
    return line.category == Category.STOCK_MOVEMENT or (
        line.vat is not None and line.vat.treatment == TaxTreatment.NOT_TAXABLE
    )


def listed_lines(report: ParsedReport, settings: DatevSettings | None = None) -> list[Notice]:
    """Stock movements of a report, to show even in a month that has no bookings."""
    settings = settings or DatevSettings()
    out = []
    for line in report.lines:
        if not is_stock_movement(line):
            continue
        moment = line.posted or report.period_end
        day = local_date(moment, settings.zone) if moment else date.today()
        out.append(_listed(line, treatment_of(line, day, settings), report, settings, None))
    return out


def build_orders(
    report: ParsedReport,
    settings: DatevSettings,
    accounts: AccountSet,
    *,
    max_rows: int | None = None,
    skip_months: Mapping[str, str] | None = None,
) -> list[BatchFile]:
    """The Amazon Order files of a VAT report; rows of a month in `skip_months`
    ({"YYYY-MM": other report key}) are booked by that overlapping report instead."""
    if report.kind != Kind.VAT_TRANSACTIONS:
        raise BookingError(
            "wrong_kind", m.REPORT_WRONG_KIND, key=report.key, kind=report.kind,
            expected=Kind.VAT_TRANSACTIONS.value,
        )
    groups: dict[tuple[object, ...], list[Decimal | int | str]] = {}
    notices: list[tuple[date, Notice]] = []
    skipped: dict[str, list[object]] = {}
    decided: dict[tuple[RowFacts, date], Treatment] = {}
    tax = tax_settings(settings)
    for line in report.lines:
        moment = line.posted or report.period_end
        if moment is None:
            raise BookingError("missing_date", m.MISSING_DATE, line=line.line_no, key=report.key)
        day = local_date(moment, settings.zone)
        month = f"{moment.year:04d}-{moment.month:02d}"  # Amazon's activity month (UTC)
        if skip_months and month in skip_months:
            entry = skipped.setdefault(month, [day, 0])
            entry[1] += 1  # type: ignore[operator]
            continue
        facts = facts_of(line)
        treatment = decided.get((facts, day))
        if treatment is None:  # rows of a month repeat a few fact patterns many times
            treatment = decided[(facts, day)] = decide(facts, day, tax)
        if treatment.case in VERBRINGEN_CASES or not treatment.booked:
            if treatment.case in VERBRINGEN_CASES or is_stock_movement(line) or line.amount:
                notices.append((day, _listed(line, treatment, report, settings, accounts)))
            if not (treatment.booked and _value(line)):
                continue
        revenue = _revenue(treatment, line)
        amount = line.amount
        if treatment.net_only and line.vat is not None:
            # Amazon keeps and remits the VAT; the seller's revenue and claim are net.
            amount = line.vat.net
        marketplace = line.marketplace
        debtor = accounts.rule(acc.DEBTOR, marketplace).account
        if treatment.case in VERBRINGEN_CASES:
            # Own goods, no money: the clearing account takes the place of the debtor;
            # out of Germany it is credited to 8125 (S clearing), into Germany debited.
            debtor = accounts.rule(acc.VERBRINGEN_CLEARING, marketplace).account
            amount = _value(line) if treatment.case == Case.VERBRINGEN_OUT else -_value(line)
        if amount == 0:
            continue
        rule = accounts.rule(revenue.rule, marketplace)
        if revenue.rule == Category.UNMAPPED:
            notices.append((day, Notice("no_tax_treatment", line.line_no, m.NO_TAX_TREATMENT, {
                "line": line.line_no, "transaction_type": line.transaction_type,
                "account": rule.account,
            })))
        for code in treatment.notices:
            if code in m.TAX_NOTICES:
                notices.append((day, _tax_notice(code, line, treatment, day, rule.account)))
        refund = is_vat_report_refund(line, amount) and treatment.case not in VERBRINGEN_CASES
        template = (rule.refund_text or rule.text) if refund else rule.text
        text = render_text(template, display_name(marketplace), revenue.country, revenue.rate)
        tax_key = revenue.tax_key if revenue.tax_key is not None else resolve_tax_key(
            rule, day, settings)
        order = line.order_id or (line.vat.event_id if line.vat else "")
        document = order if settings.granularity == "order" and order else report.key
        currency = line.currency or report.currency
        rule_name = f"{revenue.rule}:refund" if refund else revenue.rule
        key = (day, document, marketplace, currency, debtor, rule.account, tax_key, text,
               revenue.eu_country, revenue.eu_rate, revenue.origin_vat_id, rule_name)
        group = groups.setdefault(key, [Decimal(0), 0])
        group[0] += amount  # type: ignore[operator]
        group[1] += 1  # type: ignore[operator]

    for month, (day, count) in sorted(skipped.items()):
        notices.append((day, Notice("skipped_overlap", 0, m.SKIPPED_OVERLAP, {  # type: ignore[arg-type]
            "count": count, "month": month, "other": (skip_months or {})[month]})))
    bookings: list[Booking] = []
    for key, (total, count) in groups.items():
        (day, document, marketplace, currency, debtor, contra, tax_key, text,
         eu_country, eu_rate, origin, rule_name) = key
        amount = Decimal(total).quantize(CENT, ROUND_HALF_UP)
        if amount == 0:
            continue
        rate, base = exchange(amount, currency, settings)  # type: ignore[arg-type]
        bookings.append(Booking(
            amount=abs(amount), side="S" if amount > 0 else "H",
            account=debtor, contra_account=contra, date=day, document=document,  # type: ignore[arg-type]
            text=text, tax_key=tax_key, currency=currency,  # type: ignore[arg-type]
            rate=rate, base_amount=base,
            eu_country=eu_country, eu_rate=eu_rate, origin_vat_id=origin,  # type: ignore[arg-type]
            rule=rule_name, marketplace=marketplace, source=report.key,  # type: ignore[arg-type]
            lines=int(count),
        ))
    return split_into_files(
        kind="orders", key=report.key, bookings=bookings, notices=notices,
        settings=settings, accounts=accounts, marketplaces=report.marketplaces,
        **({"max_rows": max_rows} if max_rows else {}),
    )


def _revenue(t: Treatment, line: Line) -> _Revenue:
    """The booking target of a treatment: rule, text country and rate, key, EU columns."""
    vat = line.vat
    ship_from = vat.ship_from.upper() if vat else ""
    ship_to = vat.ship_to.upper() if vat else ""
    text_country = {
        Case.FOREIGN_EU: t.taxed_in or ship_from,
        Case.THIRD_COUNTRY: ship_from,
        Case.VERBRINGEN_IN: ship_from,
        Case.DOMESTIC: "DE",
    }.get(t.case, ship_to)
    return _Revenue(t.rule, text_country, t.rate, tax_key=t.tax_key, eu_country=t.eu_country,
                    eu_rate=t.eu_rate, origin_vat_id=t.origin_vat_id)


def _value(line: Line) -> Decimal:
    """What a transfer row says the goods are worth (net; Amazon's cost price if given)."""
    if line.vat is not None and line.vat.net:
        return abs(line.vat.net)
    return abs(line.amount)


def _tax_notice(code: str, line: Line, t: Treatment, day: date, account: str) -> Notice:
    vat = line.vat
    return Notice("tax_" + code, line.line_no, m.TAX_NOTICES[code], {
        "line": line.line_no, "case": t.case.value, "country": t.taxed_in or "",
        "buyer_vat_id": vat.buyer_vat_id if vat else "",
        "rate": "" if t.rate is None else f"{t.rate.normalize():f}",
        "date": day.strftime("%d.%m.%Y"), "account": account,
        "ship_from": vat.ship_from if vat else "", "ship_to": vat.ship_to if vat else "",
    })


def _listed(line: Line, t: Treatment, report: ParsedReport, settings: DatevSettings,
            accounts: AccountSet | None) -> Notice:
    vat = line.vat
    ship_from = vat.ship_from if vat else ""
    ship_to = vat.ship_to if vat else ""
    if t.case not in VERBRINGEN_CASES:
        return Notice("listed", line.line_no, m.LISTED_STOCK_MOVEMENT, {
            "line": line.line_no, "transaction_type": line.transaction_type,
            "ship_from": ship_from, "ship_to": ship_to,
        })
    params: dict[str, object] = {
        "line": line.line_no, "ship_from": ship_from, "ship_to": ship_to,
        "value": f"{_value(line):.2f}", "currency": line.currency or report.currency or "EUR",
        "vat_id": (vat.seller_vat_id if vat else "") or "—", "returns": t.returns,
    }
    if t.booked and accounts is not None:
        params["account"] = accounts.rule(t.rule, line.marketplace).account
        params["clearing"] = accounts.rule(acc.VERBRINGEN_CLEARING, line.marketplace).account
        return Notice("verbringen", line.line_no, m.VERBRINGEN_BOOKED, params)
    return Notice("verbringen", line.line_no, m.VERBRINGEN_LISTED, params)
