"""`settlebook inspect FILE [--json]`, called as a function with captured output."""

from __future__ import annotations

import json

from tests.helpers import REPORTS
from webapp.cli import main_inspect

FIXTURES = REPORTS
WORKED = FIXTURES / "settlement_v2_de_worked_example.txt"


def test_text_output(capsys):
    assert main_inspect([str(WORKED)]) == 0
    out = capsys.readouterr().out
    assert "Kind:         settlement (settlement_v2)" in out
    assert "Key:          123" in out
    assert "Period:       2026-03-01 .. 2026-03-15" in out
    assert "Deposit date: 2026-03-18" in out
    assert "Total:        83.89" in out and "Sum of lines: 83.89" in out
    assert "Reconciles:   yes" in out
    assert "reserve_held" in out and "-20.00" in out
    assert "Unmapped combinations: none" in out


def test_json_output(capsys):
    assert main_inspect([str(WORKED), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["kind"] == "settlement" and facts["layout"] == "settlement_v2"
    assert facts["key"] == "123" and facts["currency"] == "EUR"
    assert facts["total"] == "83.89" and facts["lines_sum"] == "83.89"
    assert facts["lines"] == 12 and facts["reconciles"] is True
    assert (facts["period_start"], facts["period_end"], facts["deposit_date"]) == (
        "2026-03-01", "2026-03-15", "2026-03-18")
    assert facts["categories"] == {
        "product_sales": "90.00", "product_tax": "17.10", "selling_fee": "-16.65",
        "fba_fee": "-3.35", "advertising": "-10.00", "reimbursement": "11.79",
        "reserve_held": "-20.00", "reserve_released": "15.00",
    }
    assert facts["unmapped"] == []


def test_json_unmapped_and_mismatch(tmp_path, capsys):
    data = WORKED.read_bytes().replace(b"Current Reserve Amount", b"Mystery").replace(
        b"\t83,89\t", b"\t80,00\t")
    path = tmp_path / "odd.txt"
    path.write_bytes(data)
    assert main_inspect([str(path), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["reconciles"] is False and facts["total"] == "80.00"
    assert facts["difference"] == "3.89"
    assert facts["unmapped"] == [{"transaction_type": "other-transaction",
                                  "amount_type": "other-transaction",
                                  "amount_description": "Mystery", "count": 1}]
    assert main_inspect([str(path)]) == 0
    out = capsys.readouterr().out
    assert "NO (lines minus total: 3.89)" in out and "1 x  other-transaction" in out


def test_vat_and_date_range_kinds(capsys):
    assert main_inspect([str(FIXTURES / "vat_92_tab.txt"), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["kind"] == "vat_transactions" and facts["deposit_date"] is None
    assert main_inspect([str(FIXTURES / "date_range_de.csv"), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["kind"] == "date_range" and facts["key"] == "2026-03-05..2026-03-18"


def test_missing_file_exits_2_without_traceback(tmp_path, capsys):
    assert main_inspect([str(tmp_path / "nope.txt")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "nope.txt" in captured.err
    assert "Traceback" not in captured.err


def test_unreadable_report_exits_2_with_message(tmp_path, capsys):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    assert main_inspect([str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "scan.pdf is not an Amazon report" in captured.err


def test_usage_error_returns_status(capsys):
    assert main_inspect([]) == 2
    assert "usage: settlebook inspect" in capsys.readouterr().err


def test_a_month_in_two_currencies_shows_one_total_per_currency(tmp_path, capsys):
    from tests.unit.vat_fixtures import row, tsv

    path = tmp_path / "vat.txt"
    path.write_bytes(tsv([
        row("05-03-2024", "SALE", "1", "DE", "DE", "100.00", "0.19", "19.00"),
        row("06-03-2024", "SALE", "2", "GB", "GB", "50.00", "0.2", "10.00", currency="GBP"),
    ]))
    assert main_inspect([str(path)]) == 0
    out = capsys.readouterr().out
    assert "Total:        119.00 EUR; 60.00 GBP" in out and "179" not in out
    assert main_inspect([str(path), "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["total"] is None and facts["totals"] == {"EUR": "119.00", "GBP": "60.00"}
