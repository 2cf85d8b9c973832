"""Legacy V1 settlement flat files: 36 and 33 columns, each amount cell its own line."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core.reports import Category, parse
from tests.helpers import REPORTS

FIXTURES = REPORTS
REAL_SAMPLES = Path("/work/shared/samples/public")
D = Decimal


def load(name: str):
    return parse((FIXTURES / name).read_bytes(), name)


def totals(report) -> dict[str, Decimal]:
    return {str(category): value for category, value in report.category_totals().items()}


def test_v1_german_36_columns_cp1252():
    report = load("settlement_v1_de_36col_cp1252.txt")
    assert report.layout == "settlement_v1" and report.encoding == "cp1252"
    assert (report.key, report.currency, report.total) == ("98765432101", "EUR", D("-75.73"))
    assert report.reconciles and len(report.lines) == 20
    assert report.period_start == datetime(2026, 1, 1, 7, 49, 55, tzinfo=UTC)
    assert report.period_end.date() == date(2026, 1, 15)
    assert report.deposit_date.date() == date(2026, 1, 17)
    assert report.marketplaces == ["Amazon.de"]
    assert totals(report) == {
        "informational": D("0"), "product_sales": D("0.00"), "product_tax": D("0.00"),
        "shipping": D("3.36"), "shipping_tax": D("0.64"), "promotion": D("-4.00"),
        "selling_fee": D("-0.73"), "fba_fee": D("-3.60"), "advertising": D("-17.85"),
        "reserve_held": D("-50.00"), "reserve_released": D("35.00"),
        "storage_fee": D("-4.12"), "reimbursement": D("12.45"), "subscription": D("-39.00"),
        "other_fee": D("-7.88"),
    }
    assert report.unmapped() == {}
    quantity_row = report.lines[0]
    assert quantity_row.category is Category.INFORMATIONAL and quantity_row.amount == 0
    assert quantity_row.quantity == 1 and quantity_row.sku == "GLÜHWEIN-SET"
    combos = [line.combination for line in report.lines]
    assert ("Order", "Promotion", "Shipping") in combos
    assert ("ServiceFee", "Cost of Advertising", "BaseAmount") in combos
    assert ("ServiceFee", "Cost of Advertising", "TaxAmount") in combos
    assert ("other-transaction", "other-transaction", "Current Reserve Amount") in combos
    assert ("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE") in combos
    assert ("Order", "ShipmentFees", "FBA transportation fee") in combos
    promo = next(line for line in report.lines if line.amount_type == "Promotion")
    assert promo.extra["promotion-id"] == "VERSANDKOSTENFREI"


def test_v1_33_columns_without_promotions():
    report = load("settlement_v1_ca_33col.txt")
    assert report.layout == "settlement_v1"
    assert (report.key, report.currency, report.total) == ("23456789012", "CAD", D("-80.68"))
    assert report.reconciles and len(report.lines) == 15
    assert report.deposit_date == datetime(2026, 2, 16, 22, 7, 18, tzinfo=UTC)
    assert totals(report) == {
        "informational": D("0"), "product_sales": D("35.00"), "shipping": D("6.99"),
        "selling_fee": D("-5.79"), "fba_fee": D("-6.12"), "other_fee": D("-25.40"),
        "carried_balance": D("-321.69"), "card_charge": D("321.69"),
        "reimbursement": D("-15.25"), "storage_fee": D("-2.31"), "advertising": D("-67.80"),
    }
    # the ad's tax sits in misc-fee-amount here
    assert ("ServiceFee", "Cost of Advertising", "TaxAmount") in {
        line.combination for line in report.lines}


def test_one_line_per_amount_cell_shares_the_physical_line_number():
    report = load("settlement_v1_de_36col_cp1252.txt")
    ads = [line for line in report.lines if line.transaction_type == "ServiceFee"]
    assert len(ads) == 2 and ads[0].line_no == ads[1].line_no
    assert [line.amount for line in ads] == [D("-15.00"), D("-2.85")]


@pytest.mark.skipif(not REAL_SAMPLES.is_dir(), reason="shared real samples not available")
@pytest.mark.parametrize(("name", "key", "total", "lines"), [
    ("settlement-flatfile-v1_amazon-ca_CAD_small-refund-subscription-payable.txt",
     "23874397121", D("-62.31"), 16),
    ("settlement-flatfile-v1_amazon-ca_CAD_orders-refund-ads-reimbursement.txt",
     "24288684721", D("1016.08"), 192),
])
def test_real_v1_samples_reconcile(name, key, total, lines):
    report = parse((REAL_SAMPLES / name).read_bytes(), name)
    assert (report.key, report.total, len(report.lines)) == (key, total, lines)
    assert report.reconciles and report.unmapped() == {}
