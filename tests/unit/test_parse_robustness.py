"""Property tests: any bytes give a ParsedReport or a ReportError — nothing else.

The unprotected path (`collect(stream(...))`, without parse()'s last-resort conversion of
unexpected exceptions) is exercised, so a bug shows up here as a real exception.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.reports import ReportError
from core.reports.model import ParsedReport
from core.reports.stream import collect, parse, stream
from tests.helpers import REPORTS

FIXTURES = REPORTS
SAMPLES = {path.name: path.read_bytes() for path in sorted(FIXTURES.iterdir())
           if path.is_file()}
NAMES = sorted(SAMPLES)
SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

WEIRD_CELLS = [b"", b" ", b"abc", b"-", b"1e5", b"NaN", b"12.50", b"1,2,3", b"1.234,56",
               b"99/99/99", b"13/13/13", b"02/30/26", b"31.02.2026", b"2026-02-30",
               b"\"", b"\"\"", b"\t", b",", b"0", b"-0,00", b"999999999999999999999",
               b"\xff\xfe", b"\xc3", b"Current Reserve Amount", b"EUR", b"GBP", b"123",
               b"settlement-id", b"Order", b"SALE", b"FC_TRANSFER", b"2020-XYZ", b"\x00",
               b"Jun 31, 2025 10:23:05 PM PDT", b"\r", b"\xe2\x80\xaf"]


def check(data: bytes) -> None:
    try:
        report = collect(stream(data, "fuzz.txt"))
    except ReportError as error:
        assert error.code and error.filename == "fuzz.txt"
        assert "fuzz.txt" in error.message()
        return
    assert isinstance(report, ParsedReport)
    assert isinstance(report.total, Decimal)
    for line in report.lines:
        assert isinstance(line.amount, Decimal)
        assert line.posted is None or line.posted.utcoffset() == timedelta(0)


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    check(data)


@SETTINGS
@given(st.sampled_from(NAMES), st.binary(max_size=2000))
def test_valid_header_then_random_bytes(name, tail):
    sample = SAMPLES[name]
    cut = sample.find(b"\n", sample.find(b"\n") + 1) + 1
    check(sample[:cut] + tail)


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(NAMES))
    lines = SAMPLES[name].split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["drop", "dup", "swap", "cut", "flip", "cell", "insert"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
            del lines[i + 1:]
        elif op == "flip" and lines[i]:
            at = draw(st.integers(0, len(lines[i]) - 1))
            line = bytearray(lines[i])
            line[at] = draw(st.integers(0, 255))
            lines[i] = bytes(line)
        elif op == "cell":
            sep = b"\t" if b"\t" in lines[i] else b","
            cells = lines[i].split(sep)
            at = draw(st.integers(0, len(cells) - 1))
            value = draw(st.one_of(st.sampled_from(WEIRD_CELLS),
                                   st.text(max_size=12).map(lambda t: t.encode("utf-8"))))
            if sep == b"," and draw(st.booleans()):
                value = b'"' + value + b'"'
            cells[at] = value
            lines[i] = sep.join(cells)
        elif op == "insert":
            lines.insert(i, draw(st.binary(max_size=60)))
    return b"\n".join(lines)


@SETTINGS
@given(mutated())
def test_mutated_fixtures(data):
    check(data)


@SETTINGS
@given(mutated())
def test_parse_never_raises_anything_but_report_error(data):
    try:
        parse(data, "fuzz.txt")
    except ReportError as error:
        assert error.code != "internal_error", error.message()


def test_every_fixture_parses():
    for name, data in SAMPLES.items():
        report = parse(data, name)
        assert report.lines, name


# -- malformed numbers and quantities in any column ----------------------------------------

BAD_NUMBERS = ["--1", "-+1", "+-3", "1--", "1e5", "1E-3", "0x10", "1..2", "1,,2", ".", ",",
               "-", "+", "1.2.3,4", "Infinity", "-inf", "nan", "sNaN", "１", "٣", "1_000",
               "9" * 30, "0." + "1" * 30, "-" + "9" * 40, "1" * 29 + ",5", "0,19" + "0" * 30 + "1",
               "12 345", "1\u00a0234,5", "(12.50)", "12.50-", "€12", "12%"]


def _rows(data: bytes) -> tuple[list[list[str]], str, int]:
    import csv
    import io

    text = data.decode("latin-1")  # bytes round-trip unchanged, whatever the encoding
    first = text.splitlines()[-1]
    delimiter = "\t" if "\t" in first else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return rows, delimiter, csv.QUOTE_ALL if first.startswith('"') else csv.QUOTE_MINIMAL


def _with_cell(name: str, row: int, column: int, value: str) -> bytes:
    import csv
    import io

    rows, delimiter, quoting = _rows(SAMPLES[name])
    rows = [r for r in rows if r]
    row = row % len(rows)
    rows[row][column % len(rows[row])] = value
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("latin-1", errors="replace")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(NAMES), st.integers(0, 200), st.integers(0, 120),
       st.one_of(st.sampled_from(BAD_NUMBERS),
                 st.from_regex(r"[+\-]{0,3}[0-9]{0,35}[.,]{0,2}[0-9]{0,35}", fullmatch=True)))
def test_malformed_number_in_any_column(name, row, column, value):
    """Any malformed amount, rate or quantity in any cell: a report or a ReportError."""
    check(_with_cell(name, row, column, value))


def test_every_column_of_every_fixture_with_the_known_bad_values():
    # The two inputs once found raising (ValueError, InvalidOperation), in every column.
    for name in NAMES:
        rows, _delimiter, _quoting = _rows(SAMPLES[name])
        widths = max(len(r) for r in rows)
        data_row = len(rows) - 1
        while data_row and len(rows[data_row]) < widths:
            data_row -= 1
        for column in range(widths):
            for value in ("--1", "0," + "1" * 30, "1" * 30):
                check(_with_cell(name, data_row, column, value))


def test_double_minus_quantity_is_a_report_error_naming_file_and_line():
    from core.reports.stream import parse as parse_report

    vat = SAMPLES["vat_92_comma.csv"]
    header = vat.split(b"\n")[0].decode().split(",")
    data = _with_cell("vat_92_comma.csv", 1, header.index("QTY"), "--1")
    try:
        parse_report(data, "vat.csv")
    except ReportError as error:
        assert error.code == "bad_number" and error.line == 2 and "vat.csv" in error.message()
    else:
        raise AssertionError("--1 was accepted as a quantity")


def test_thirty_digit_vat_rate_is_a_report_error():
    vat = SAMPLES["vat_92_comma.csv"]
    header = vat.split(b"\n")[0].decode().split(",")
    column = header.index("PRICE_OF_ITEMS_VAT_RATE_PERCENT")
    data = _with_cell("vat_92_comma.csv", 1, column, "1" * 30)
    try:
        parse(data, "vat.csv")
    except ReportError as error:
        assert error.code == "bad_number" and error.line == 2
        assert error.params["column"] == "PRICE_OF_ITEMS_VAT_RATE_PERCENT"
    else:
        raise AssertionError("a 30-digit VAT rate was accepted")
