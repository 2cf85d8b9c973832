"""Search by settlement id or order id across every report; the lists show what finds them."""

from __future__ import annotations

from core.models import LineRow, Report
from tests.helpers import upload


def test_find_a_settlement_and_an_order(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt", "settlement_v2_de.txt", "vat_oss_tab.txt")
    html = logged_in.get("/search?q=24681357901").get_data(as_text=True)
    assert "Settlement 24681357901" in html and "Settlement 123<" not in html
    order = LineRow.select().where(LineRow.order_id != "").first().order_id
    reports = {r for (r,) in LineRow.select(LineRow.report).where(LineRow.order_id == order).tuples()}
    html = logged_in.get(f"/search?q={order}").get_data(as_text=True)
    for report_id in reports:
        assert f"/reports/{report_id}/lines?q={order}" in html
    assert order in html
    assert "Enter at least three characters." in logged_in.get("/search?q=12").get_data(as_text=True)
    assert "No report has" in logged_in.get("/search?q=999-nothing").get_data(as_text=True)


def test_lists_show_settlement_id_marketplace_and_amount(logged_in):
    upload(logged_in, "settlement_v2_de.txt")
    report = Report.get()
    reports = logged_in.get("/reports/?kind=settlement").get_data(as_text=True)
    assert "Settlement id" in reports and report.key in reports
    batches = logged_in.get("/batches/").get_data(as_text=True)
    assert "Amazon.de" in batches and "534.66 EUR" in batches


def test_report_lines_are_in_time_order(logged_in):
    from core import report_queries

    upload(logged_in, "settlement_v2_de.txt")
    report = Report.get()
    posted = [line.posted for line in report_queries.report_lines(report.id, per_page=500).items]
    known = [p for p in posted if p is not None]
    assert known == sorted(known) and len(known) > 2
