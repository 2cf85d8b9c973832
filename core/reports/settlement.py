"""Settlement (payout) flat files: the shared summary-row handling and the V2 layout.

Layout (notes §1.2): tab-separated, no quoting, a header, then one summary row with
settlement id, period, deposit date, total and currency, then detail rows. Columns are
found by name; `promotion-id` and any unknown column are optional and end up in
`Line.extra`. The number format is decided from the summary total and currency, and the
lines must add up to that total (checked by `ParsedReport.reconciles`, never forced).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from core.reports import errors
from core.reports.classify import Classifier
from core.reports.dates import DMY, MDY, BadDate, DateParser, InconsistentDate, slash_order_in
from core.reports.model import Category, Kind, Line
from core.reports.numbers import BadNumber, NumberFormat
from core.reports.reader import Columns, Reader, fit_row, marketplace_name

SUMMARY_COLUMNS = (
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date",
    "total-amount", "currency",
)
V2_REQUIRED = (*SUMMARY_COLUMNS, "transaction-type", "amount-type", "amount-description",
               "amount")
V2_COLUMNS = (
    "settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date",
    "total-amount", "currency", "transaction-type", "order-id", "merchant-order-id",
    "adjustment-id", "shipment-id", "marketplace-name", "amount-type", "amount-description",
    "amount", "fulfillment-id", "posted-date", "posted-date-time", "order-item-code",
    "merchant-order-item-id", "merchant-adjustment-item-id", "sku", "quantity-purchased",
    "promotion-id",
)
# Columns a Line models directly; every other non-empty cell goes to Line.extra.
MODELLED = frozenset({
    *SUMMARY_COLUMNS, "transaction-type", "order-id", "adjustment-id", "marketplace-name",
    "amount-type", "amount-description", "amount", "fulfillment-id", "posted-date",
    "posted-date-time", "sku", "quantity-purchased",
})
_MDY_CURRENCIES = frozenset({"USD", "CAD", "MXN"})
_ZERO = Decimal("0")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def is_settlement_header(cells: list[str]) -> bool:
    return "settlement-id" in cells and "transaction-type" in cells


class SettlementReader(Reader):
    """Reads the header facts from the summary row; subclasses turn rows into lines."""

    kind = Kind.SETTLEMENT
    required: tuple[str, ...] = V2_REQUIRED

    def __init__(self, rows: Iterator[tuple[int, str]], header: list[str], header_no: int,
                 data: bytes, filename: str | None, classify: Classifier) -> None:
        self.filename = filename
        self.classify = classify
        self._data = data
        self._rows = rows
        self.cols = Columns(header)
        self.width = len(header)
        missing = self.cols.missing(self.required)
        if missing:
            raise errors.unknown_layout(filename, header_no, errors.UNKNOWN_LAYOUT_SETTLEMENT,
                                        missing)
        self.dates = DateParser()
        self._slash_scanned = False
        self._read_summary(header_no)

    # -- summary row ---------------------------------------------------------------------

    def _next_row(self) -> tuple[int, list[str]] | None:
        for line_no, text in self._rows:
            if not text or text.isspace():
                continue
            cells = text.split("\t")
            if len(cells) != self.width:
                cells = fit_row(cells, self.width, self.filename, line_no)
            return line_no, [cell.strip() for cell in cells]
        return None

    def _read_summary(self, header_no: int) -> None:
        first = self._next_row()
        if first is None:
            raise errors.no_rows(self.filename, header_no + 1)
        line_no, cells = first
        col = self.cols.index
        total_text = cells[col["total-amount"]]
        if not total_text:
            raise errors.no_summary(self.filename, line_no)
        self.settlement_id = cells[col["settlement-id"]]
        if not self.settlement_id:
            raise errors.missing_value(self.filename, line_no, "settlement-id")
        self.currency = cells[col["currency"]].upper()
        if not self.currency:
            raise errors.missing_value(self.filename, line_no, "currency")
        self.key = self.settlement_id
        self.numbers = NumberFormat.guess(total_text, self.currency)
        self.total = self.amount(total_text, line_no, "total-amount")
        self.dates.default_slash = MDY if self.currency in _MDY_CURRENCIES else DMY
        self.period_start = self.date(cells[col["settlement-start-date"]], line_no,
                                      "settlement-start-date")
        self.period_end = self.date(cells[col["settlement-end-date"]], line_no,
                                    "settlement-end-date")
        self.deposit_date = self.date(cells[col["deposit-date"]], line_no, "deposit-date")
        self.summary_line = line_no

    # -- cell helpers --------------------------------------------------------------------

    def amount(self, text: str, line_no: int, column: str) -> Decimal:
        try:
            return self.numbers.parse(text)
        except BadNumber:
            raise errors.bad_number(self.filename, line_no, column, text) from None

    def date(self, text: str, line_no: int, column: str,
             reference: datetime | None = None) -> datetime | None:
        if not text:
            return None
        if not self._slash_scanned and "/" in text:
            # Settle the day/month order from the whole file before the first slash date.
            self._slash_scanned = True
            self.dates.slash_order = self.dates.slash_order or slash_order_in(self._data)
        try:
            return self.dates.parse(text, reference)
        except InconsistentDate:
            raise errors.inconsistent_date(self.filename, line_no, column, text) from None
        except BadDate:
            raise errors.bad_date(self.filename, line_no, column, text) from None

    def quantity(self, text: str, line_no: int, column: str) -> int | None:
        if not text:
            return None
        if len(text) > 12 or not _INTEGER.fullmatch(text):
            raise errors.bad_integer(self.filename, line_no, column, text)
        return int(text)

    def check_row(self, cells: list[str], line_no: int) -> None:
        """Summary-only cells must be empty and the settlement id the same on detail rows."""
        col = self.cols.index
        sid = cells[col["settlement-id"]]
        if sid and sid != self.settlement_id:
            raise errors.mixed_settlements(self.filename, line_no, self.settlement_id, sid)
        if cells[col["total-amount"]]:
            raise errors.duplicate_summary(self.filename, line_no)
        currency = cells[col["currency"]]
        if currency and currency.upper() != self.currency:
            raise errors.mixed_currencies(self.filename, line_no, self.currency, currency)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Detail rows as stripped cells, checked against the summary."""
        width, filename, check = self.width, self.filename, self.check_row
        col = self.cols.index
        sid_at, total_at, cur_at = col["settlement-id"], col["total-amount"], col["currency"]
        sid = self.settlement_id
        for line_no, text in self._rows:
            if not text or text.isspace():
                continue
            cells = text.split("\t")
            if len(cells) != width:
                cells = fit_row(cells, width, filename, line_no)
            # Strip only when a cell can carry padding (seen after the last amount).
            if " \t" in text or "\t " in text or text[-1:].isspace() or text[:1].isspace():
                cells = [cell.strip() for cell in cells]
            if (cells[sid_at] and cells[sid_at] != sid) or cells[total_at] or cells[cur_at]:
                check(cells, line_no)
            yield line_no, cells


