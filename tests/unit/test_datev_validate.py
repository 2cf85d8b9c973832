"""The validator accepts what the writer writes and names every broken rule.

Each targeted test starts from the reviewed worked-example file, breaks one rule by hand
and asserts the rule code (and the booking number) the validator reports.
"""

from __future__ import annotations

import pytest

from core.datev import extf
from core.datev.validate import validate
from tests.helpers import DATEV

GOLDEN = DATEV / "worked_example_skr03.csv"


def _lines() -> list[list[str]]:
    text = GOLDEN.read_bytes().decode("cp1252")
    # The golden file has no ';' inside quotes, so a plain split is exact here.
    return [line.split(";") for line in text.split("\r\n")[:-1]]


def _bytes(lines: list[list[str]]) -> bytes:
    return "".join(";".join(f) + "\r\n" for f in lines).encode("cp1252")


def _with(row: int | None, col: int, raw: str) -> bytes:
    """The golden file with one raw field replaced (row None = header, 1 = booking 1)."""
    lines = _lines()
    lines[0 if row is None else row + 1][col] = raw
    return _bytes(lines)


def codes(data: bytes) -> set[tuple[int | None, str]]:
    return {(v.row, v.rule_code) for v in validate(data)}


def test_golden_files_are_valid() -> None:
    for path in GOLDEN.parent.glob("*.csv"):
        assert validate(path.read_bytes()) == [], path.name


def test_messages_render_with_their_params() -> None:
    for violation in validate(_with(1, extf.COL_AMOUNT, "-1,00") + b"x"):
        assert "%(" not in violation.message()


@pytest.mark.parametrize(
    ("header_field", "raw", "code"),
    [
        (1, '"XTF"', "header_marker"),
        (1, "EXTF", "header_marker"),
        (2, "510", "header_version"),
        (3, "16", "header_category"),
        (4, '"Debitoren"', "header_format_name"),
        (5, "12", "header_format_version"),
        (6, "2024040112000012", "header_created_at"),
        (9, '"' + "x" * 26 + '"', "header_exported_by"),
        (11, "1000", "header_beraternummer"),
        (12, "0", "header_mandantennummer"),
        (13, "20241301", "header_fiscal_year_start"),
        (14, "3", "header_account_length"),
        (15, "2024035", "header_date_from"),
        (17, '"' + "x" * 31 + '"', "header_label"),
        (18, '"am"', "header_diktatkuerzel"),
        (19, "3", "header_booking_type"),
        (21, "", "header_festschreibung"),
        (21, "1", "header_festschreibung"),
        (22, '"EU"', "header_currency"),
        (27, '"05"', "header_chart"),
    ],
)
def test_header_rules(header_field: int, raw: str, code: str) -> None:
    assert (None, code) in codes(_with(None, header_field - 1, raw))


def test_header_field_count() -> None:
    lines = _lines()
    lines[0] = lines[0][:30]
    assert (None, "header_field_count") in codes(_bytes(lines))


def test_period_must_be_ordered_in_one_year_and_fiscal_year() -> None:
    assert (None, "header_period_order") in codes(_with(None, 15, "20240301"))
    lines = _lines()
    lines[0][14], lines[0][15] = "20231201", "20240331"
    assert (None, "header_period_year") in codes(_bytes(lines))
    assert (None, "header_period_fiscal_year") in codes(_with(None, 12, "20240401"))


def test_headings() -> None:
    lines = _lines()
    lines[1][13] = "Text"
    assert (None, "headings") in codes(_bytes(lines))
    lines[1] = lines[1][:124]
    assert (None, "heading_count") in codes(_bytes(lines))


