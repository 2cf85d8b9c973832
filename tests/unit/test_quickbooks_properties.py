"""Property tests: whatever a settlement holds, its summary adds up to the settlement total
to the cent, no receipt or credit memo is negative, and every IIF transaction balances."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.quickbooks.iif import write_iif
from core.quickbooks.settings import QuickBooksSettings
from core.quickbooks.summary import build_summary
from core.reports.model import Category, Kind, Line, ParsedReport
from tests.quickbooks_helpers import balance, read_iif

START = datetime(2026, 1, 20, 7, tzinfo=UTC)
CATEGORIES = [c for c in Category if c is not Category.UNMAPPED]
TYPES = ["Order", "Refund", "Chargeback Refund", "other-transaction", "ServiceFee", "Order_Retrocharge"]
DESCRIPTIONS = ["Principal", "Tax", "Commission", "ShippingChargeback", "Shipping", "Current Reserve Amount"]


@st.composite
def lines(draw: st.DrawFn) -> list[Line]:
    out = []
    for n in range(draw(st.integers(0, 30))):
        cents = draw(st.integers(-300_000, 300_000))
        category = draw(st.sampled_from(CATEGORIES))
        if category is Category.INFORMATIONAL:
            cents = 0
        out.append(Line(
            n + 2,
            draw(st.one_of(st.none(), st.just(START + timedelta(hours=draw(st.integers(0, 24 * 40)))))),
            draw(st.sampled_from(TYPES)), "ItemPrice", draw(st.sampled_from(DESCRIPTIONS)),
            Decimal(cents).scaleb(-2), category, order_id="111-1",
            sku=draw(st.sampled_from(["", "A", "B-2", "=EVIL", "MUG\tBLUE"])),
            quantity=draw(st.one_of(st.none(), st.integers(-3, 5))),
            marketplace=draw(st.sampled_from(["Amazon.com", "", "Amazon.co.uk"])),
        ))
    return out


@st.composite
def scenario(draw: st.DrawFn):
    items = draw(lines())
    total = sum((x.amount for x in items), Decimal("0.00"))
    end = START + timedelta(days=draw(st.integers(1, 40)))
    report = ParsedReport(Kind.SETTLEMENT, "settlement_v2", draw(st.sampled_from(["24681357902", "9" * 15])),
                          "USD", total, START, end, end,
                          sorted({x.marketplace for x in items if x.marketplace}), items)
    s = QuickBooksSettings(add_fees=draw(st.booleans()), cancel_shipping=draw(st.booleans()),
                           split_months=draw(st.booleans()),
                           item_mode=draw(st.sampled_from(["sku", "single"])))
    if draw(st.booleans()):
        s = replace(s, marketplaces={"amazon.co.uk": {"add_fees": "false", "customer": "UK"}})
    return report, s


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_summary_adds_up_and_every_iif_transaction_balances(case):
    report, s = case
    summary = build_summary(report, s)
    assert summary.payout == summary.total  # to the cent: Decimal equality
    for part in summary.parts:
        assert part.receipt_total >= 0 and part.credit_memo_total >= 0
        for txn in part.transactions:
            assert len(txn.ref_number) <= 11
            assert txn.lines
    transactions = read_iif(write_iif([summary]))
    assert len(transactions) == len(summary.transactions)
    for transaction in transactions:
        assert balance(transaction) == 0
        for row in transaction:
            for key, cell in row.items():
                if key not in ("AMOUNT", "QNTY", "PRICE"):
                    assert not cell.startswith(("=", "+", "-", "@"))
    # The deposit account receives exactly the payout: receipts and journals' TRNS rows.
    deposit = sum((balance([t[0]]) for t in transactions if t[0]["TRNSTYPE"] != "CREDIT MEMO"),
                  Decimal("0"))
    assert deposit == summary.total
