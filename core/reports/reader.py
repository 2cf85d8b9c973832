"""The shape every report reader shares, plus small helpers for rows and headers.

A reader knows its header facts (kind, layout, key, currency, total, period, deposit date)
as soon as it can and yields `Line`s from `lines()`; facts only known at the end (the key
and period of a VAT or Date Range report, their total) are filled in when `lines()` is
exhausted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from core.reports import errors
from core.reports.model import Category, Kind, Line

ZERO = Decimal("0.00")


class Tally:
    """Running totals of the lines yielded so far (a stream keeps these, not the lines)."""

    __slots__ = ("count", "categories", "unmapped", "markets", "finished", "currencies",
                 "by_currency")

    def __init__(self) -> None:
        self.count = 0
        self.categories: dict[Category, Decimal] = {}
        self.currencies: dict[str, Decimal] = {}  # lines that name their own currency
        self.by_currency: dict[tuple[Category, str], Decimal] = {}
        self.unmapped: dict[tuple[str, str, str], int] = {}
        self.markets: set[str] = set()
        self.finished = False

    @property
    def lines_sum(self) -> Decimal:
        return sum(self.categories.values(), ZERO)


class Reader:
    # Readers that keep `tally` up to date themselves (the hot V2 loop) set this, so the
    # stream need not wrap their generator in a second one.
    tallies_itself: bool = False
    tally: Tally
    kind: Kind
    layout: str
    key: str | None = None
    currency: str = ""
    total: Decimal | None = None
    period_start: datetime | None = None
    period_end: datetime | None = None
    deposit_date: datetime | None = None
    # VAT and Date Range totals are the sum of their lines; settlements have their own.
    total_is_sum: bool = False

    def lines(self) -> Iterator[Line]:  # pragma: no cover - abstract
        raise NotImplementedError


class Columns:
    """Header name -> position, for reading cells by name."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self.index: dict[str, int] = {}
        for position, name in enumerate(names):
            self.index.setdefault(name, position)

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def get(self, name: str) -> int | None:
        return self.index.get(name)

    def missing(self, required: Sequence[str]) -> list[str]:
        return [name for name in required if name not in self.index]


_MARKETPLACES: dict[str, str] = {}


def marketplace_name(raw: str) -> str:
    """`amazon.de` / `AMAZON.DE` -> `Amazon.de`; `N/A` -> ``; anything else as is."""
    try:
        return _MARKETPLACES[raw]
    except KeyError:
        pass
    text = raw.strip()
    if text.upper() in ("N/A", "NA", "-"):
        name = ""
    elif text.lower().startswith("amazon."):
        name = "Amazon." + text[7:].lower()
    else:
        name = text
    if len(_MARKETPLACES) < 1000:
        _MARKETPLACES[raw] = name
    return name


def fit_row(cells: list[str], width: int, filename: str | None, line_no: int) -> list[str]:
    """Check a row's cell count against the header; empty surplus cells are dropped."""
    if len(cells) < width:
        raise errors.short_row(filename, line_no, len(cells), width)
    if len(cells) > width:
        if any(cell.strip() for cell in cells[width:]):
            raise errors.long_row(filename, line_no, len(cells), width)
        del cells[width:]
    return cells


class RowExtra(Mapping[str, str]):
    """A row's unmodelled columns, built into a dict only if someone reads them.

    Big files have a dozen such columns per row and almost no reader looks at them,
    so the hot loop keeps just the names and the (C-built) tuple of their cells.
    """

    __slots__ = ("_names", "_values", "_dict")

    def __init__(self, names: Sequence[str], values: tuple[str, ...]) -> None:
        self._names = names
        self._values = values
        self._dict: dict[str, str] | None = None

    def _data(self) -> dict[str, str]:
        if self._dict is None:
            self._dict = {name: value for name, value in zip(self._names, self._values, strict=False) if value}
        return self._dict

    def __getitem__(self, key: str) -> str:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())

    def __repr__(self) -> str:
        return repr(self._data())
