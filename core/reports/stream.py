"""`stream()` yields a report's lines one by one; `parse()` collects them.

    s = stream(data, "settlement.txt")
    s.kind, s.key, s.total           # settlement: known right away (after the summary row)
    for line in s: ...               # one Line at a time; nothing else is kept
    s.lines_sum, s.count, s.category_totals(), s.unmapped(), s.marketplaces

For VAT Transactions and Date Range reports `key`, `period_start`, `period_end`,
`currency` and `total` (= sum of the lines) are only final after iteration (`s.finished`);
before that they are None / empty. Only `ReportError` leaves `stream()`, its iteration and
`parse()`; `parse()` additionally turns an unexpected exception into a ReportError with
code `internal_error`, so a bug never surfaces as a traceback to the user.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal

from core.reports import errors
from core.reports.classify import Key, make_classifier
from core.reports.detect import open_reader
from core.reports.model import Category, Kind, Line, ParsedReport, ReportError
from core.reports.reader import ZERO, Reader, Tally


class ReportStream:
    """A report being read: header facts now, lines on iteration, totals afterwards."""

    def __init__(self, reader: Reader, filename: str | None, encoding: str) -> None:
        self._reader = reader
        self._tally = reader.tally = Tally()
        self.filename = filename
        self.encoding = encoding
        self._started = False

    # Header facts, delegated so that late facts (VAT key, totals) show up when known.
    kind: Kind = property(lambda self: self._reader.kind)  # type: ignore[assignment]
    layout: str = property(lambda self: self._reader.layout)  # type: ignore[assignment]
    key: str | None = property(lambda self: self._reader.key)  # type: ignore[assignment]
    currency: str = property(lambda self: self._reader.currency)  # type: ignore[assignment]
    total: Decimal | None = property(  # type: ignore[assignment]
        lambda self: self._reader.total)
    period_start: datetime | None = property(  # type: ignore[assignment]
        lambda self: self._reader.period_start)
    period_end: datetime | None = property(  # type: ignore[assignment]
        lambda self: self._reader.period_end)
    deposit_date: datetime | None = property(  # type: ignore[assignment]
        lambda self: self._reader.deposit_date)

    @property
    def finished(self) -> bool:
        return self._tally.finished

    @property
    def count(self) -> int:
        return self._tally.count

    @property
    def lines_sum(self) -> Decimal:
        return self._tally.lines_sum

    @property
    def marketplaces(self) -> list[str]:
        return sorted(self._tally.markets)

    @property
    def difference(self) -> Decimal | None:
        total = self.total
        return None if total is None or not self.finished else self.lines_sum - total

    @property
    def reconciles(self) -> bool | None:
        difference = self.difference
        return None if difference is None else difference == 0

    def category_totals(self) -> dict[Category, Decimal]:
        return dict(self._tally.categories)

    def unmapped(self) -> dict[tuple[str, str, str], int]:
        return dict(self._tally.unmapped)

    def category_totals_by_currency(self) -> dict[tuple[Category, str], Decimal]:
        """Category totals per currency (only lines that name their currency)."""
        return dict(self._tally.by_currency)

    def currency_totals(self) -> dict[str, Decimal]:
        """The sum of the lines per currency: never one total over two currencies."""
        currencies = self._tally.currencies
        if len(currencies) > 1:
            return dict(sorted(currencies.items()))
        return {self.currency or next(iter(currencies), ""): self.lines_sum}

    def __iter__(self) -> Iterator[Line]:
        if self._started:
            raise RuntimeError("a ReportStream can be iterated only once")
        self._started = True
        if self._reader.tallies_itself:
            return self._reader.lines()
        return self._run()

    def _run(self) -> Iterator[Line]:
        tally = self._tally
        categories, unmapped, markets = tally.categories, tally.unmapped, tally.markets
        currencies, by_currency = tally.currencies, tally.by_currency
        unmapped_category = Category.UNMAPPED
        count = 0
        try:
            for line in self._reader.lines():
                count += 1
                category = line.category
                categories[category] = categories.get(category, ZERO) + line.amount
                if category is unmapped_category:
                    combination = line.combination
                    unmapped[combination] = unmapped.get(combination, 0) + 1
                if line.marketplace:
                    markets.add(line.marketplace)
                if line.currency:
                    currencies[line.currency] = currencies.get(line.currency, ZERO) + line.amount
                    pair = (category, line.currency)
                    by_currency[pair] = by_currency.get(pair, ZERO) + line.amount
                yield line
        finally:
            tally.count = count
        if self._reader.total_is_sum:
            self._reader.total = tally.lines_sum
        tally.finished = True


def stream(data: bytes, filename: str | None = None, *,
           overrides: Mapping[Key, Category | str] | None = None) -> ReportStream:
    """Open a report for streaming; raises ReportError if it cannot be read."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("report data must be bytes")
    reader, text = open_reader(bytes(data), filename, make_classifier(overrides))
    return ReportStream(reader, filename, text.encoding)


def collect(report: ReportStream) -> ParsedReport:
    lines = list(report)
    return ParsedReport(
        kind=report.kind,
        layout=report.layout,
        key=report.key or "",
        currency=report.currency,
        total=report.total if report.total is not None else report.lines_sum,
        period_start=report.period_start,
        period_end=report.period_end,
        deposit_date=report.deposit_date,
        marketplaces=report.marketplaces,
        lines=lines,
        encoding=report.encoding,
        filename=report.filename,
    )


def parse(data: bytes, filename: str | None = None, *,
          overrides: Mapping[Key, Category | str] | None = None) -> ParsedReport:
    """Read a whole report into a ParsedReport. Raises only ReportError."""
    try:
        return collect(stream(data, filename, overrides=overrides))
    except ReportError:
        raise
    except MemoryError:
        raise errors.too_large(filename, len(data), len(data)) from None
    except Exception as exc:  # noqa: BLE001 - last resort: never a traceback for a file
        raise errors.internal_error(filename, type(exc).__name__) from exc
