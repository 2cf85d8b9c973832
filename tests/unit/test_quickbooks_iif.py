"""Golden IIF files for our own settlements (US with refunds, UK, negative) and the IIF rules."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest

from core.quickbooks.iif import text_cell, write_iif
from core.quickbooks.settings import QuickBooksSettings
from core.quickbooks.summary import SummaryLine, Transaction, TxnType, build_summary
from tests.quickbooks_helpers import FIXTURES, balance, parsed, read_iif

GOLDEN = FIXTURES / "golden"
CASES = ["settlement_us_refunds", "settlement_uk", "settlement_negative"]


@pytest.mark.parametrize("name", CASES)
def test_golden_iif(name):
    data = write_iif([build_summary(parsed(f"{name}.txt"), QuickBooksSettings())])
    golden = GOLDEN / f"{name}.iif"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes()
    for transaction in read_iif(data):
        assert balance(transaction) == 0


def test_us_settlement_with_refunds_is_one_cash_sale_one_credit_memo_and_one_journal():
    transactions = read_iif(write_iif([build_summary(parsed("settlement_us_refunds.txt"),
                                                     QuickBooksSettings())]))
    assert [t[0]["TRNSTYPE"] for t in transactions] == ["CASH SALE", "CREDIT MEMO", "GENERAL JOURNAL"]
    sale, memo, journal = transactions
    assert sale[0]["AMOUNT"] == "164.07" and sale[0]["ACCNT"] == "Amazon Clearing"
    assert sale[0]["DATE"] == "04/15/2026" and sale[0]["DOCNUM"] == "24681357902"
    items = {row["INVITEM"]: (row["QNTY"], row["PRICE"], row["AMOUNT"]) for row in sale[1:]}
    assert items["MUG-BLUE"] == ("-3", "19.99", "-59.97")
    assert items["TEA-SET"] == ("-3", "33.33333", "-100.00")  # the amount stays exact
    assert items["Amazon Sales"] == ("-3", "10.00", "-30.00")  # the order without a SKU
    assert memo[0]["AMOUNT"] == "-33.18" and memo[0]["ACCNT"] == "Accounts Receivable"
    assert {row["INVITEM"]: row["QNTY"] for row in memo[1:] if row["QNTY"]} == {"MUG-BLUE": "1", "MUG-RED": "1"}
    # The journal takes the credit memo out of the deposit account with everything else.
    ar = [row for row in journal if row["ACCNT"] == "Accounts Receivable"]
    assert ar[0]["AMOUNT"] == "33.18" and ar[0]["NAME"] == "Amazon Summary"
    deposit = Decimal(sale[0]["AMOUNT"]) + Decimal(journal[0]["AMOUNT"])
    assert deposit == Decimal("63.62")  # the settlement's total-amount


def test_text_cells_never_start_a_formula():
    assert text_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert text_cell("+1") == "'+1" and text_cell("@x") == "'@x" and text_cell("-x") == "'-x"
    assert text_cell("a\tb\r\nc") == "a b c"
    assert text_cell("\r\n=1+1") == " =1+1"  # the line break becomes a space first
    line = SummaryLine(kind="product", item="=cmd|'/c calc'!A1", description="@SUM(A1)",
                       amount=Decimal("5.00"), account="Amazon Sales", quantity=1,
                       rate=Decimal("5.00"))
    txn = Transaction(TxnType.SALES_RECEIPT, "-Customer", date(2026, 1, 2), "1", "+memo",
                      "Clearing", (line,), "{X}")
    from core.quickbooks.iif import transaction_rows

    rows = transaction_rows(txn)
    for row in rows[:-1]:
        for cell in row.split("\t"):
            assert not cell.startswith(("=", "+", "@")) or cell == ""
            # numbers may be negative; text may not start with "-"
            assert not cell.startswith("-") or cell.replace("-", "", 1).replace(".", "").isdigit()


def test_unbalanced_transactions_are_never_written():
    from core.quickbooks.iif import UnbalancedTransaction, transaction_rows

    line = SummaryLine(kind="product", item="A", description="", amount=Decimal("5.00"), account="X")

    class Broken(Transaction):
        @property
        def total(self):
            return Decimal("4.99")

    with pytest.raises(UnbalancedTransaction):
        transaction_rows(Broken(TxnType.SALES_RECEIPT, "C", date(2026, 1, 2), "1", "", "D", (line,), ""))
