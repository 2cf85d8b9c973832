"""Re-reading a written EXTF file and checking every rule DATEV's import applies.

The rules are those of docs/datev.md (file and field rules): encoding, CRLF, the 31
header fields and their formats, the 125 headings, and per booking the amount, S/H,
currency and rate, account digits and length, tax key (never on an automatic account
except 40), Belegdatum inside Datum vom/bis, Belegfeld 1 characters, text lengths, EU
columns and Festschreibung 0. A batch with any violation must not be offered for
download.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from core.datev import extf
from core.datev import messages as m
from core.datev.accounts import is_automatic
from core.datev.reader import Field, MalformedLine, read_lines, split_fields
from core.datev.text import LABEL_BAD
from core.formula_cells import starts_formula
from core.message import Message

AMOUNT_RE = re.compile(r"^\d{1,10},\d{2}$")
# Foreign units per EUR; a rate below 1 (GBP) is "0,85" (docs/tax-rules.md §7, unsure).
RATE_RE = re.compile(r"^(?!0,0+$)(?:[1-9]\d{0,3}|0),\d{2,6}$")
PERCENT_RE = re.compile(r"^\d{2},\d{2}$")  # two integer digits: "05,50", "20,00"
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
ACCOUNT_RE = re.compile(r"^\d{1,9}$")
TAX_KEY_RE = re.compile(r"^\d{1,4}$")
DATE_RE = re.compile(r"^\d{4}$")
EU_ID_RE = re.compile(r"^[A-Z]{2}[A-Z0-9+*]{0,13}$")
OSS_KEYS = frozenset({"240", "241"})


@dataclass(frozen=True)
class Violation(Message):
    """One broken rule: `row` is the booking number (1-based), None for file/header."""

    row: int | None
    field: str
    rule_code: str
    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def code(self) -> str:  # type: ignore[override]
        return self.rule_code

    def render_params(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, **self.params}

    def to_json(self) -> dict[str, object]:
        return {**super().to_json(), "row": self.row, "field": self.field, "rule_code": self.rule_code}


@dataclass(frozen=True)
class _HeaderRule:
    number: int  # 1-based header field
    name: str
    code: str
    check: Callable[[Field], bool]
    expected: str


def _int_between(low: int, high: int) -> Callable[[Field], bool]:
    return lambda f: bool(re.fullmatch(r"\d{1,9}", f.value)) and low <= int(f.value) <= high


def _parse_ymd(text: str) -> date | None:
    if not re.fullmatch(r"\d{8}", text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


HEADER_RULES = (
    _HeaderRule(1, "Kennzeichen", "header_marker",
                lambda f: f.quoted and f.value in ("EXTF", "DTVF"), '"EXTF"'),
    _HeaderRule(2, "Versionsnummer", "header_version", lambda f: f.value == "700", "700"),
    _HeaderRule(3, "Formatkategorie", "header_category", lambda f: f.value == "21", "21"),
    _HeaderRule(4, "Formatname", "header_format_name",
                lambda f: f.value == "Buchungsstapel", '"Buchungsstapel"'),
    _HeaderRule(5, "Formatversion", "header_format_version", lambda f: f.value == "13", "13"),
    _HeaderRule(6, "Erzeugt am", "header_created_at",
                lambda f: bool(re.fullmatch(r"\d{17}", f.value)), "YYYYMMDDHHMMSSFFF"),
    _HeaderRule(8, "Herkunft", "header_origin", lambda f: len(f.value) <= 2, "≤ 2"),
    _HeaderRule(9, "Exportiert von", "header_exported_by", lambda f: len(f.value) <= 25, "≤ 25"),
    _HeaderRule(11, "Beraternummer", "header_beraternummer", _int_between(1001, 9_999_999),
                "1001–9999999"),
    _HeaderRule(12, "Mandantennummer", "header_mandantennummer", _int_between(1, 99_999),
                "1–99999"),
    _HeaderRule(13, "WJ-Beginn", "header_fiscal_year_start",
                lambda f: _parse_ymd(f.value) is not None, "YYYYMMDD"),
    _HeaderRule(14, "Sachkontenlänge", "header_account_length", _int_between(4, 8), "4–8"),
    _HeaderRule(15, "Datum vom", "header_date_from",
                lambda f: _parse_ymd(f.value) is not None, "YYYYMMDD"),
    _HeaderRule(16, "Datum bis", "header_date_to",
                lambda f: _parse_ymd(f.value) is not None, "YYYYMMDD"),
    _HeaderRule(17, "Bezeichnung", "header_label",
                lambda f: len(f.value) <= 30 and not LABEL_BAD.search(f.value), "≤ 30"),
    _HeaderRule(18, "Diktatkürzel", "header_diktatkuerzel",
                lambda f: bool(re.fullmatch(r"([A-Z]{2})?", f.value)), "AA"),
    _HeaderRule(19, "Buchungstyp", "header_booking_type", lambda f: f.value in ("1", "2"), "1"),
    _HeaderRule(20, "Rechnungslegungszweck", "header_accounting_purpose",
                lambda f: f.value in ("", "0", "30", "40", "50", "64"), "0"),
    _HeaderRule(21, "Festschreibung", "header_festschreibung", lambda f: f.value == "0", "0"),
    _HeaderRule(22, "WKZ", "header_currency",
                lambda f: bool(CURRENCY_RE.fullmatch(f.value)), "EUR"),
    _HeaderRule(27, "Sachkontenrahmen", "header_chart", lambda f: f.value in ("03", "04"),
                '"03"/"04"'),
    _HeaderRule(31, "Anwendungsinformation", "header_application_info",
                lambda f: len(f.value) <= 16, "≤ 16"),
)


@dataclass
class _Context:
    """Header facts the booking rules need (None when the header itself is broken)."""

    account_length: int | None = None
    chart: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def validate(data: bytes) -> list[Violation]:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return [Violation(None, "file", "encoding", m.V_ENCODING, {"position": exc.start})]

    violations: list[Violation] = []
    lines = read_lines(text)
    for number, line in enumerate(lines, start=1):
        if "\r" in line or "\n" in line:
            violations.append(Violation(None, "file", "line_ending", m.V_LINE_ENDING,
                                        {"line": number}))
    if text and not text.endswith("\r\n"):
        violations.append(Violation(None, "file", "line_ending", m.V_LINE_ENDING,
                                    {"line": len(lines)}))
    # Check the rest on the lines as a lenient reader would split them.
    lines = [piece for line in lines for piece in re.split(r"\r\n|\r|\n", line)]
    if len(lines) < 2:
        return violations + [Violation(None, "file", "too_few_lines", m.V_TOO_FEW_LINES)]

    parsed: list[list[Field] | None] = []
    for number, line in enumerate(lines, start=1):
        try:
            parsed.append(split_fields(line))
        except MalformedLine:
            row = number - 2 if number > 2 else None
            violations.append(Violation(row, "file", "quotes", m.V_FIELD_QUOTES,
                                        {"line": number}))
            parsed.append(None)

    violations += _check_formulas(parsed)
    context = _Context()
    if parsed[0] is not None:
        violations += _check_header(parsed[0], context)
    if parsed[1] is not None:
        violations += _check_headings(parsed[1])
    rows = parsed[2:]
    if not rows:
        violations.append(Violation(None, "file", "no_bookings", m.V_NO_BOOKINGS))
    if len(rows) > extf.MAX_BOOKINGS:
        violations.append(Violation(None, "file", "too_many_rows", m.V_TOO_MANY_ROWS,
                                    {"count": len(rows)}))
    for number, fields in enumerate(rows, start=1):
        if fields is not None:
            violations += _check_row(number, fields, context)
    return violations


def _check_formulas(parsed: list[list[Field] | None]) -> list[Violation]:
    """No cell may start a spreadsheet formula (the file is often opened in Excel first)."""
    out = []
    for number, fields in enumerate(parsed, start=1):
        for position, cell in enumerate(fields or (), start=1):
            if not starts_formula(cell.value):
                continue
            if number == 1:
                out.append(Violation(None, "header", "formula", m.V_FORMULA_HEADER,
                                     {"number": position, "value": cell.value}))
            else:
                row = number - 2 if number > 2 else None
                name = extf.COLUMNS[position - 1] if position <= len(extf.COLUMNS) else str(position)
                out.append(Violation(row, name, "formula", m.V_FORMULA,
                                     {"line": number, "value": cell.value}))
    return out


def _check_header(fields: list[Field], context: _Context) -> list[Violation]:
    out: list[Violation] = []
    if len(fields) != extf.HEADER_FIELDS:
        out.append(Violation(None, "header", "header_field_count", m.V_HEADER_FIELD_COUNT,
                             {"count": len(fields)}))
    for rule in HEADER_RULES:
        if rule.number > len(fields):
            continue
        f = fields[rule.number - 1]
        if not rule.check(f):
            out.append(Violation(None, rule.name, rule.code, m.V_HEADER_FIELD, {
                "number": rule.number, "name": rule.name, "value": f.value,
                "expected": rule.expected,
            }))
    if len(fields) < 27:
        return out

    def value(n: int) -> str:
        return fields[n - 1].value

    if _int_between(4, 8)(fields[13]):
        context.account_length = int(value(14))
    context.chart = {"03": "skr03", "04": "skr04"}.get(value(27))
    fy_start, date_from, date_to = _parse_ymd(value(13)), _parse_ymd(value(15)), _parse_ymd(value(16))
    if date_from and date_to:
        params = {"date_from": f"{date_from:%d.%m.%Y}", "date_to": f"{date_to:%d.%m.%Y}"}
        if date_from > date_to:
            out.append(Violation(None, "Datum vom", "header_period_order",
                                 m.V_HEADER_PERIOD_ORDER, params))
        elif date_from.year != date_to.year:
            out.append(Violation(None, "Datum bis", "header_period_year",
                                 m.V_HEADER_PERIOD_YEAR, params))
        else:
            context.date_from, context.date_to = date_from, date_to
        if fy_start and not (fy_start <= date_from and date_to < _add_year(fy_start)):
            out.append(Violation(None, "WJ-Beginn", "header_period_fiscal_year",
                                 m.V_HEADER_PERIOD_FISCAL_YEAR,
                                 {**params, "fy_start": f"{fy_start:%d.%m.%Y}"}))
    return out


def _add_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _check_headings(fields: list[Field]) -> list[Violation]:
    if len(fields) != extf.COLUMN_COUNT:
        return [Violation(None, "headings", "heading_count", m.V_HEADING_COUNT,
                          {"count": len(fields)})]
    return [
        Violation(None, "headings", "headings", m.V_HEADINGS,
                  {"number": i + 1, "value": f.value, "expected": expected})
        for i, (f, expected) in enumerate(zip(fields, extf.COLUMNS, strict=True))
        if f.value != expected
    ]


def _check_row(row: int, fields: list[Field], ctx: _Context) -> list[Violation]:
    if len(fields) != extf.COLUMN_COUNT:
        return [Violation(row, "row", "column_count", m.V_COLUMN_COUNT, {"count": len(fields)})]
    v = [f.value for f in fields]
    out: list[Violation] = []

    def add(col: int, code: str, template: str, **params: object) -> None:
        out.append(Violation(row, extf.COLUMNS[col], code, template,
                             {"value": v[col], "field": extf.COLUMNS[col], **params}))

    amount = v[extf.COL_AMOUNT]
    if not AMOUNT_RE.fullmatch(amount) or not amount.strip("0,"):
        add(extf.COL_AMOUNT, "amount", m.V_AMOUNT)
    if v[extf.COL_SIDE] not in ("S", "H"):
        add(extf.COL_SIDE, "side", m.V_SIDE)
    for col in (extf.COL_CURRENCY, extf.COL_BASE_CURRENCY):
        if v[col] and not CURRENCY_RE.fullmatch(v[col]):
            add(col, "currency", m.V_CURRENCY)

    rate_cols = (extf.COL_RATE, extf.COL_BASE_AMOUNT, extf.COL_BASE_CURRENCY)
    filled = [bool(v[c]) for c in rate_cols]
    if any(filled) and not all(filled):
        add(extf.COL_RATE, "base_amount_pair", m.V_BASE_AMOUNT_PAIR)
    if v[extf.COL_RATE] and not RATE_RE.fullmatch(v[extf.COL_RATE]):
        add(extf.COL_RATE, "rate", m.V_RATE)
    base = v[extf.COL_BASE_AMOUNT]
    if base and (not AMOUNT_RE.fullmatch(base) or not base.strip("0,")):
        add(extf.COL_BASE_AMOUNT, "base_amount", m.V_BASE_AMOUNT)

    accounts_ok = True
    for col in (extf.COL_ACCOUNT, extf.COL_CONTRA):
        if not ACCOUNT_RE.fullmatch(v[col]):
            add(col, "account", m.V_ACCOUNT)
            accounts_ok = False
        elif ctx.account_length and len(v[col]) not in (ctx.account_length, ctx.account_length + 1):
            add(col, "account_length", m.V_ACCOUNT_LENGTH, length=ctx.account_length)

    tax_key = v[extf.COL_TAX_KEY]
    if tax_key and not TAX_KEY_RE.fullmatch(tax_key):
        add(extf.COL_TAX_KEY, "tax_key", m.V_TAX_KEY)
    elif tax_key and tax_key != "40" and accounts_ok and ctx.chart:
        for col in (extf.COL_ACCOUNT, extf.COL_CONTRA):
            if is_automatic(v[col], ctx.chart, ctx.account_length or 4):
                add(extf.COL_TAX_KEY, "tax_key_automatic", m.V_TAX_KEY_AUTOMATIC, account=v[col])

    out += _check_date(row, v[extf.COL_DATE], ctx)

    if not extf_document_ok(v[extf.COL_DOCUMENT]):
        add(extf.COL_DOCUMENT, "document_field", m.V_DOCUMENT_FIELD)
    if len(v[extf.COL_DOCUMENT_2]) > 12:
        add(extf.COL_DOCUMENT_2, "document_field_2", m.V_DOCUMENT_FIELD_2)
    limits = [(extf.COL_TEXT, extf.TEXT_LIMIT)] + [
        (extf.COL_INFO + i, extf.INFO_KIND_LIMIT if i % 2 == 0 else extf.INFO_CONTENT_LIMIT)
        for i in range(16)
    ]
    for col, limit in limits:
        if len(v[col]) > limit:
            add(col, "text_length", m.V_TEXT_LENGTH, limit=limit)

    for col in (extf.COL_EU_COUNTRY, extf.COL_ORIGIN_VAT_ID):
        if v[col] and not EU_ID_RE.fullmatch(v[col]):
            add(col, "eu_field", m.V_EU_FIELD)
    for col in (extf.COL_EU_RATE, extf.COL_ORIGIN_RATE):
        if v[col] and not PERCENT_RE.fullmatch(v[col]):
            add(col, "eu_rate", m.V_EU_RATE)
    if tax_key in OSS_KEYS and not (
        re.fullmatch(r"[A-Z]{2}", v[extf.COL_EU_COUNTRY]) and v[extf.COL_EU_RATE]
    ):
        add(extf.COL_TAX_KEY, "oss_fields", m.V_OSS_FIELDS)

    if v[extf.COL_FESTSCHREIBUNG] != "0":
        add(extf.COL_FESTSCHREIBUNG, "festschreibung", m.V_FESTSCHREIBUNG)
    return out


def extf_document_ok(value: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9$&%*+\-/]{0,36}", value))


def _check_date(row: int, value: str, ctx: _Context) -> list[Violation]:
    name = extf.COLUMNS[extf.COL_DATE]
    if not DATE_RE.fullmatch(value):
        return [Violation(row, name, "date", m.V_DATE, {"value": value})]
    year = ctx.date_from.year if ctx.date_from else 2000  # 2000: a leap year accepts 2902
    try:
        day = date(year, int(value[2:]), int(value[:2]))
    except ValueError:
        return [Violation(row, name, "date", m.V_DATE, {"value": value})]
    if ctx.date_from and ctx.date_to and not ctx.date_from <= day <= ctx.date_to:
        return [Violation(row, name, "date_outside_period", m.V_DATE_OUTSIDE, {
            "value": value, "date_from": f"{ctx.date_from:%d.%m.%Y}",
            "date_to": f"{ctx.date_to:%d.%m.%Y}",
        })]
    return []
