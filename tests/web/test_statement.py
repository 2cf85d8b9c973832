"""A settlement's statement: totals in a bookkeeper's order, subtotals, payout, reconciliation."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from core.models import Report
from tests.helpers import upload


def test_statement_groups_add_up_to_the_payout(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt")
    report = Report.get()
    html = logged_in.get(f"/reports/{report.id}/statement").get_data(as_text=True)
    assert "Statement of settlement 123" in html
    subtotals = {k: Decimal(v.replace(",", "")) for k, v in
                 re.findall(r'data-subtotal="(\w+)">([-\d.,]+)<', html)}
    assert list(subtotals) == [k for k in ("revenue", "tax", "fees", "other") if k in subtotals]
    assert sum(subtotals.values()) == report.lines_sum == report.total
    assert "Reconciled: the lines add up to the payout to the cent." in html
    css = Path(__file__).parent.parent.parent / "webapp" / "static" / "app.css"
    assert "@media print" in css.read_text()
    assert f"/reports/{report.id}/statement" in logged_in.get(f"/reports/{report.id}").get_data(as_text=True)


def test_statement_only_for_settlements(logged_in):
    upload(logged_in, "vat_oss_tab.txt")
    report = Report.get()
    assert logged_in.get(f"/reports/{report.id}/statement").status_code == 404
    assert logged_in.get("/reports/999/statement").status_code == 404
