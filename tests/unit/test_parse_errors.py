"""Bad input: every failure is a ReportError with a code, the file name and the line."""

from __future__ import annotations

import pytest

from core.reports import ReportError, parse
from core.reports import errors as E
from tests.helpers import REPORTS

FIXTURES = REPORTS
WORKED = (FIXTURES / "settlement_v2_de_worked_example.txt").read_bytes()


def fail(data: bytes, filename: str = "upload.txt") -> ReportError:
    with pytest.raises(ReportError) as caught:
        parse(data, filename)
    error = caught.value
    assert error.filename == filename
    assert filename in str(error)
    return error


def lines() -> list[bytes]:
    return WORKED.split(b"\n")


def cell(line: bytes, column: int, value: bytes) -> bytes:
    cells = line.split(b"\t")
    cells[column] = value
    return b"\t".join(cells)


def test_every_template_names_the_file_and_renders():
    assert E.ALL_TEMPLATES, "templates are collected"
    for name, template in E.ALL_TEMPLATES.items():
        assert "%(filename)s" in template, name
        params = {key: "X" for key in ("format", "lines", "size", "limit", "columns", "cells",
                                       "expected", "column", "value", "settlement", "other",
                                       "currency", "total", "sum", "detail")}
        ReportError("code", template, line=7, filename="f.txt", **params).message()


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty_file"),
    (b"\r\n\r\n", "empty_file"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not_a_report"),
    (b"PK\x03\x04\x14\x00\x06\x00", "not_a_report"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "not_a_report"),
    (bytes(range(256)), "not_a_report"),
    (b"Dear seller,\nthank you for your order.\n", "not_a_report"),
    (b"<html><body>Sign in</body></html>", "not_a_report"),
    (b'<?xml version="1.0"?><AmazonEnvelope><Message><SettlementReport/></Message>',
     "unsupported_format"),
])
def test_not_a_report(data, code):
    assert fail(data).code == code


def test_header_without_rows_is_truncated():
    error = fail(lines()[0] + b"\n")
    assert error.code == "truncated" and error.line == 2


def test_missing_summary_row_is_truncated():
    data = b"\n".join([lines()[0], *lines()[2:]])
    error = fail(data)
    assert error.code == "truncated" and error.line == 2 and "summary row" in str(error)


def test_row_cut_short_is_truncated():
    data = WORKED.rstrip(b"\n")
    data = data[: data.rfind(b"\t", 0, len(data) - 30)]
    error = fail(data)
    assert error.code == "truncated" and error.line == 14
    assert error.params["expected"] == 24


def test_too_many_cells_is_refused():
    rows = lines()
    rows[3] += b"\tsurplus"
    error = fail(b"\n".join(rows))
    assert error.code == "bad_row" and error.line == 4


def test_empty_surplus_cells_are_tolerated():
    rows = lines()
    rows[3] += b"\t\t"
    assert parse(b"\n".join(rows), "x").reconciles


def test_missing_required_columns_are_named():
    rows = lines()
    rows[0] = rows[0].replace(b"amount-description", b"amount-desc").replace(
        b"\tcurrency\t", b"\tcurr\t")
    error = fail(b"\n".join(rows))
    assert error.code == "unknown_layout" and error.line == 1
    assert error.params["columns"] == "currency, amount-description"
    assert "currency, amount-description" in str(error)


def test_bad_amount_names_line_column_and_value():
    rows = lines()
    rows[4] = cell(rows[4], 14, b"12.5O")
    error = fail(b"\n".join(rows), "abrechnung.txt")
    assert error.code == "bad_number" and error.line == 5
    assert error.params == {"column": "amount", "value": "12.5O"}
    assert str(error) == (
        'abrechnung.txt, line 5: "12.5O" in column amount is not an amount.')


def test_dot_amount_in_comma_file_is_an_error_not_a_silent_factor_100():
    rows = lines()
    rows[4] = cell(rows[4], 14, b"-17.85")
    assert fail(b"\n".join(rows)).code == "bad_number"


def test_bad_total_and_bad_date():
    rows = lines()
    rows[1] = cell(rows[1], 4, b"83,89,1")
    assert fail(b"\n".join(rows)).params["column"] == "total-amount"
    rows = lines()
    rows[6] = cell(rows[6], 17, b"31.02.2026 10:00:00 UTC")
    error = fail(b"\n".join(rows))
    assert error.code == "bad_date" and error.line == 7
    assert error.params == {"column": "posted-date-time", "value": "31.02.2026 10:00:00 UTC"}


def test_bad_quantity():
    rows = lines()
    rows[2] = cell(rows[2], 22, b"one")
    error = fail(b"\n".join(rows))
    assert error.code == "bad_number" and error.params["column"] == "quantity-purchased"


def test_mixed_currency_and_duplicate_summary():
    rows = lines()
    rows[3] = cell(rows[3], 5, b"GBP")
    error = fail(b"\n".join(rows))
    assert error.code == "mixed_currencies" and error.line == 4
    rows = lines()
    rows.insert(5, rows[1])
    assert fail(b"\n".join(rows)).code == "duplicate_summary"


def test_missing_settlement_id_or_currency_in_summary():
    rows = lines()
    rows[1] = cell(rows[1], 0, b"")
    error = fail(b"\n".join(rows))
    assert error.code == "missing_value" and error.params["column"] == "settlement-id"


def test_long_values_are_shortened_in_messages():
    rows = lines()
    rows[4] = cell(rows[4], 14, b"9" * 500 + b"x")
    error = fail(b"\n".join(rows))
    assert len(error.params["value"]) < 80


def test_too_large(monkeypatch):
    from core.reports import decode

    monkeypatch.setattr(decode, "MAX_BYTES", 100)
    assert fail(WORKED).code == "too_large"
