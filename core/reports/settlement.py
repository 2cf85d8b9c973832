"""Settlement (payout) flat files: the shared summary-row handling and the V2 layout.

Layout (docs/report-formats.md#settlement-v2): tab-separated, no quoting, a header, then one summary row with
settlement id, period, deposit date, total and currency, then detail rows. Columns are
found by name; `promotion-id` and any unknown column are optional and end up in
`Line.extra`. The number format is decided from the summary total and currency, and the
lines must add up to that total (checked by `ParsedReport.reconciles`, never forced).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from operator import itemgetter

from core.reports import errors
from core.reports.classify import Classifier
from core.reports.dates import DMY, MDY, BadDate, DateParser, InconsistentDate, slash_order_in
from core.reports.model import Category, Kind, Line
from core.reports.numbers import BadNumber, NumberFormat, parse_quantity
from core.reports.reader import Columns, Reader, RowExtra, fit_row, marketplace_name

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


def _padded(text: str) -> bool:
    """Whether a row may carry spaces around cells (seen after the last amount), so that
    only such rows pay for stripping every cell."""
    return " \t" in text or "\t " in text or text[-1:] == " " or text[:1] == " "


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
        try:
            return parse_quantity(text)
        except BadNumber:
            raise errors.bad_integer(self.filename, line_no, column, text) from None

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
            if _padded(text):
                cells = [cell.strip() for cell in cells]
            if (cells[sid_at] and cells[sid_at] != sid) or cells[total_at] or cells[cur_at]:
                check(cells, line_no)
            yield line_no, cells


class SettlementV2Reader(SettlementReader):
    layout = "settlement_v2"
    tallies_itself = True  # the hot loop below keeps the stream's totals itself

    def lines(self) -> Iterator[Line]:
        col = self.cols.index
        width = self.width

        def at(name: str) -> int:  # a missing optional column reads the appended ""
            return col.get(name, width)

        wanted = ("transaction-type", "amount-type", "amount-description", "amount", "order-id",
                  "adjustment-id", "sku", "quantity-purchased", "marketplace-name",
                  "fulfillment-id", "posted-date-time", "posted-date", "settlement-id",
                  "total-amount", "currency")
        fields = itemgetter(*map(at, wanted))
        extra_names = [name for name in self.cols.names if name not in MODELLED]
        # itemgetter of the extra cells (+ the padding "" so it always returns a tuple)
        extra_cells = itemgetter(*[col[name] for name in extra_names], width)
        extra_names.append("")
        pad = [""]
        currency, sid, filename, check = self.currency, self.settlement_id, self.filename, \
            self.check_row
        numbers_cache, dates_cache = self.numbers._cache, self.dates._cache
        classify, amount, date = self.classify, self.amount, self.date
        categories = classify.cache
        informational, unmapped_category, zero = Category.INFORMATIONAL, Category.UNMAPPED, \
            _ZERO
        markets: dict[str, str] = {"": ""}
        tally = self.tally
        totals, unmapped, seen_markets = tally.categories, tally.unmapped, tally.markets
        quantities: dict[str, int | None] = {"": None, **{str(n): n for n in range(100)}}
        count = 0
        try:
            # The hot path for big files: rows() is inlined and every lookup is local.
            for line_no, text in self._rows:
                if not text:
                    continue
                cells = text.split("\t")
                if len(cells) != width:
                    if text.isspace():
                        continue
                    cells = fit_row(cells, width, filename, line_no)
                if " \t" in text or "\t " in text or text[-1] == " " or text[0] == " ":
                    cells = [cell.strip() for cell in cells]
                cells += pad
                (tt, at_, ad, money, order_id, adjustment_id, sku, qty_text, market,
                 fulfillment, stamp, day, sid_cell, total_cell, currency_cell) = fields(cells)
                if total_cell or currency_cell or (sid_cell != sid and sid_cell):
                    check(cells, line_no)
                if money:
                    value = numbers_cache.get(money)
                    if value is None:
                        value = amount(money, line_no, "amount")
                    category = categories.get((tt, at_, ad)) or classify(tt, at_, ad)
                else:  # no money on this row: keep it, but it books nothing
                    value, category = zero, informational
                if stamp:
                    posted = dates_cache.get(stamp) or date(stamp, line_no, "posted-date-time")
                elif day:
                    posted = date(day, line_no, "posted-date")
                else:
                    posted = None
                market_name = markets.get(market)
                if market_name is None:
                    market_name = markets[market] = marketplace_name(market)
                    if market_name:
                        seen_markets.add(market_name)
                quantity = quantities.get(qty_text, -1)
                if quantity == -1:
                    quantity = self.quantity(qty_text, line_no, "quantity-purchased")
                count += 1
                totals[category] = totals.get(category, zero) + value
                if category is unmapped_category:
                    unmapped[(tt, at_, ad)] = unmapped.get((tt, at_, ad), 0) + 1
                yield Line(
                    line_no, posted, tt, at_, ad, value, category, order_id, adjustment_id,
                    sku, quantity, market_name, fulfillment, sid, currency, None,
                    RowExtra(extra_names, extra_cells(cells)),
                )
        finally:
            tally.count = count
        tally.finished = True
