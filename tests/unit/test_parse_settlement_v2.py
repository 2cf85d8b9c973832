"""Golden tests for V2 settlement flat files in four locales (fixtures written by hand)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.reports import Category, Kind, ReportError, parse, stream
from tests.helpers import REPORTS

FIXTURES = REPORTS
D = Decimal


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def totals(report) -> dict[str, Decimal]:
    return {str(category): value for category, value in report.category_totals().items()}


def test_worked_example_matches_design_exactly():
    report = parse(read("settlement_v2_de_worked_example.txt"),
                   "settlement_v2_de_worked_example.txt")
    assert report.kind is Kind.SETTLEMENT
    assert report.layout == "settlement_v2"
    assert report.key == "123"
    assert report.currency == "EUR"
    assert report.total == D("83.89")
    assert report.reconciles and report.lines_sum == D("83.89")
    assert report.period_start.date() == date(2026, 3, 1)
    assert report.period_end.date() == date(2026, 3, 15)
    assert report.deposit_date.date() == date(2026, 3, 18)
    assert report.deposit_date.tzinfo is UTC
    assert report.marketplaces == ["Amazon.de"]
    assert [(line.combination, line.amount) for line in report.lines] == [
        (("Order", "ItemPrice", "Principal"), D("100.00")),
        (("Order", "ItemPrice", "Tax"), D("19.00")),
        (("Order", "ItemFees", "Commission"), D("-17.85")),
        (("Order", "ItemFees", "FBAPerUnitFulfillmentFee"), D("-3.35")),
        (("Refund", "ItemPrice", "Principal"), D("-10.00")),
        (("Refund", "ItemPrice", "Tax"), D("-1.90")),
        (("Refund", "ItemFees", "Commission"), D("1.50")),
        (("Refund", "ItemFees", "RefundCommission"), D("-0.30")),
        (("ServiceFee", "Cost of Advertising", "TransactionTotalAmount"), D("-10.00")),
        (("other-transaction", "other-transaction", "Current Reserve Amount"), D("-20.00")),
        (("other-transaction", "other-transaction", "Previous Reserve Amount Balance"),
         D("15.00")),
        (("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE"),
         D("11.79")),
    ]
    assert {line.posted.date() for line in report.lines} == {date(2026, 3, 5)}
    assert totals(report) == {
        "product_sales": D("90.00"), "product_tax": D("17.10"), "selling_fee": D("-16.65"),
        "fba_fee": D("-3.35"), "advertising": D("-10.00"), "reserve_held": D("-20.00"),
        "reserve_released": D("15.00"), "reimbursement": D("11.79"),
    }
    first = report.lines[0]
    assert first.line_no == 3
    assert first.order_id == "302-1111111-1111111" and first.sku == "WIDGET-BLUE"
    assert first.quantity == 1 and first.fulfillment == "AFN"
    assert first.settlement_id == "123" and first.currency == "EUR"
    assert first.extra["order-item-code"] == "51234567890123"
    assert all(isinstance(line.amount, Decimal) for line in report.lines)


GOLDEN = {
    "settlement_v2_de.txt": dict(
        key="24681357901", currency="EUR", total=D("534.66"), lines=24,
        start=datetime(2026, 2, 1, 14, 37, 12, tzinfo=UTC),
        end=datetime(2026, 2, 15, 14, 37, 12, tzinfo=UTC),
        deposit=date(2026, 2, 17), marketplaces=["Amazon.de"],
        categories={
            "product_sales": D("613.44"), "product_tax": D("116.56"), "shipping": D("7.56"),
            "shipping_tax": D("1.44"), "promotion": D("-15.00"), "selling_fee": D("-107.91"),
            "fba_fee": D("-7.70"), "marketplace_withheld_tax": D("-5.43"),
            "subscription": D("-39.00"), "shipping_label": D("-5.49"),
            "advertising": D("-23.81"),
        },
    ),
    "settlement_v2_fr.txt": dict(
        key="11223344556", currency="EUR", total=D("2.80"), lines=15,
        start=datetime(2026, 3, 1, 8, tzinfo=UTC),
        end=datetime(2026, 3, 15, 8, tzinfo=UTC),
        deposit=date(2026, 3, 17), marketplaces=["Amazon.fr"],
        categories={
            "product_sales": D("25.00"), "product_tax": D("5.00"), "gift_wrap": D("2.50"),
            "gift_wrap_tax": D("0.50"), "selling_fee": D("-5.67"), "fba_fee": D("-4.15"),
            "shipping": D("-2.50"), "shipping_tax": D("-0.50"), "storage_fee": D("-8.38"),
            "reimbursement": D("-9.00"),
        },
    ),
    "settlement_v2_uk.txt": dict(
        key="55667788990", currency="GBP", total=D("-491.04"), lines=10,
        start=datetime(2026, 3, 1, 22, 7, 18, tzinfo=UTC),
        end=datetime(2026, 3, 15, 22, 7, 18, tzinfo=UTC),
        deposit=date(2026, 3, 17), marketplaces=["Amazon.co.uk"],
        categories={
            "product_sales": D("1054.17"), "product_tax": D("210.83"),
            "selling_fee": D("-189.75"), "fba_fee": D("-8.95"),
            "carried_balance": D("-312.34"), "advertising": D("-1245.00"),
        },
    ),
    "settlement_v2_us.txt": dict(
        key="17833217601", currency="USD", total=D("-5.08"), lines=12,
        start=datetime(2026, 3, 1, 7, tzinfo=UTC),
        end=datetime(2026, 3, 15, 7, tzinfo=UTC),
        deposit=date(2026, 3, 17), marketplaces=["Amazon.com"],
        categories={
            "product_sales": D("43.99"), "product_tax": D("2.01"), "shipping": D("2.99"),
            "marketplace_withheld_tax": D("-2.01"), "selling_fee": D("-8.85"),
            "fba_fee": D("-3.22"), "card_charge": D("40.11"), "carried_balance": D("-40.11"),
            "subscription": D("-39.99"),
        },
    ),
}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_v2(name):
    expected = GOLDEN[name]
    report = parse(read(name), name)
    assert (report.kind, report.layout) == (Kind.SETTLEMENT, "settlement_v2")
    assert report.key == expected["key"]
    assert report.currency == expected["currency"]
    assert report.total == expected["total"]
    assert report.reconciles is True
    assert len(report.lines) == expected["lines"]
    assert report.period_start == expected["start"]
    assert report.period_end == expected["end"]
    assert report.deposit_date.date() == expected["deposit"]
    assert report.marketplaces == expected["marketplaces"]
    assert totals(report) == expected["categories"]
    assert report.unmapped() == {}


def test_de_file_bom_crlf_trailing_spaces_and_thousands():
    data = read("settlement_v2_de.txt")
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"1.008,40" in data
    report = parse(data, "de.txt")
    principal = report.lines[0]
    assert principal.amount == D("1008.40") and principal.sku == "KAFFEEMÜHLE-XL"
    assert principal.quantity == 2
    shipping = report.lines[2]
    assert shipping.amount_description == "Shipping" and shipping.amount == D("4.20")
    promo = report.lines[4]
    assert promo.category is Category.PROMOTION
    assert promo.extra["promotion-id"] == "FREE-SHIPPING-DE-2026"
    # lower-case "amazon.de" in the file is normalised
    assert {line.marketplace for line in report.lines} == {"Amazon.de", ""}
    withheld = [line for line in report.lines if line.amount_type == "ItemWithheldTax"]
    assert [line.category for line in withheld] == [Category.MARKETPLACE_WITHHELD_TAX] * 2


def test_fr_file_parsed_by_header_name_with_unknown_column():
    report = parse(read("settlement_v2_fr.txt"), "fr.txt")
    assert report.lines[0].extra["marketplace-id"] == "A13V1IB3VIYZZH"
    assert report.lines[0].sku == "THÉIÈRE-FONTE"
    assert "promotion-id" not in report.lines[0].extra


def test_uk_slash_dates_are_day_first_and_us_month_first():
    uk = parse(read("settlement_v2_uk.txt"), "uk.txt")
    assert uk.lines[0].posted == datetime(2026, 3, 14, 21, 5, 17, tzinfo=UTC)
    us = parse(read("settlement_v2_us.txt"), "us.txt")
    # rows without posted-date-time fall back to posted-date MM/DD/YY
    late = [line for line in us.lines if line.order_id == "112-7654321-1234567"]
    assert {line.posted for line in late} == {datetime(2026, 3, 14, tzinfo=UTC)}
    charge = next(line for line in us.lines if line.category is Category.CARD_CHARGE)
    assert charge.posted == datetime(2026, 3, 1, tzinfo=UTC)


def test_reconciliation_mismatch_is_reported_not_raised():
    data = read("settlement_v2_de_worked_example.txt").replace(b"\t83,89\t", b"\t84,89\t")
    report = parse(data, "w.txt")
    assert report.total == D("84.89") and report.lines_sum == D("83.89")
    assert report.reconciles is False and report.difference == D("-1.00")


def test_stream_exposes_header_facts_before_iteration_and_totals_after():
    s = stream(read("settlement_v2_de_worked_example.txt"), "w.txt")
    assert (s.kind, s.key, s.currency, s.total) == (Kind.SETTLEMENT, "123", "EUR", D("83.89"))
    assert s.deposit_date.date() == date(2026, 3, 18)
    assert s.reconciles is None  # not known yet
    amounts = [line.amount for line in s]
    assert len(amounts) == 12 and s.count == 12 and s.finished
    assert s.lines_sum == D("83.89") and s.reconciles is True
    assert s.category_totals()[Category.RESERVE_HELD] == D("-20.00")
    assert s.marketplaces == ["Amazon.de"] and s.unmapped() == {}
    with pytest.raises(RuntimeError):
        iter(s)


def test_unknown_combination_is_unmapped_and_counted():
    data = read("settlement_v2_de_worked_example.txt").replace(
        b"\tCurrent Reserve Amount\t", b"\tBrand New Thing\t")
    report = parse(data, "w.txt")
    assert report.unmapped() == {("other-transaction", "other-transaction",
                                  "Brand New Thing"): 1}
    assert report.reconciles


def test_overrides_win_over_defaults():
    report = parse(read("settlement_v2_de_worked_example.txt"), "w.txt",
                   overrides={("ServiceFee", "Cost of Advertising", "*"): Category.OTHER_FEE})
    assert totals(report)["other_fee"] == D("-10.00")
    assert "advertising" not in totals(report)


def test_cp1252_settlement_is_decoded():
    text = read("settlement_v2_de_worked_example.txt").decode("utf-8")
    data = text.replace("WIDGET-BLUE", "GRÜNER-TEE").encode("cp1252")
    report = parse(data, "cp.txt")
    assert report.encoding == "cp1252" and report.lines[0].sku == "GRÜNER-TEE"


def test_two_settlements_in_one_file_are_refused():
    data = read("settlement_v2_de_worked_example.txt")
    lines = data.split(b"\n")
    lines[5] = lines[5].replace(b"123\t", b"999\t", 1)
    with pytest.raises(ReportError) as caught:
        parse(b"\n".join(lines), "two.txt")
    assert caught.value.code == "mixed_settlements" and caught.value.line == 6
    assert "two.txt, line 6" in str(caught.value)
