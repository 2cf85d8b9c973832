"""Tax pages (issue 9): marketplace profiles shown as defaults until confirmed, overlapping
VAT reports, one total per currency."""

from __future__ import annotations

import io

from core.models import Batch, Report
from tests.helpers import csrf_token, page_token, upload
from tests.unit.vat_fixtures import row, tsv


def test_amazon_ca_shows_its_default_profile_and_the_user_confirms_it(logged_in):
    upload(logged_in, "settlement_v1_ca_33col.txt")
    report = Report.get()
    batch = Batch.get(Batch.report == report.id)
    page = logged_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "default tax profile" in page and "please confirm" in page
    page = logged_in.get("/marketplaces/").get_data(as_text=True)
    assert "Amazon.ca" in page and "default, please confirm" in page
    assert "Revenue 8338 (not taxable in Germany), Amazon fees 3125" in page
    assert batch.booking_count > 0
    t = csrf_token(page)
    response = logged_in.post("/marketplaces/profile", data={
        "csrf_token": t, "marketplace": "Amazon.ca", "profile": "third_country"})
    assert response.status_code in (302, 303)
    page = logged_in.get("/marketplaces/").get_data(as_text=True)
    assert "confirmed" in page and "default, please confirm" not in page
    assert Report.get_by_id(report.id).batch_status == "outdated"  # rules changed


def test_profile_change_needs_csrf(logged_in):
    response = logged_in.post("/marketplaces/profile", data={
        "marketplace": "Amazon.ca", "profile": "home"})
    assert response.status_code == 400


def test_german_page_speaks_german(logged_in):
    upload(logged_in, "settlement_v1_ca_33col.txt")
    logged_in.post("/language", data={"lang": "de", "csrf_token": page_token(logged_in)})
    page = logged_in.get("/marketplaces/").get_data(as_text=True)
    assert "Steuerprofil" in page and "Vorgabe, bitte bestätigen" in page


def test_overlapping_vat_reports_offer_a_choice_per_month(logged_in):
    quarter = [row(f"05-{m:02d}-2024", "SALE", f"302-{m}", "DE", "DE", "100.00", "0.19", "19.00")
               for m in (1, 2, 3)]
    for name, rows in (("q1.txt", quarter), ("jan.txt", quarter[:1])):
        upload(logged_in, (io.BytesIO(tsv(rows)), name))
    q = Report.get(Report.key == "A1SELLER0DE42:2024-01..2024-03")
    page = logged_in.get(f"/reports/{q.id}").get_data(as_text=True)
    assert "Overlapping VAT reports" in page and "2024-01" in page
    assert "2024-01 is booked by the overlapping report A1SELLER0DE42:2024-01" in page
    response = logged_in.post(f"/reports/{q.id}/months", data={
        "csrf_token": csrf_token(page), "month": "2024-01", "report_key": q.key})
    assert response.status_code in (302, 303)
    jan = Report.get(Report.key == "A1SELLER0DE42:2024-01")
    assert Batch.get(Batch.report == q.id, Batch.status == "current").booking_count == 3
    assert Batch.get(Batch.report == jan.id, Batch.status == "current").booking_count == 0


def test_report_pages_show_one_total_per_currency(logged_in):
    data = tsv([row("05-03-2024", "SALE", "1", "DE", "DE", "100.00", "0.19", "19.00"),
                row("06-03-2024", "SALE", "2", "GB", "GB", "50.00", "0.2", "10.00",
                    currency="GBP")])
    upload(logged_in, (io.BytesIO(data), "v.txt"))
    report = Report.get()
    for page in (logged_in.get(f"/reports/{report.id}").get_data(as_text=True),
                 logged_in.get("/reports/?kind=vat_transactions").get_data(as_text=True)):
        assert "119.00" in page or "119,00" in page
        assert "60.00" in page or "60,00" in page
        assert "179" not in page and "EUR/GBP" not in page
