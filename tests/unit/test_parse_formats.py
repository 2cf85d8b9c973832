"""Numbers, dates and decoding: the per-file building blocks of every parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.reports.dates import DMY, MDY, BadDate, DateParser, InconsistentDate, slash_order_in
from core.reports.decode import open_text
from core.reports.model import ReportError
from core.reports.numbers import BadNumber, NumberFormat

UTC = UTC


@pytest.mark.parametrize(("text", "expected"), [
    ("1.141,18", "1141.18"), ("1141,18", "1141.18"), ("-0,30", "-0.30"), ("+5,00", "5.00"),
    ("  83,89  ", "83.89"), ("12", "12"), ("1 234,56", "1234.56"),
    ("1\u202f234,56", "1234.56"), ("0,0", "0.0"), ("-1.000.000,01", "-1000000.01"),
])
def test_decimal_comma(text, expected):
    value = NumberFormat(",").parse(text)
    assert value == Decimal(expected) and str(value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("1,141.18", "1141.18"), ("1141.18", "1141.18"), ("-62.31", "-62.31"),
    ("321.69    ", "321.69"), ("11.0466", "11.0466"), ("0.19", "0.19"),
])
def test_decimal_dot(text, expected):
    assert str(NumberFormat(".").parse(text)) == expected


@pytest.mark.parametrize("text", ["12.50", "abc", "", "1e5", "NaN", "Infinity",
                                  "1.14,18", "--1", "1,00,0", "٣,٠", "12,", ",5"])
def test_comma_format_rejects(text):
    with pytest.raises(BadNumber):
        NumberFormat(",").parse(text)


@pytest.mark.parametrize(("sample", "currency", "decimal"), [
    ("83,89", "EUR", ","), ("1016.08", "CAD", "."), ("-62.31", "", "."),
    ("1.141,18", "USD", ","), ("1,141.18", "EUR", "."),
    ("1.141", "EUR", ","), ("1,141", "USD", "."), ("100", "SEK", ","), ("100", "GBP", "."),
])
def test_number_format_guess(sample, currency, decimal):
    assert NumberFormat.guess(sample, currency).decimal == decimal


def test_no_float_in_results():
    assert type(NumberFormat(",").parse("0,10")) is Decimal


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-07-31T22:07:18+00:00", datetime(2025, 7, 31, 22, 7, 18, tzinfo=UTC)),
    ("2003-10-03T16:00:00-07:00", datetime(2003, 10, 3, 23, 0, tzinfo=UTC)),
    ("2025-06-09 05:23:19 UTC", datetime(2025, 6, 9, 5, 23, 19, tzinfo=UTC)),
    ("14.03.2023 07:49:55 UTC", datetime(2023, 3, 14, 7, 49, 55, tzinfo=UTC)),
    ("01.03.2026 14:37:12 UTC", datetime(2026, 3, 1, 14, 37, 12, tzinfo=UTC)),
    ("05.03.2026", datetime(2026, 3, 5, tzinfo=UTC)),
    ("2026-03-05", datetime(2026, 3, 5, tzinfo=UTC)),
    ("Jun 8, 2025 10:23:05 PM PDT", datetime(2025, 6, 9, 5, 23, 5, tzinfo=UTC)),
    ("Dec 1, 2017 12:38:23 AM PST", datetime(2017, 12, 1, 8, 38, 23, tzinfo=UTC)),
    ("15 Mar 2026 3:22:08 PM UTC", datetime(2026, 3, 15, 15, 22, 8, tzinfo=UTC)),
    ("1 Jul 2026 4:24:44 am UTC", datetime(2026, 7, 1, 4, 24, 44, tzinfo=UTC)),
    ("1 Jul 2026 4:24:44 p.m. UTC", datetime(2026, 7, 1, 16, 24, 44, tzinfo=UTC)),
    ("30-01-2020", datetime(2020, 1, 30, tzinfo=UTC)),
    ("03/14/26", datetime(2026, 3, 14, tzinfo=UTC)),
    ("14/03/26", datetime(2026, 3, 14, tzinfo=UTC)),
])
def test_dates(text, expected):
    value = DateParser().parse(text)
    assert value == expected and value.utcoffset() == timedelta(0)


@pytest.mark.parametrize("text", ["", "yesterday", "31.02.2026", "2026-13-01",
                                  "13/13/26", "Foo 8, 2025 10:23:05 PM PDT",
                                  "Jun 8, 2025 10:23:05 PM XYZ", "2026-03-05T25:00:00",
                                  "Jun 8, 2025 13:23:05 PM PDT", "2026-03-05 10:00 +9999"])
def test_bad_dates(text):
    with pytest.raises(BadDate):
        DateParser().parse(text)


def test_slash_order_decided_by_value_over_twelve_and_kept():
    parser = DateParser()
    assert parser.parse("03/14/26") == datetime(2026, 3, 14, tzinfo=UTC)
    assert parser.slash_order == MDY
    assert parser.parse("03/04/26") == datetime(2026, 3, 4, tzinfo=UTC)
    with pytest.raises(InconsistentDate):
        parser.parse("14/03/26")


def test_slash_order_decided_by_reference_timestamp():
    parser = DateParser()
    reference = datetime(2025, 6, 9, 5, 23, 19, tzinfo=UTC)
    assert parser.parse("09/06/25", reference) == datetime(2025, 6, 9, tzinfo=UTC)
    assert parser.slash_order == DMY


def test_slash_order_scan_of_raw_bytes():
    assert slash_order_in(b"x\t03/04/26\tx\n\t03/24/26\t") == MDY
    assert slash_order_in(b"x\t24/03/26\t") == DMY
    assert slash_order_in(b"1/2/26 and 2/1/26") is None


def test_decode_strips_bom_and_falls_back_to_cp1252():
    text = open_text("\ufeffa\tb\r\nä\n".encode("utf-8"))
    assert text.encoding == "utf-8" and list(text.lines()) == ["a\tb", "ä"]
    text = open_text("a\tä\n".encode("cp1252"))
    assert text.encoding == "cp1252" and list(text.lines()) == ["a\tä"]
    text = open_text(b"a\x81\n")  # undefined in cp1252
    assert text.encoding == "latin-1"
    text = open_text("x\ty\n".encode("utf-16"))
    assert list(text.lines()) == ["x\ty"]


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty_file"), (b"\xef\xbb\xbf \r\n", "empty_file"),
    (b"%PDF-1.7\n...", "not_a_report"), (b"PK\x03\x04rest", "not_a_report"),
    (b"\x89PNG\r\n\x1a\n", "not_a_report"), (b"ab\x00cd", "not_a_report"),
    (b"\x1f\x8bnot really gzip", "not_a_report"),
])
def test_decode_refuses(data, code):
    with pytest.raises(ReportError) as caught:
        open_text(data, "f.bin")
    assert caught.value.code == code and "f.bin" in str(caught.value)


def test_gzip_is_unpacked():
    import gzip

    text = open_text(gzip.compress(b"a\tb\n"))
    assert list(text.lines()) == ["a\tb"]
