"""The overview's charts show the reports' own totals, per month, marketplace and currency."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from core import figures
from core.models import Report
from tests.helpers import upload

ALL = ("settlement_v2_de_worked_example.txt", "settlement_v2_de.txt", "settlement_v2_uk.txt",
       "settlement_v2_fr.txt")


def table(html: str) -> dict[str, dict[str, Decimal]]:
    """{month label: {series: value}} from the chart's table."""
    body = html.split('id="figures-table"')[1].split("</table>")[0]
    out = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", body, re.S):
        out[row[0]] = {s: Decimal(v) for s, v in re.findall(r'data-series="(\w+)" data-value="([-\d.]+)"', row[1])}
    return out


def test_chart_numbers_are_the_reports_totals(logged_in):
    upload(logged_in, *ALL)
    html = logged_in.get("/overview?currency=EUR").get_data(as_text=True)
    shown = table(html)
    expected: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in Report.select().where(Report.kind == "settlement", Report.currency == "EUR"):
        month = {2: "February 2026", 3: "March 2026"}[r.deposit_date.month]
        cats = r.category_totals
        expected[month]["payouts"] += r.total
        expected[month]["fees"] += sum((v for k, v in cats.items() if k in figures.FEES), Decimal(0))
        expected[month]["advertising"] += cats.get("advertising", Decimal(0))
        revenue = sum((v for k, v in cats.items() if k in figures.REVENUE), Decimal(0))
        expected[month]["revenue+refunds"] += revenue
    assert set(shown) == set(expected)
    for month, values in shown.items():
        for key in ("payouts", "fees", "advertising"):
            assert values[key] == expected[month][key], (month, key)
        assert values["revenue"] + values["refunds"] == expected[month]["revenue+refunds"]
        assert values["refunds"] <= 0
    # Every bar's label names the same amount as the table.
    titles = re.findall(r'<rect class="bar bar-payouts"[^>]*><title>[^:]+: ([-\d.,]+) EUR</title>', html)
    assert sorted(Decimal(t.replace(",", "")) for t in titles) == sorted(v["payouts"] for v in shown.values())
    # The worked example refunds one order: the refund shows as its own negative figure.
    assert shown["March 2026"]["refunds"] < 0


def test_charts_by_currency_and_marketplace(logged_in):
    upload(logged_in, *ALL)
    gbp = table(logged_in.get("/overview?currency=GBP").get_data(as_text=True))
    uk = Report.get(Report.currency == "GBP")
    assert sum(v["payouts"] for v in gbp.values()) == uk.total
    one = Report.get(Report.key == "123")
    de = table(logged_in.get(f"/overview?currency=EUR&marketplace={one.marketplace_list[0]}").get_data(as_text=True))
    assert "March 2026" in de
    assert 'aria-labelledby="chart-money-title"' in logged_in.get("/overview").get_data(as_text=True)


def test_last_imports_show_their_reconciliation(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt")
    html = logged_in.get("/overview").get_data(as_text=True)
    assert "reconciled" in html.split("Last imports")[1]
    Report.update(reconciles=False, difference=Decimal("-0.05")).execute()
    html = logged_in.get("/overview").get_data(as_text=True)
    assert "off by -0.05 EUR" in html.split("Last imports")[1]
