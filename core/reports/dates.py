"""Every date form Amazon writes, to timezone-aware UTC `datetime`s.

Forms (docs/report-formats.md#dates-and-numbers): ISO 8601 with offset; `2026-03-05 10:00:00 UTC`;
`05.03.2026 10:00:00 UTC`; `05.03.2026`; `03/05/26` (month or day first, decided per file);
`Jun 8, 2025 10:23:05 PM PDT`; `15 Mar 2026 3:22:08 PM UTC`; `1 Jul 2026 4:24:44 am UTC`;
`05-03-2026` (VAT report, day first). US times are Pacific time, so everything is converted.
A date without a time is midnight UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_CACHE_LIMIT = 50_000

# Abbreviations seen in Amazon files or plausible for their marketplaces; an unknown one is
# an error rather than a guess.
ZONES: dict[str, timedelta] = {
    name: timedelta(hours=hours)
    for name, hours in {
        "Z": 0, "UTC": 0, "GMT": 0, "UT": 0, "WET": 0,
        "PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5,
        "EST": -5, "EDT": -4, "AKST": -9, "AKDT": -8, "HST": -10,
        "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "BST": 1, "WEST": 1, "EET": 2, "EEST": 3,
        "IST": 5.5, "JST": 9, "AEST": 10, "AEDT": 11, "SGT": 8, "GST": 4,
    }.items()
}

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january januar janv janvier ene enero gen gennaio janeiro",
        "feb february februar fév févr février febrero febbraio fev fevereiro",
        "mar march mär märz mrz mars marzo março",
        "apr april avr avril abr abril aprile",
        "may mai mayo mag maggio maio",
        "jun june juni juin junio giu giugno junho",
        "jul july juli juil juillet julio lug luglio julho",
        "aug august août aoû ago agosto",
        "sep sept september septembre septiembre set settembre setembro",
        "oct october okt oktober octobre octubre ott ottobre out outubro",
        "nov november novembre noviembre novembro",
        "dec december dez dezember déc décembre dic diciembre dicembre dezembro",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_TIME = r"(?:,?\s*T?\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?\s*([AaPp]\.?\s?[Mm]\.?)?)?"
_ZONE = r"\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{2,5})?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + _ZONE, re.ASCII)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})" + _TIME + _ZONE, re.ASCII)
_DASHED = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})" + _TIME + _ZONE, re.ASCII)
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})" + _TIME + _ZONE, re.ASCII)
_MONTH_FIRST = re.compile(r"([^\W\d_]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})" + _TIME + _ZONE)
_DAY_FIRST = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]{3,9})\.?,?\s+(\d{4})" + _TIME + _ZONE)

_DOTTED_UTC = re.compile(r"(\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d):(\d\d) UTC", re.ASCII)
_ISO_UTC = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) UTC", re.ASCII)
MDY = "MDY"
DMY = "DMY"
# Spanish/Portuguese "28 de fev. de 2026", French "1er", zones "GMT-8" / "UTC+01:00".
_WORDY = re.compile(r"\bde\b|\der\b|(?:GMT|UTC)[+-]\d", re.IGNORECASE)
_OF = re.compile(r"(\d{1,2})(?:er)?\s+de\s+([^\W\d_]+)\.?\s+de\s+(\d{4})|(\d{1,2})er\b",
                 re.IGNORECASE)
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?\b", re.IGNORECASE)


def _plain(text: str) -> str:
    """ "28 de fev. de 2026 21:17:51 GMT-8" → "28 fev 2026 21:17:51 -08:00"."""
    text = _OF.sub(lambda m: f"{m[1]} {m[2]} {m[3]}" if m[1] else m[4], text)
    return _GMT_OFFSET.sub(lambda m: f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}", text)


class BadDate(ValueError):
    """A value that is not a date in any known form."""


class InconsistentDate(BadDate):
    """A slash date that contradicts the day/month order already seen in the file."""


def _zone(text: str | None) -> timezone:
    if not text:
        return UTC
    if text[0] in "+-":
        digits = text[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            raise BadDate(text)
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if text[0] == "-" else delta)
    delta = ZONES.get(text.upper())
    if delta is None:
        raise BadDate(text)
    return timezone(delta)


def _build(year: int, month: int, day: int, groups: tuple[str | None, ...]) -> datetime:
    hour_s, minute_s, second_s, ampm, zone_s = groups
    hour = int(hour_s) if hour_s else 0
    if ampm:
        marker = ampm.replace(".", "").replace(" ", "").lower()
        if not 1 <= hour <= 12:
            raise BadDate(ampm)
        hour = hour % 12 + (12 if marker == "pm" else 0)
    if year < 100:
        year += 2000
    try:
        local = datetime(
            year, month, day, hour, int(minute_s or 0), int(second_s or 0),
            tzinfo=_zone(zone_s),
        )
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        raise BadDate(f"{year}-{month}-{day}") from None


class DateParser:
    """Parses the dates of one file; remembers its day/month order and repeated values."""

    __slots__ = ("slash_order", "default_slash", "_cache")

    def __init__(self, slash_order: str | None = None, default_slash: str = MDY) -> None:
        self.slash_order = slash_order
        self.default_slash = default_slash
        self._cache: dict[str, datetime] = {}

    def parse(self, text: str, reference: datetime | None = None) -> datetime:
        """`text` as UTC datetime. `reference` (the same row's unambiguous timestamp)
        settles the order of a slash date such as `03/05/26`."""
        try:
            return self._cache[text]
        except KeyError:
            pass
        value, cacheable = self._parse(text.strip(), reference)
        if cacheable:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
            self._cache[text] = value
        return value

    def _parse(self, text: str, reference: datetime | None) -> tuple[datetime, bool]:
        if _WORDY.search(text):
            text = _plain(text)
        # Fast path for the two forms of big settlement files (no zone arithmetic needed).
        match = _DOTTED_UTC.fullmatch(text) or _ISO_UTC.fullmatch(text)
        if match:
            a, b, c, hour, minute, second = map(int, match.groups())
            day, month, year = (a, b, c) if text[2] == "." else (c, b, a)
            try:
                return datetime(year, month, day, hour, minute, second,
                                tzinfo=UTC), True
            except ValueError:
                raise BadDate(text) from None
        if match := _ISO.fullmatch(text):
            y, m, d = match.group(1, 2, 3)
            return _build(int(y), int(m), int(d), match.groups()[3:]), True
        if match := _DOTTED.fullmatch(text):
            d, m, y = match.group(1, 2, 3)
            return _build(int(y), int(m), int(d), match.groups()[3:]), True
        if match := _DASHED.fullmatch(text):
            d, m, y = match.group(1, 2, 3)
            return _build(int(y), int(m), int(d), match.groups()[3:]), True
        if match := _SLASH.fullmatch(text):
            return self._slash(match, reference)
        for pattern, month_at, day_at in ((_MONTH_FIRST, 1, 2), (_DAY_FIRST, 2, 1)):
            if match := pattern.fullmatch(text):
                month = MONTHS.get(match.group(month_at).lower())
                if month is None:
                    raise BadDate(text)
                day, year = int(match.group(day_at)), int(match.group(3))
                return _build(year, month, day, match.groups()[3:]), True
        raise BadDate(text)

    def _slash(self, match: re.Match[str], reference: datetime | None) -> tuple[datetime, bool]:
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        rest = match.groups()[3:]
        telling = DMY if first > 12 else MDY if second > 12 else None
        if telling and self.slash_order and telling != self.slash_order:
            raise InconsistentDate(match.string)
        order = telling or self.slash_order
        if order is None and reference is not None:
            for candidate in (MDY, DMY):
                m, d = (first, second) if candidate == MDY else (second, first)
                try:
                    value = _build(year, m, d, rest)
                except BadDate:
                    continue
                if abs(value - reference) <= timedelta(days=1):
                    order = candidate
                    break
        if order is not None:
            self.slash_order = order
        m, d = (first, second) if (order or self.default_slash) == MDY else (second, first)
        return _build(year, m, d, rest), order is not None


SLASH_DATE_BYTES = re.compile(rb"(?<![\d/])(\d{1,2})/(\d{1,2})/(?:\d{4}|\d{2})(?![\d/])")


def slash_order_in(data: bytes) -> str | None:
    """The day/month order told by the first slash date with a part over 12, if any.

    A C-speed scan of the raw bytes, used when a file's slash dates cannot be settled from
    the row itself, so that no line is emitted with a guessed order that later turns out
    wrong.
    """
    for match in SLASH_DATE_BYTES.finditer(data):
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            return DMY
        if second > 12 >= first:
            return MDY
    return None
