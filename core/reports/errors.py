"""Every way a report file can be unreadable, as a stable code and an English sentence.

All templates live here so they can be translated in one place (babel extracts the `N_`
marks). Each helper returns a `ReportError`; parsers `raise` it. Placeholders are
`%(filename)s`, `%(line)s` and the named parameters of each helper.
"""

from __future__ import annotations

from core.i18n import N_
from core.reports.model import ReportError

# A file without a usable name still needs one in the sentence.
DEFAULT_FILENAME = "report"
_MAX_VALUE_CHARS = 60

EMPTY_FILE = N_("%(filename)s is empty.")
TOO_LARGE = N_("%(filename)s is too large (%(size)s bytes; the limit is %(limit)s bytes).")
NOT_A_REPORT_BINARY = N_(
    "%(filename)s is not an Amazon report: it is a %(format)s file, not a text report."
)
NOT_A_REPORT_DATA = N_("%(filename)s is not an Amazon report: it contains binary data.")
NOT_A_REPORT_TEXT = N_(
    "%(filename)s is not an Amazon report: no settlement, transaction or VAT report "
    "header was found in its first %(lines)s lines."
)
UNSUPPORTED_LANGUAGE = N_(
    "%(filename)s looks like an Amazon transaction (date range) report, but in a language "
    "settlebook does not read yet (first column “%(column)s”). Download it in English, "
    "German, French, Italian, Spanish or Portuguese."
)
UNSUPPORTED_XML = N_(
    "%(filename)s is an XML settlement report, which is not supported; please download "
    "the flat file V2 settlement report instead."
)
BAD_COMPRESSION = N_("%(filename)s is a damaged compressed file.")
UNPACKED_TOO_LARGE = N_(
    "%(filename)s would unpack to more than %(limit)s MB and was not unpacked. If it is a "
    "genuine report, raise SETTLEBOOK_MAX_UNPACKED_MB."
)
UNKNOWN_LAYOUT_SETTLEMENT = N_(
    "%(filename)s, line %(line)s: this settlement report lacks the required columns "
    "%(columns)s."
)
UNKNOWN_LAYOUT_VAT = N_(
    "%(filename)s, line %(line)s: this VAT transactions report lacks the required "
    "columns %(columns)s."
)
UNKNOWN_LAYOUT_DATE_RANGE = N_(
    "%(filename)s, line %(line)s: this transaction (date range) report lacks the "
    "required columns %(columns)s."
)
NO_ROWS = N_(
    "%(filename)s, line %(line)s: the file has a header but no rows; it may have been "
    "cut off."
)
NO_SUMMARY = N_(
    "%(filename)s, line %(line)s: the summary row with the settlement total is missing; "
    "the file may be incomplete."
)
SHORT_ROW = N_(
    "%(filename)s, line %(line)s: the row has %(cells)s cells but the header has "
    "%(expected)s; the file may have been cut off."
)
LONG_ROW = N_(
    "%(filename)s, line %(line)s: the row has %(cells)s cells but the header has only "
    "%(expected)s."
)
UNCLOSED_QUOTE = N_(
    "%(filename)s, line %(line)s: a quoted cell is never closed; the file may have been "
    "cut off."
)
BAD_QUOTING = N_(
    "%(filename)s, line %(line)s: the quotation marks in this row do not pair up."
)
DUPLICATE_SUMMARY = N_(
    "%(filename)s, line %(line)s: a second summary row was found; a file must hold "
    "exactly one settlement."
)
MISSING_VALUE = N_("%(filename)s, line %(line)s: column %(column)s is empty.")
BAD_NUMBER = N_(
    '%(filename)s, line %(line)s: "%(value)s" in column %(column)s is not an amount.'
)
BAD_INTEGER = N_(
    '%(filename)s, line %(line)s: "%(value)s" in column %(column)s is not a whole number.'
)
BAD_DATE = N_('%(filename)s, line %(line)s: "%(value)s" in column %(column)s is not a date.')
INCONSISTENT_DATE = N_(
    '%(filename)s, line %(line)s: "%(value)s" in column %(column)s does not match the '
    "day/month order of the other dates in the file."
)
BAD_PERIOD = N_(
    '%(filename)s, line %(line)s: "%(value)s" in column %(column)s is not a month like '
    "2026-MAR."
)
MIXED_SETTLEMENTS = N_(
    "%(filename)s, line %(line)s: settlement %(other)s differs from settlement "
    "%(settlement)s of the summary row; a file must hold exactly one settlement."
)
MIXED_CURRENCIES = N_(
    "%(filename)s, line %(line)s: currency %(other)s differs from %(currency)s used "
    "before; a report must use one currency."
)
ROW_TOTAL_MISMATCH = N_(
    "%(filename)s, line %(line)s: the amounts of the row add up to %(sum)s, but its "
    "total is %(total)s."
)
INTERNAL_ERROR = N_(
    "%(filename)s could not be read because of an unexpected problem in the program "
    "(%(detail)s)."
)

ALL_TEMPLATES: dict[str, str] = {
    name: value for name, value in dict(globals()).items()
    if name.isupper() and isinstance(value, str) and "%(" in value
}


def _name(filename: str | None) -> str:
    return filename or DEFAULT_FILENAME


