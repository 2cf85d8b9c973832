"""Cutting a report's bookings into DATEV batch files.

One file per month (setting) and always per calendar and fiscal year, never more than
99,999 bookings; each file gets its own Datum vom/bis (first and last booking day), its
label and a file name `EXTF_Buchungsstapel_<kind>_<key>_<YYYYMM>[_<n>].csv`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from core.booking.dates import period_of
from core.booking.marketplaces import country_code
from core.datev import messages as m
from core.datev.accounts import RULE_KEYS, AccountSet
from core.datev.batch import BatchFile, Notice, batch_file_fingerprint
from core.datev.booking import Booking
from core.datev.extf import MAX_BOOKINGS, Header
from core.datev.settings import DatevSettings
from core.reports.model import Category

KIND_LABELS = {"payout": "Payout", "orders": "Order"}


def rule_rank(rule: str) -> int:
    base = rule.split(":", 1)[0]
    return RULE_KEYS.index(base) if base in RULE_KEYS else len(RULE_KEYS)


def booking_order(b: Booking) -> tuple[object, ...]:
    """Day, document, then the order of the rules table (revenue, refunds, fees, payout)."""
    return (b.date, b.document, rule_rank(b.rule), b.rule, b.side, b.contra_account, b.text)


def file_name(kind: str, key: str, first_day: date, part: int | None) -> str:
    safe_key = re.sub(r"[^A-Za-z0-9-]+", "-", key).strip("-") or "report"
    suffix = f"_{part}" if part else ""
    return f"EXTF_Buchungsstapel_{kind}_{safe_key}_{first_day:%Y%m}{suffix}.csv"


def split_into_files(
    *,
    kind: str,
    key: str,
    bookings: Iterable[Booking],
    notices: Sequence[tuple[date, Notice]],
    settings: DatevSettings,
    accounts: AccountSet,
    marketplaces: list[str],
    max_rows: int = MAX_BOOKINGS,
) -> list[BatchFile]:
    fingerprint = batch_file_fingerprint(settings, accounts)
    by_period: dict[tuple[date, int, int], list[Booking]] = defaultdict(list)
    for booking in bookings:
        by_period[_period(booking.date, settings)].append(booking)

    notices_by_period: dict[tuple[date, int, int], list[Notice]] = defaultdict(list)
    for day, notice in notices:
        period = _period(day, settings)
        # A notice whose day has no bookings goes to the nearest file, never lost.
        if period not in by_period and by_period:
            period = min(by_period, key=lambda p: abs((by_period[p][0].date - day).days))
        notices_by_period[period].append(notice)

    files: list[BatchFile] = []
    for period in sorted(by_period):
        rows = sorted(by_period[period], key=booking_order)
        chunks = [rows[i : i + max_rows] for i in range(0, len(rows), max_rows)]
        for number, chunk in enumerate(chunks, start=1):
            first, last = chunk[0].date, chunk[-1].date
            header = Header(
                beraternummer=settings.beraternummer,
                mandantennummer=settings.mandantennummer,
                fiscal_year_start=period[0],
                account_length=settings.account_length,
                date_from=first,
                date_to=last,
                label=settings.render_label(
                    marketplace=country_code(marketplaces),
                    period=f"{first:%Y-%m}",
                    key=key,
                    kind=KIND_LABELS.get(kind, kind),
                ),
                diktatkuerzel=settings.diktatkuerzel,
                chart=settings.chart,
                application_info=fingerprint[:16],
            )
            files.append(
                BatchFile(
                    kind=kind,
                    key=key,
                    header=header,
                    bookings=tuple(chunk),
                    filename=file_name(kind, key, first, number if len(chunks) > 1 else None),
                    settings_fingerprint=fingerprint,
                    notices=(*suspense_notices(chunk),
                             *(notices_by_period.pop(period, []) if number == 1 else ())),
                )
            )
    return files


def suspense_notices(bookings: Sequence[Booking]) -> list[Notice]:
    """One loud notice when bookings of a file went to the suspense account, with how many
    and how much per currency; the notices that follow it say why, line by line."""
    hits = [b for b in bookings if b.rule.split(":", 1)[0] == Category.UNMAPPED]
    if not hits:
        return []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for b in hits:
        totals[b.currency] += b.amount if b.side == "S" else -b.amount
    accounts = sorted({b.contra_account for b in hits})
    return [Notice("suspense", 0, m.SUSPENSE, {
        "count": len(hits), "total": len(bookings), "account": ", ".join(accounts),
        "amounts": ", ".join(f"{abs(v):.2f} {c}" for c, v in sorted(totals.items())),
        "lines": sum(b.lines for b in hits),
    })]


def _period(day: date, settings: DatevSettings) -> tuple[date, int, int]:
    return period_of(day, settings.fiscal_year_start_month, settings.split_months)
