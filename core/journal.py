"""A batch's booking journal: its stored files read back as DATEV will read them.

The journal shows exactly what was written (each file re-read from its stored bytes,
never rebuilt), with the chart's account names, the totals per account and the balance
of the clearing account. `source_lines` traces one summarised booking back to the report
lines it sums by building the batch again with the settings snapshot it was built with.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from math import ceil

from core.booking.build import build_batch
from core.booking.errors import BookingError
from core.datev import accounts as acc
from core.datev.account_names import account_name
from core.datev.accounts import AccountSet
from core.datev.batch import iter_bookings
from core.datev.booking import Booking
from core.datev.settings import DatevSettings
from core.db import db
from core.imports import stored_report
from core.models import Batch, LineRow
from core.report_queries import Page

PER_PAGE = 100


@dataclass(frozen=True)
class JournalRow:
    file_no: int  # 1-based position of the file in the batch
    row_no: int  # 1-based position of the booking in its file (DATEV's row)
    booking: Booking
    account_name: str
    contra_name: str


@dataclass(frozen=True)
class AccountTotal:
    account: str
    name: str
    currency: str
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit


@dataclass(frozen=True)
class Journal:
    page: Page[JournalRow]  # this page's bookings
    totals: list[AccountTotal]
    balancing_account: str  # clearing (settlement) or debtor (VAT report)
    balancing_name: str
    balance: dict[str, Decimal]  # per currency
    has_eu: bool  # any booking fills DATEV's EU columns
    has_foreign_currency: bool
    chart: str


def _snapshot(batch: Batch) -> tuple[DatevSettings, AccountSet]:
    snapshot = json.loads(batch.settings)
    return DatevSettings.from_dict(snapshot["settings"]), AccountSet.from_dict(snapshot["accounts"])


def stored_bookings(batch: Batch) -> list[tuple[int, int, Booking]]:
    """(file no, row no, booking) of every stored file of the batch, in file order."""
    return list(_summary(batch).entries)


@dataclass(frozen=True)
class _Summary:
    entries: tuple[tuple[int, int, Booking], ...]
    totals: tuple[AccountTotal, ...]
    balancing_account: str
    balance: tuple[tuple[str, Decimal], ...]
    chart: str
    account_length: int
    has_eu: bool
    has_foreign_currency: bool


def _summary(batch: Batch) -> _Summary:
    """Everything a journal page needs beyond its rows. A stored batch never changes, so
    the few last ones read stay in memory: paging through a big batch reads it once. The
    key holds the database and the batch's creation time as well as its id, because SQLite
    may give a deleted batch's id to a new one."""
    return _cached_summary(str(db.database), batch.id, str(batch.created_at), batch.fingerprint)


@lru_cache(maxsize=4)
def _cached_summary(database: str, batch_id: int, created_at: str, fingerprint: str) -> _Summary:
    batch = Batch.get_by_id(batch_id)
    settings, accounts = _snapshot(batch)
    report = batch.report
    home = report.marketplace_list[0] if len(report.marketplace_list) == 1 else ""
    key = acc.CLEARING if report.kind == "settlement" else acc.DEBTOR
    balancing = accounts.rule(key, home).account

    entries: list[tuple[int, int, Booking]] = []
    for file_no, stored in enumerate(sorted(batch.files, key=lambda f: f.id), start=1):
        entries += [(file_no, row_no, b) for row_no, b in enumerate(iter_bookings(bytes(stored.data)), start=1)]
    debit: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    credit: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    balance: dict[str, Decimal] = defaultdict(Decimal)
    for _, _, b in entries:
        # S debits Konto and credits Gegenkonto; H the other way round.
        debited, credited = (b.account, b.contra_account) if b.side == "S" else (b.contra_account, b.account)
        debit[(debited, b.currency)] += b.amount
        credit[(credited, b.currency)] += b.amount
        balance[b.currency] += b.signed(balancing)
    zero = Decimal("0.00")
    totals = tuple(
        AccountTotal(a, account_name(a, settings.chart, settings.account_length), cur,
                     debit.get((a, cur), zero), credit.get((a, cur), zero))
        for a, cur in sorted(set(debit) | set(credit), key=lambda k: (_numeric(k[0]), k[1])))
    return _Summary(
        entries=tuple(entries), totals=totals, balancing_account=balancing,
        balance=tuple(balance.items()) or ((report.currency or "EUR", zero),),
        chart=settings.chart, account_length=settings.account_length,
        has_eu=any(b.eu_country or b.eu_rate is not None or b.origin_vat_id for _, _, b in entries),
        has_foreign_currency=any(b.currency != "EUR" for _, _, b in entries),
    )


def batch_journal(batch: Batch, page: int = 1, per_page: int = PER_PAGE) -> Journal:
    summary = _summary(batch)

    def name(account: str) -> str:
        return account_name(account, summary.chart, summary.account_length)

    total = len(summary.entries)
    number = min(max(1, page), max(1, ceil(total / per_page)))
    chunk = summary.entries[(number - 1) * per_page: number * per_page]
    rows = [JournalRow(f, r, b, name(b.account), name(b.contra_account)) for f, r, b in chunk]
    return Journal(
        page=Page(rows, number, per_page, total), totals=list(summary.totals),
        balancing_account=summary.balancing_account, balancing_name=name(summary.balancing_account),
        balance=dict(summary.balance), has_eu=summary.has_eu,
        has_foreign_currency=summary.has_foreign_currency, chart=summary.chart,
    )


def _numeric(account: str) -> tuple[int, str]:
    return (int(account) if account.isdigit() else 0, account)


@dataclass(frozen=True)
class Trace:
    booking: Booking
    lines: list[LineRow]
    whole_report: bool  # the payout booking moves the settlement's total, not single lines


def _key(b: Booking) -> tuple:
    return (b.amount, b.side, b.account, b.contra_account, b.date, b.document)


@lru_cache(maxsize=2)
def _rebuilt(database: str, batch_id: int, created_at: str, fingerprint: str) -> dict | None:
    """{(file no, row no): (booking's key fields, its line numbers)} of the batch built again
    with its own settings snapshot; kept for the next click on the same batch."""
    batch = Batch.get_by_id(batch_id)
    settings, accounts = _snapshot(batch)
    try:  # only the bookings: no file is rendered or validated for a trace
        files = build_batch(stored_report(batch.report_id), settings, accounts)
    except BookingError:
        return None
    return {(f, r): (_key(b), b.line_nos) for f, file in enumerate(files, start=1)
            for r, b in enumerate(file.bookings, start=1)}


def source_lines(batch: Batch, file_no: int, row_no: int, limit: int = 1000) -> Trace | None:
    """The report lines a stored booking sums, or None when it cannot be traced.

    The batch is built again from the stored lines with the settings it was built with;
    the booking at the same place must be the stored one, or the trace is refused (the
    report's lines changed since, e.g. a category was mapped).
    """
    stored = [b for f, r, b in _summary(batch).entries if (f, r) == (file_no, row_no)]
    rebuilt = _rebuilt(str(db.database), batch.id, str(batch.created_at), batch.fingerprint)
    if not stored or rebuilt is None or (file_no, row_no) not in rebuilt:
        return None
    booking = stored[0]
    key, line_nos = rebuilt[(file_no, row_no)]
    if key != _key(booking):
        return None
    if not line_nos:
        return Trace(booking, [], whole_report=True)
    lines = list(LineRow.select().where(LineRow.report == batch.report_id,
                                        LineRow.line_no.in_(list(line_nos[:limit])))
                 .order_by(LineRow.line_no))
    return Trace(booking, lines, whole_report=False)
