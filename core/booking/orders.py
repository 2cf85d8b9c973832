"""Amazon Order: the monthly VAT Transactions Report → revenue per tax treatment.

Sales book the Amazon debtor (10000, S) against the revenue account of their treatment
(H); refunds the other way round. Domestic 19 % / 7 % go to the automatic accounts
8400/8300 (4400/4300), OSS distance sales to 8320/4320 with key 240 (shipped from
Germany) or 241 (from another EU warehouse) plus the destination country and rate
(columns 40/41; for 241 the seller's VAT id there in column 123), intra-EU B2B to
8125/4125 with the buyer's VAT id, exports to 8120/4120, deemed-supplier sales net on
their own account. Stock moved between warehouses (FC transfers, inbound shipments) is
listed for the bookkeeper, never booked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.booking.batching import split_into_files
from core.booking.dates import local_date
from core.booking.errors import BookingError
from core.booking.marketplaces import display_name
from core.booking.rules import exchange, is_vat_report_refund, resolve_tax_key
from core.datev import accounts as acc
from core.datev import messages as m
from core.datev.accounts import AccountSet, render_text
from core.datev.batch import BatchFile, Notice
from core.datev.booking import Booking
from core.datev.settings import DatevSettings
from core.reports.model import Category, Kind, Line, ParsedReport, TaxTreatment

CENT = Decimal("0.01")
HOME_COUNTRY = "DE"  # the seller's establishment; OSS key 240 = shipped from here
OSS_FROM_HOME, OSS_FROM_ABROAD = "240", "241"
# DATEV's automatic accounts switch to 16 % / 5 % by date (second half of 2020).
_DOMESTIC_RATES = {
    Decimal("19"): acc.DOMESTIC_19,
    Decimal("16"): acc.DOMESTIC_19,
    Decimal("7"): acc.DOMESTIC_7,
    Decimal("5"): acc.DOMESTIC_7,
}


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


def is_stock_movement(line: Line) -> bool:
    return line.category == Category.STOCK_MOVEMENT or (
        line.vat is not None and line.vat.treatment == TaxTreatment.NOT_TAXABLE
    )


def listed_lines(report: ParsedReport) -> list[Notice]:
    """Stock movements of a report, to show even in a month that has no bookings."""
    return [_listed(line) for line in report.lines if is_stock_movement(line)]


def build_orders(
    report: ParsedReport,
    settings: DatevSettings,
    accounts: AccountSet,
    *,
    max_rows: int | None = None,
) -> list[BatchFile]:
    if report.kind != Kind.VAT_TRANSACTIONS:
        raise BookingError(
            "wrong_kind", m.REPORT_WRONG_KIND, key=report.key, kind=report.kind,
            expected=Kind.VAT_TRANSACTIONS.value,
        )
    groups: dict[tuple[object, ...], list[Decimal | int | str]] = {}
    notices: list[tuple[date, Notice]] = []
    for line in report.lines:
        moment = line.posted or report.period_end
        if moment is None:
            raise BookingError("missing_date", m.MISSING_DATE, line=line.line_no, key=report.key)
        day = local_date(moment, settings.zone)
        if is_stock_movement(line):
            notices.append((day, _listed(line)))
            continue
        revenue = _classify(line)
        amount = line.amount
        if line.vat is not None and line.vat.treatment == TaxTreatment.DEEMED_SUPPLIER:
            # Amazon keeps and remits the VAT; the seller's revenue and claim are net.
            amount = line.vat.net
        if amount == 0:
            continue
        marketplace = line.marketplace
        debtor = accounts.rule(acc.DEBTOR, marketplace).account
        rule = accounts.rule(revenue.rule, marketplace)
        if revenue.rule == Category.UNMAPPED:
            notices.append((day, Notice("no_tax_treatment", line.line_no, m.NO_TAX_TREATMENT, {
                "line": line.line_no, "transaction_type": line.transaction_type,
                "account": rule.account,
            })))
        refund = is_vat_report_refund(line, amount)
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


def _classify(line: Line) -> _Revenue:
    vat = line.vat
    if vat is None:
        return _Revenue(Category.UNMAPPED)
    rate = None if vat.rate is None else vat.rate.quantize(CENT)
    ship_to = vat.ship_to.upper()
    match vat.treatment:
        case TaxTreatment.DOMESTIC:
            rule = _DOMESTIC_RATES.get(rate.normalize()) if rate is not None else None
            return _Revenue(rule, HOME_COUNTRY, rate) if rule else _Revenue(Category.UNMAPPED)
        case TaxTreatment.OSS:
            if rate is None or not re.fullmatch(r"[A-Z]{2}", ship_to):
                return _Revenue(Category.UNMAPPED)
            from_home = vat.ship_from.upper() in ("", HOME_COUNTRY)
            origin = "" if from_home else _vat_id(vat.seller_vat_id) or vat.ship_from.upper()
            return _Revenue(
                acc.OSS, ship_to, rate,
                tax_key=OSS_FROM_HOME if from_home else OSS_FROM_ABROAD,
                eu_country=ship_to, eu_rate=rate, origin_vat_id=origin,
            )
        case TaxTreatment.INTRA_EU_B2B:
            buyer = _vat_id(vat.buyer_vat_id)
            return _Revenue(acc.INTRA_EU_B2B, ship_to, rate, eu_country=buyer or ship_to[:2])
        case TaxTreatment.EXPORT:
            return _Revenue(acc.EXPORT, ship_to, rate)
        case TaxTreatment.DEEMED_SUPPLIER:
            return _Revenue(acc.DEEMED_SUPPLIER, ship_to, rate)
        case TaxTreatment.FOREIGN_DOMESTIC:
            # Taxed where the goods left from (the foreign warehouse), not where they went.
            return _Revenue(acc.FOREIGN_DOMESTIC, vat.ship_from.upper() or ship_to, rate)
    return _Revenue(Category.UNMAPPED)


def _vat_id(value: str) -> str:
    """A VAT id as DATEV's EU columns take it (≤ 15, letters and digits), or ""."""
    cleaned = re.sub(r"[^A-Za-z0-9+*]", "", value).upper()
    return cleaned if re.fullmatch(r"[A-Z]{2}[A-Z0-9+*]{2,13}", cleaned) else ""


def _listed(line: Line) -> Notice:
    vat = line.vat
    return Notice("listed", line.line_no, m.LISTED_STOCK_MOVEMENT, {
        "line": line.line_no,
        "transaction_type": line.transaction_type,
        "ship_from": vat.ship_from if vat else "",
        "ship_to": vat.ship_to if vat else "",
    })
