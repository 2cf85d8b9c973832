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