def shown(value: str) -> str:
    """A cell value as it may appear in a message: printable and short."""
    text = "".join(ch if ch.isprintable() else "?" for ch in value[: _MAX_VALUE_CHARS + 1])
    return text if len(text) <= _MAX_VALUE_CHARS else text[:_MAX_VALUE_CHARS] + "…"


def error(code: str, template: str, filename: str | None, line: int | None = None,
          **params: object) -> ReportError:
    return ReportError(code, template, line=line, filename=_name(filename), **params)


def empty_file(filename: str | None) -> ReportError:
    return error("empty_file", EMPTY_FILE, filename)


def too_large(filename: str | None, size: int, limit: int) -> ReportError:
    return error("too_large", TOO_LARGE, filename, size=size, limit=limit)


def not_a_report_binary(filename: str | None, fmt: str) -> ReportError:
    return error("not_a_report", NOT_A_REPORT_BINARY, filename, format=fmt)


def not_a_report_data(filename: str | None) -> ReportError:
    return error("not_a_report", NOT_A_REPORT_DATA, filename)


def not_a_report_text(filename: str | None, lines: int) -> ReportError:
    return error("not_a_report", NOT_A_REPORT_TEXT, filename, lines=lines)


def unsupported_language(filename: str | None, column: str) -> ReportError:
    return error("unsupported_language", UNSUPPORTED_LANGUAGE, filename, column=column)


def unsupported_xml(filename: str | None) -> ReportError:
    return error("unsupported_format", UNSUPPORTED_XML, filename)


def bad_compression(filename: str | None) -> ReportError:
    return error("not_a_report", BAD_COMPRESSION, filename)


def unpacked_too_large(filename: str | None, limit: int) -> ReportError:
    return error("too_large", UNPACKED_TOO_LARGE, filename, limit=limit // (1024 * 1024))


def unknown_layout(filename: str | None, line: int, template: str,
                   missing: list[str]) -> ReportError:
    return error("unknown_layout", template, filename, line, columns=", ".join(missing))


def no_rows(filename: str | None, line: int) -> ReportError:
    return error("truncated", NO_ROWS, filename, line)


def no_summary(filename: str | None, line: int) -> ReportError:
    return error("truncated", NO_SUMMARY, filename, line)


def short_row(filename: str | None, line: int, cells: int, expected: int) -> ReportError:
    return error("truncated", SHORT_ROW, filename, line, cells=cells, expected=expected)


def long_row(filename: str | None, line: int, cells: int, expected: int) -> ReportError:
    return error("bad_row", LONG_ROW, filename, line, cells=cells, expected=expected)


def unclosed_quote(filename: str | None, line: int) -> ReportError:
    return error("truncated", UNCLOSED_QUOTE, filename, line)


def bad_quoting(filename: str | None, line: int) -> ReportError:
    return error("bad_row", BAD_QUOTING, filename, line)


def csv_problem(filename: str | None, line: int, problem: Exception) -> ReportError:
    """A csv.Error: an unclosed quote at the end means a cut-off file."""
    if "unexpected end of data" in str(problem):
        return unclosed_quote(filename, line)
    return bad_quoting(filename, line)


def duplicate_summary(filename: str | None, line: int) -> ReportError:
    return error("duplicate_summary", DUPLICATE_SUMMARY, filename, line)


def missing_value(filename: str | None, line: int, column: str) -> ReportError:
    return error("missing_value", MISSING_VALUE, filename, line, column=column)


def bad_number(filename: str | None, line: int, column: str, value: str) -> ReportError:
    return error("bad_number", BAD_NUMBER, filename, line, column=column, value=shown(value))


def bad_integer(filename: str | None, line: int, column: str, value: str) -> ReportError:
    return error("bad_number", BAD_INTEGER, filename, line, column=column, value=shown(value))


def bad_date(filename: str | None, line: int, column: str, value: str) -> ReportError:
    return error("bad_date", BAD_DATE, filename, line, column=column, value=shown(value))


def inconsistent_date(filename: str | None, line: int, column: str, value: str) -> ReportError:
    return error(
        "bad_date", INCONSISTENT_DATE, filename, line, column=column, value=shown(value)
    )


def bad_period(filename: str | None, line: int, column: str, value: str) -> ReportError:
    return error("bad_date", BAD_PERIOD, filename, line, column=column, value=shown(value))


def mixed_settlements(filename: str | None, line: int, settlement: str,
                      other: str) -> ReportError:
    return error("mixed_settlements", MIXED_SETTLEMENTS, filename, line,
                 settlement=shown(settlement), other=shown(other))


def mixed_currencies(filename: str | None, line: int, currency: str,
                     other: str) -> ReportError:
    return error("mixed_currencies", MIXED_CURRENCIES, filename, line,
                 currency=shown(currency), other=shown(other))


def row_total_mismatch(filename: str | None, line: int, total: object,
                       sum_: object) -> ReportError:
    return error("row_total_mismatch", ROW_TOTAL_MISMATCH, filename, line,
                 total=str(total), sum=str(sum_))


def internal_error(filename: str | None, detail: str) -> ReportError:
    return error("internal_error", INTERNAL_ERROR, filename, detail=shown(detail))
