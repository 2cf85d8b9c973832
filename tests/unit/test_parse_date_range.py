"""Date Range transaction reports, English (US) and German, one Line per money cell."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.reports import Category, Kind, ReportError, parse
from tests.helpers import REPORTS

FIXTURES = REPORTS
D = Decimal


def load(name: str):
    return parse((FIXTURES / name).read_bytes(), name)


def totals(report) -> dict[str, Decimal]:
    return {str(category): value for category, value in report.category_totals().items()}


def test_english_us_with_preamble():
    report = load("date_range_en_us.csv")
    assert (report.kind, report.layout) == (Kind.DATE_RANGE, "date_range_en")
    assert report.currency == "USD"
    # Pacific time converted: 11:30 PM PDT on 31 March is 1 April in UTC.
    assert report.key == "2026-03-01..2026-04-01"
    assert report.period_start == datetime(2026, 3, 1, 8, 5, 9, tzinfo=UTC)
    assert report.period_end == datetime(2026, 4, 1, 6, 30, tzinfo=UTC)
    assert report.deposit_date is None
    assert report.total == D("-1041.32") and report.reconciles and len(report.lines) == 21
    assert report.marketplaces == ["Amazon.com"]
    assert totals(report) == {
        "product_sales": D("51.98"), "product_tax": D("4.03"), "shipping": D("2.99"),
        "marketplace_withheld_tax": D("-4.03"), "selling_fee": D("-8.02"),
        "fba_fee": D("-9.66"), "promotion": D("-5.00"), "advertising": D("-45.00"),
        "subscription": D("-39.99"), "storage_fee": D("-3.12"), "reimbursement": D("14.50"),
        "payout": D("-1000.00"),
    }
    first = report.lines[0]
    assert first.combination == ("Order", "product sales", 'Ceramic Mug, 12 oz, "Blue"')
    assert first.amount == D("25.99") and first.line_no == 9
    assert first.settlement_id == "17833217601" and first.fulfillment == "Amazon"
    assert first.extra["order postal"] == "92115-6801"
    assert {line.line_no for line in report.lines if line.order_id == "112-1234567-7654321"
            and line.transaction_type == "Order"} == {9}


def test_german_with_localised_header_and_decimal_comma():
    report = load("date_range_de.csv")
    assert report.layout == "date_range_de" and report.currency == "EUR"
    assert report.key == "2026-03-05..2026-03-18"
    assert report.total == D("-1174.59") and report.reconciles and len(report.lines) == 21
    assert totals(report) == {
        "product_sales": D("115.21"), "product_tax": D("21.89"), "selling_fee": D("-20.94"),
        "fba_fee": D("-3.35"), "shipping": D("3.36"), "shipping_tax": D("0.64"),
        "promotion": D("-5.00"), "marketplace_withheld_tax": D("-4.63"),
        "advertising": D("-10.00"), "subscription": D("-39.00"), "reimbursement": D("11.79"),
        "storage_fee": D("-2.50"), "other_fee": D("-7.50"), "payout": D("-1234.56"),
    }
    payout = report.lines[-1]
    assert payout.transaction_type == "Übertrag" and payout.amount_type == "other"
    assert payout.category is Category.PAYOUT and payout.amount == D("-1234.56")
    assert report.lines[0].extra["Transaktionsstatus"] == "Freigegeben"


def test_row_total_is_checked():
    data = (FIXTURES / "date_range_de.csv").read_bytes().replace(b'"97,80"', b'"97,81"')
    with pytest.raises(ReportError) as caught:
        parse(data, "dr.csv")
    error = caught.value
    assert error.code == "row_total_mismatch" and error.line == 10
    assert error.params == {"total": "97.81", "sum": "97.80"}


def test_header_without_rows_and_unclosed_quote():
    data = (FIXTURES / "date_range_en_us.csv").read_bytes()
    header_end = data.index(b'"total"\n') + len(b'"total"\n')
    with pytest.raises(ReportError) as caught:
        parse(data[:header_end], "dr.csv")
    assert caught.value.code == "truncated"
    with pytest.raises(ReportError) as caught:
        parse(data[: header_end + 40], "dr.csv")
    assert caught.value.code == "truncated"


def test_missing_total_column_is_named():
    data = (FIXTURES / "date_range_en_us.csv").read_bytes().replace(b'"total"', b'"sum"')
    with pytest.raises(ReportError) as caught:
        parse(data, "dr.csv")
    assert caught.value.code == "unknown_layout" and "total" in str(caught.value)
