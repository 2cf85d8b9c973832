"""Localized amounts to `Decimal`, with one number format decided per file.

Amazon writes `1141,18` in EU files and `1141.18` in US ones (docs/report-formats.md#dates-and-numbers); thousands
separators (`1.141,18`, `1,141.18`) are unverified but accepted. A file's format is decided
once (from the settlement total and currency, or the report language) and then applied
strictly, so `12.50` in a decimal-comma file is an error rather than a silent 1250; the
settlement reconciliation confirms the choice. Values repeat a lot, so parses are cached.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Currencies whose Amazon marketplaces write a decimal comma (used only when the sample
# value itself does not tell).
COMMA_CURRENCIES = frozenset(
    {"EUR", "SEK", "PLN", "TRY", "BRL", "DKK", "NOK", "CZK", "HUF", "CHF", "RON", "BGN"}
)
_CACHE_LIMIT = 50_000


class BadNumber(ValueError):
    """Raised for a cell that is not an amount in the file's format."""


_QUANTITY = re.compile(r"[+-]?[0-9]{1,11}", re.ASCII)


def parse_quantity(text: str) -> int:
    """A count of items (`3`, `-1`); raises BadNumber for anything else (`--1`, `1.5`, `１`)."""
    if _QUANTITY.fullmatch(text) is None:
        raise BadNumber(text)
    return int(text)


def _pattern(decimal: str, thousands: str) -> re.Pattern[str]:
    sep = re.escape(thousands)
    return re.compile(
        rf"([+-]?)(\d{{1,3}}(?:[{sep}]\d{{3}})+|\d+)(?:{re.escape(decimal)}(\d+))?",
        re.ASCII,
    )


class NumberFormat:
    """Decimal and thousands separators of one file, with a cached parser."""

    __slots__ = ("decimal", "thousands", "_re", "_cache")

    def __init__(self, decimal: str) -> None:
        if decimal not in ".,":
            raise ValueError(decimal)
        self.decimal = decimal
        # Comma files may group thousands with dots or (French) spaces.
        self.thousands = ",'" if decimal == "." else ".\u00a0\u202f "
        self._re = _pattern(decimal, self.thousands)
        self._cache: dict[str, Decimal] = {}

    def __repr__(self) -> str:
        return f"NumberFormat({self.decimal!r})"

    @classmethod
    def guess(cls, sample: str, currency: str = "") -> NumberFormat:
        """Decide the format from one telling value, else from the currency."""
        text = sample.strip()
        last_dot, last_comma = text.rfind("."), text.rfind(",")
        if last_dot >= 0 and last_comma >= 0:
            return cls("." if last_dot > last_comma else ",")
        sep_at = max(last_dot, last_comma)
        if sep_at >= 0 and text.count(text[sep_at]) == 1:
            digits_after = len(text) - sep_at - 1
            if digits_after != 3:  # 1 or 2 digits after a single separator: decimals
                return cls(text[sep_at])
        return cls("," if currency.upper() in COMMA_CURRENCIES else ".")

    @classmethod
    def sniff(cls, samples: list[str], default: str) -> NumberFormat:
        """Decide from the first telling value among `samples`, else `default`."""
        for sample in samples:
            text = sample.strip()
            if "." in text or "," in text:
                guess = cls.guess(text, "EUR" if default == "," else "USD")
                last = max(text.rfind("."), text.rfind(","))
                if len(text) - last - 1 != 3 or ("." in text and "," in text):
                    return guess
        return cls(default)

    def parse(self, text: str) -> Decimal:
        """`text` as a Decimal; raises BadNumber."""
        try:
            return self._cache[text]
        except KeyError:
            pass
        match = self._re.fullmatch(text.strip())
        if match is None:
            raise BadNumber(text)
        sign, whole, fraction = match.groups()
        if len(whole) > 3 and not whole.isdigit():
            whole = "".join(ch for ch in whole if ch.isdigit())
        try:
            value = Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise BadNumber(text) from None
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        self._cache[text] = value
        return value
