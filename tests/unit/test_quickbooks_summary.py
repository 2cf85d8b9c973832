"""The summary rules, case by case (docs/quickbooks.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.quickbooks.settings import QuickBooksSettings
from core.quickbooks.summary import (
    SummaryError,
    TxnType,
    build_summary,
    external_guid,
    ref_number,
    unit_rate,
)
from core.reports.model import Category as C
from core.reports.model import Kind, Line, ParsedReport
from tests.quickbooks_helpers import FIXTURES, parsed

START = datetime(2026, 3, 1, 7, tzinfo=UTC)
END = datetime(2026, 3, 15, 7, tzinfo=UTC)
POSTED = datetime(2026, 3, 5, 12, tzinfo=UTC)


def ln(amount: str, category: C, tt: str = "Order", at: str = "ItemPrice", ad: str = "Principal",
       sku: str = "", qty: int | None = None, posted: datetime | None = POSTED,
       market: str = "Amazon.com") -> Line:
    return Line(2, posted, tt, at, ad, Decimal(amount), category, order_id="111-1" if tt != "other-transaction" else "",
                sku=sku, quantity=qty, marketplace=market, settlement_id="24681357902", currency="USD")


def settlement(lines: list[Line], key: str = "24681357902", start=START, end=END,
               total: Decimal | None = None, kind=Kind.SETTLEMENT) -> ParsedReport:
    lines_sum = sum((x.amount for x in lines), Decimal("0.00"))
    return ParsedReport(kind, "settlement_v2", key, "USD", lines_sum if total is None else total,
                        start, end, end, sorted({x.marketplace for x in lines if x.marketplace}),
                        lines, filename="s.txt")


S = QuickBooksSettings()


def test_one_line_per_sku_with_summed_quantity_and_exact_amount():
    report = settlement([
        ln("20.00", C.PRODUCT_SALES, sku="A", qty=2), ln("10.00", C.PRODUCT_SALES, sku="A", qty=1),
        ln("1.60", C.PRODUCT_TAX, ad="Tax", sku="A", qty=1),
        ln("10.00", C.PRODUCT_SALES, sku="B", qty=3),
    ])
    receipt = build_summary(report, S).parts[0].sales_receipt
    a, b = [x for x in receipt.lines if x.kind == "product"]
    assert (a.item, a.quantity, a.rate, a.amount, a.tax_code, a.taxable) == (
        "A", 3, Decimal("10.00"), Decimal("30.00"), "Tax", True)
    assert (b.item, b.quantity, b.rate, b.amount, b.tax_code) == ("B", 3, Decimal("3.33333"), Decimal("10.00"), "Non")


def test_lines_without_a_sku_stay_on_their_own_line():
    report = settlement([ln("20.00", C.PRODUCT_SALES, sku="A", qty=1),
                         ln("7.00", C.PRODUCT_SALES, sku="", qty=1)])
    lines = build_summary(report, S).parts[0].sales_receipt.lines
    assert [(x.item, x.amount, x.description) for x in lines] == [
        ("A", Decimal("20.00"), "SKU A"), ("Amazon Sales", Decimal("7.00"), "Sales without a SKU")]


def test_one_product_item_for_all_skus():
    report = settlement([ln("20.00", C.PRODUCT_SALES, sku="A", qty=1),
                         ln("7.00", C.PRODUCT_SALES, sku="B", qty=2)])
    lines = build_summary(report, replace(S, item_mode="single")).parts[0].sales_receipt.lines
    assert [(x.item, x.quantity, x.amount) for x in lines] == [("Amazon Sales", 3, Decimal("27.00"))]


def test_refunds_are_a_credit_memo_with_positive_lines_and_the_journal_clears_it():
    report = settlement([
        ln("30.00", C.PRODUCT_SALES, sku="A", qty=1),
        ln("-30.00", C.PRODUCT_SALES, tt="Refund", sku="A", qty=1),
        ln("4.50", C.SELLING_FEE, tt="Refund", at="ItemFees", ad="Commission", sku="A"),
        ln("-0.90", C.SELLING_FEE, tt="Refund", at="ItemFees", ad="RefundCommission", sku="A"),
    ])
    summary = build_summary(report, S)
    part = summary.parts[0]
    memo = part.credit_memo
    assert memo.type is TxnType.CREDIT_MEMO and memo.account == "Accounts Receivable"
    assert [(x.kind, x.amount, x.quantity) for x in memo.lines] == [
        ("product", Decimal("30.00"), 1), ("selling_fee", Decimal("-3.60"), None)]
    assert memo.total == Decimal("26.40")
    (ar,) = part.journal.lines
    assert (ar.account, ar.name, ar.amount) == ("Accounts Receivable", "Amazon Summary", Decimal("-26.40"))
    assert summary.payout == summary.total == Decimal("3.60")


def test_fees_off_moves_them_to_the_journal():
    report = settlement([ln("30.00", C.PRODUCT_SALES, sku="A", qty=1),
                         ln("-4.50", C.SELLING_FEE, at="ItemFees", ad="Commission", sku="A")])
    part = build_summary(report, replace(S, add_fees=False)).parts[0]
    assert [x.kind for x in part.sales_receipt.lines] == ["product"]
    assert [(x.kind, x.amount, x.account) for x in part.journal.lines] == [
        ("selling_fee", Decimal("-4.50"), "Amazon Selling Fees")]


def test_shipping_charged_back_by_amazon_is_an_expense_line_only_when_asked():
    lines = [ln("30.00", C.PRODUCT_SALES, sku="A", qty=1), ln("5.00", C.SHIPPING, ad="Shipping", sku="A"),
             ln("-5.00", C.OTHER_FEE, at="ItemFees", ad="ShippingChargeback", sku="A")]
    on = build_summary(settlement(lines), S).parts[0].sales_receipt.lines
    assert [(x.kind, x.amount, x.account) for x in on][1:] == [
        ("shipping", Decimal("5.00"), "Amazon Shipping Income"),
        ("shipping_chargeback", Decimal("-5.00"), "Amazon Shipping Expense")]
    off = build_summary(settlement(lines), replace(S, cancel_shipping=False)).parts[0].sales_receipt.lines
    assert [x.kind for x in off] == ["product", "shipping", "other_fee"]


def test_fees_larger_than_sales_move_to_the_journal_instead_of_being_dropped():
    report = settlement([ln("10.00", C.PRODUCT_SALES, sku="A", qty=1),
                         ln("-12.00", C.FBA_FEE, at="ItemFees", ad="FBAPerUnitFulfillmentFee", sku="A")])
    summary = build_summary(report, S)
    part = summary.parts[0]
    assert part.sales_receipt.total == Decimal("10.00")
    assert [(x.kind, x.amount) for x in part.journal.lines] == [("fba_fee", Decimal("-12.00"))]
    assert [n.code for n in summary.notices] == ["fees_exceed_sales"]
    assert summary.payout == Decimal("-2.00") == summary.total


def test_a_negative_receipt_moves_to_the_journal_as_a_whole():
    report = settlement([ln("-10.00", C.PROMOTION, at="Promotion", sku="A"),
                         ln("3.00", C.PRODUCT_SALES, sku="A", qty=1)])
    summary = build_summary(report, S)
    assert summary.parts[0].sales_receipt is None
    assert summary.payout == summary.total == Decimal("-7.00")
    assert [n.code for n in summary.notices] == ["transaction_negative"]


def test_a_settlement_without_orders_is_only_a_journal_entry():
    report = settlement([ln("-39.99", C.SUBSCRIPTION, tt="other-transaction", at="other-transaction",
                            ad="Subscription Fee", market=""),
                         ln("-50.00", C.RESERVE_HELD, tt="other-transaction", at="other-transaction",
                            ad="Current Reserve Amount", market="")])
    summary = build_summary(report, S)
    (part,) = summary.parts
    assert part.sales_receipt is None and part.credit_memo is None
    assert part.journal.total == Decimal("-89.99") == summary.total
    assert part.journal.account == "Amazon Clearing"


def test_month_split_dates_each_part_on_its_month_end():
    start, end = datetime(2026, 3, 25, 7, tzinfo=UTC), datetime(2026, 4, 8, 7, tzinfo=UTC)
    report = settlement([ln("10.00", C.PRODUCT_SALES, sku="A", qty=1, posted=datetime(2026, 3, 30, tzinfo=UTC)),
                         ln("20.00", C.PRODUCT_SALES, sku="A", qty=1, posted=datetime(2026, 4, 2, tzinfo=UTC))],
                        start=start, end=end)
    whole = build_summary(report, S)
    assert [(p.txn_date, p.sales_receipt.ref_number) for p in whole.parts] == [(date(2026, 4, 8), "24681357902")]
    split = build_summary(report, replace(S, split_months=True))
    assert [(p.txn_date, p.sales_receipt.ref_number, p.receipt_total) for p in split.parts] == [
        (date(2026, 3, 31), "81357902-03", Decimal("10.00")),
        (date(2026, 4, 8), "81357902-04", Decimal("20.00"))]
    assert split.payout == split.total


def test_ref_number_is_stable_and_short_and_the_memo_has_the_full_id():
    assert ref_number("24681357902") == "24681357902"
    assert ref_number("1234567890123456") == "67890123456"
    assert len(ref_number("1234567890123456", "2026-03")) == 11
    summary = build_summary(settlement([ln("1.00", C.PRODUCT_SALES, sku="A", qty=1)], key="1234567890123456"), S)
    receipt = summary.parts[0].sales_receipt
    assert receipt.ref_number == "67890123456" and "1234567890123456" in receipt.memo
    assert receipt.external_guid == external_guid("1234567890123456", "", TxnType.SALES_RECEIPT)
    assert receipt.external_guid.startswith("{") and len(receipt.external_guid) == 38


def test_marketplace_overrides_apply_to_their_settlements_only():
    s = replace(S, marketplaces={"amazon.co.uk": {"customer": "Amazon UK", "taxable_code": "S"}})
    uk = build_summary(parsed("settlement_uk.txt"), s)
    us = build_summary(parsed("settlement_us_refunds.txt"), s)
    assert uk.parts[0].sales_receipt.customer == "Amazon UK"
    assert uk.parts[0].sales_receipt.lines[0].tax_code == "S"
    assert us.parts[0].sales_receipt.customer == "Amazon Summary"


@pytest.mark.parametrize("report, code", [
    (settlement([ln("1.00", C.PRODUCT_SALES)], total=Decimal("2.00")), "not_reconciled"),
    (settlement([ln("1.00", C.UNMAPPED)]), "unmapped"),
    (settlement([ln("1.00", C.PRODUCT_SALES, sku="X" * 32, qty=1)]), "sku_too_long"),
    (settlement([ln("1.00", C.PRODUCT_SALES)], kind=Kind.VAT_TRANSACTIONS), "not_a_settlement"),
])
def test_what_cannot_be_summarised_says_why(report, code):
    with pytest.raises(SummaryError) as caught:
        build_summary(report, S)
    assert caught.value.code == code
    assert caught.value.message()


def test_unit_rate():
    assert unit_rate(Decimal("30.00"), 3) == Decimal("10.00")
    assert unit_rate(Decimal("10.00"), 3) == Decimal("3.33333")
    assert unit_rate(Decimal("33.33"), 4) == Decimal("8.33250")


@pytest.mark.parametrize("path", sorted((FIXTURES.parent / "reports").glob("settlement_*.txt")),
                         ids=lambda p: p.name)
def test_every_settlement_fixture_adds_up(path):
    from core.reports import parse

    summary = build_summary(parse(path.read_bytes(), path.name), S)
    assert summary.payout == summary.total and summary.transactions


def test_legacy_v1_quantity_rows_give_the_quantity():
    from core.reports import parse

    path = FIXTURES.parent / "reports" / "settlement_v1_ca_33col.txt"
    receipt = build_summary(parse(path.read_bytes(), path.name), S).parts[0].sales_receipt
    assert [(x.item, x.quantity, x.amount) for x in receipt.lines if x.kind == "product"] == [
        ("MAPLE-TEA-20", 1, Decimal("35.00"))]