@pytest.mark.parametrize(
    ("col", "raw", "code"),
    [
        (extf.COL_AMOUNT, "-119,00", "amount"),
        (extf.COL_AMOUNT, "119.00", "amount"),
        (extf.COL_AMOUNT, "119,0", "amount"),
        (extf.COL_AMOUNT, "0,00", "amount"),
        (extf.COL_AMOUNT, "12345678901,00", "amount"),
        (extf.COL_SIDE, '"X"', "side"),
        (extf.COL_CURRENCY, '"euro"', "currency"),
        (extf.COL_ACCOUNT, "12a0", "account"),
        (extf.COL_ACCOUNT, "", "account"),
        (extf.COL_CONTRA, "840", "account_length"),
        (extf.COL_CONTRA, "840000", "account_length"),
        (extf.COL_TAX_KEY, '"9x"', "tax_key"),
        (extf.COL_TAX_KEY, '"3"', "tax_key_automatic"),
        (extf.COL_DATE, "503", "date"),
        (extf.COL_DATE, "3102", "date"),
        (extf.COL_DATE, "0403", "date_outside_period"),
        (extf.COL_DOCUMENT, '"123_456"', "document_field"),
        (extf.COL_DOCUMENT, '"' + "1" * 37 + '"', "document_field"),
        (extf.COL_DOCUMENT, '"Abr. 123"', "document_field"),
        (extf.COL_DOCUMENT_2, '"1234567890123"', "document_field_2"),
        (extf.COL_TEXT, '"' + "x" * 61 + '"', "text_length"),
        (extf.COL_INFO, '"' + "x" * 21 + '"', "text_length"),
        (extf.COL_EU_COUNTRY, '"france"', "eu_field"),
        (extf.COL_EU_RATE, "20", "eu_rate"),
        (extf.COL_ORIGIN_VAT_ID, '"FR 123"', "eu_field"),
        (extf.COL_FESTSCHREIBUNG, "", "festschreibung"),
        (extf.COL_FESTSCHREIBUNG, "1", "festschreibung"),
    ],
)
def test_booking_rules(col: int, raw: str, code: str) -> None:
    assert (1, code) in codes(_with(1, col, raw))


def test_tax_key_40_is_allowed_on_automatic_accounts() -> None:
    assert validate(_with(1, extf.COL_TAX_KEY, '"40"')) == []


def test_rate_rules() -> None:
    lines = _lines()
    row = lines[2]
    row[extf.COL_CURRENCY], row[extf.COL_RATE] = '"GBP"', "0,00"
    row[extf.COL_BASE_AMOUNT], row[extf.COL_BASE_CURRENCY] = "140,00", '"EUR"'
    assert (1, "rate") in codes(_bytes(lines))
    row[extf.COL_RATE] = "0,85"  # GBP per EUR is below 1 (docs/tax-rules.md §7)
    assert validate(_bytes(lines)) == []
    row[extf.COL_RATE] = "1,171234"
    assert validate(_bytes(lines)) == []
    row[extf.COL_RATE] = "1,1712345"
    assert (1, "rate") in codes(_bytes(lines))
    row[extf.COL_RATE] = ""
    assert (1, "base_amount_pair") in codes(_bytes(lines))


def test_oss_key_needs_country_and_rate() -> None:
    lines = _lines()
    row = lines[2]
    row[extf.COL_CONTRA], row[extf.COL_TAX_KEY] = "8320", '"240"'
    assert (1, "oss_fields") in codes(_bytes(lines))
    row[extf.COL_EU_COUNTRY], row[extf.COL_EU_RATE] = '"FR"', "20,00"
    assert validate(_bytes(lines)) == []


def test_column_count_per_row() -> None:
    lines = _lines()
    lines[3] = lines[3][:124]
    assert (2, "column_count") in codes(_bytes(lines))


def test_crlf_everywhere() -> None:
    data = GOLDEN.read_bytes()
    assert (None, "line_ending") in codes(data.replace(b"\r\n", b"\n", 1))
    assert (None, "line_ending") in codes(data[:-2])
    assert validate(data) == []


def test_encoding() -> None:
    assert codes(GOLDEN.read_bytes() + b"\x81") == {(None, "encoding")}
    utf8 = GOLDEN.read_bytes().decode("cp1252").encode("utf-8")
    # UTF-8 umlauts decode as cp1252 mojibake; the headings then do not match.
    assert (None, "headings") in codes(utf8)


def test_unclosed_quote() -> None:
    assert (1, "quotes") in codes(_with(1, extf.COL_TEXT, '"Amazon'))


def test_no_bookings_and_too_many(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines()
    assert (None, "no_bookings") in codes(_bytes(lines[:2]))
    assert (None, "too_many_rows") not in codes(_bytes(lines))
    monkeypatch.setattr(extf, "MAX_BOOKINGS", 8)  # 9 bookings; the real limit is 99,999
    assert (None, "too_many_rows") in codes(_bytes(lines))


def test_too_few_lines() -> None:
    assert (None, "too_few_lines") in codes(b'"EXTF";700\r\n')