class SettlementV2Reader(SettlementReader):
    layout = "settlement_v2"

    def lines(self) -> Iterator[Line]:
        col = self.cols.index
        g = col.get
        tt_at, at_at, ad_at, amount_at = (col["transaction-type"], col["amount-type"],
                                          col["amount-description"], col["amount"])
        order_at, adj_at, sku_at = g("order-id"), g("adjustment-id"), g("sku")
        qty_at, market_at, ful_at = g("quantity-purchased"), g("marketplace-name"), \
            g("fulfillment-id")
        pdt_at, pd_at = g("posted-date-time"), g("posted-date")
        extra_at = [(name, i) for i, name in enumerate(self.cols.names)
                    if name not in MODELLED]
        currency, sid = self.currency, self.settlement_id
        numbers_cache = self.numbers._cache
        dates_cache = self.dates._cache
        classify, amount, date = self.classify, self.amount, self.date
        informational = Category.INFORMATIONAL
        zero = _ZERO
        for line_no, cells in self.rows():
            tt, at, ad = cells[tt_at], cells[at_at], cells[ad_at]
            text = cells[amount_at]
            if text:
                value = numbers_cache.get(text)
                if value is None:
                    value = amount(text, line_no, "amount")
                category = classify(tt, at, ad)
            else:  # no money on this row: keep it, but it books nothing
                value, category = zero, informational
            posted = None
            if pdt_at is not None and cells[pdt_at]:
                stamp = cells[pdt_at]
                posted = dates_cache.get(stamp) or date(stamp, line_no, "posted-date-time")
            elif pd_at is not None and cells[pd_at]:
                posted = date(cells[pd_at], line_no, "posted-date")
            qty_text = cells[qty_at] if qty_at is not None else ""
            market = cells[market_at] if market_at is not None else ""
            yield Line(
                line_no, posted, tt, at, ad, value, category,
                cells[order_at] if order_at is not None else "",
                cells[adj_at] if adj_at is not None else "",
                cells[sku_at] if sku_at is not None else "",
                (int(qty_text) if qty_text.isdecimal() and len(qty_text) < 10
                 else self.quantity(qty_text, line_no, "quantity-purchased")),
                marketplace_name(market) if market else "",
                cells[ful_at] if ful_at is not None else "",
                sid, currency, None,
                {name: cells[i] for name, i in extra_at if cells[i]},
            )
