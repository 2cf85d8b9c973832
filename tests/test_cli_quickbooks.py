"""`settlebook export-iif` as a user runs it: a real process on a temporary data folder."""

from __future__ import annotations

import json

from tests.quickbooks_helpers import FIXTURES, balance, read_iif
from tests.test_cli import FIXTURES as REPORTS
from tests.test_cli import run

US = FIXTURES / "settlement_us_refunds.txt"


def test_us_settlement_with_refunds_gives_one_file_with_a_cash_sale_and_a_credit_memo(tmp_path):
    out = tmp_path / "out"
    result = run("export-iif", str(US), "--out", str(out), data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    [written] = list(out.iterdir())
    assert written.name == "quickbooks_settlement_24681357902.iif"
    assert "adds up to 63.62 USD" in result.stdout
    transactions = read_iif(written.read_bytes())
    sale = next(t for t in transactions if t[0]["TRNSTYPE"] == "CASH SALE")
    memo = next(t for t in transactions if t[0]["TRNSTYPE"] == "CREDIT MEMO")
    assert balance(sale) == 0 and balance(memo) == 0
    quantities = {row["INVITEM"]: row["QNTY"] for row in sale[1:] if row["QNTY"]}
    assert quantities == {"MUG-BLUE": "-3", "MUG-RED": "-1", "TEA-SET": "-3", "Amazon Sales": "-3"}
    assert written.read_bytes() == (FIXTURES / "golden" / "settlement_us_refunds.iif").read_bytes()

    again = run("export-iif", str(US), "--out", str(out), data=tmp_path / "data")
    assert again.returncode == 0, again.stderr
    assert [p.name for p in out.iterdir()] == [written.name]  # no second file, no leftovers
    listed = json.loads(run("reports", "--json", data=tmp_path / "data").stdout)
    assert len(listed) == 1  # imported once


def test_exit_2_with_the_reason_when_a_summary_cannot_be_built(tmp_path):
    broken = tmp_path / "off.txt"
    broken.write_bytes(US.read_bytes().replace(b"\t39.98\t", b"\t39.99\t"))
    vat = REPORTS / "vat_92_tab.txt"
    out = tmp_path / "out"
    result = run("export-iif", str(broken), str(vat), str(FIXTURES / "settlement_uk.txt"),
                 "--out", str(out), data=tmp_path / "data")
    assert result.returncode == 2
    assert "off.txt: error: Settlement 24681357902 does not add up" in result.stderr
    assert "vat_92_tab.txt: error:" in result.stderr and "is not a settlement report" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["quickbooks_settlement_55500011122.iif"]


def test_negative_settlement_notes_the_fees_moved_to_the_journal(tmp_path):
    result = run("export-iif", str(FIXTURES / "settlement_negative.txt"), "--out", str(tmp_path / "o"),
                 data=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "note: Amazon's fees (12.50) are larger than the sales" in result.stdout
    assert "adds up to -171.29 USD" in result.stdout
