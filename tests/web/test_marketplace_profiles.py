"""Tax profiles on the marketplace page: shown as defaults until confirmed (issue 9 item 5)."""

from __future__ import annotations

from core.models import Batch, Report
from tests.conftest import csrf_token
from tests.web.test_datev import upload


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
    logged_in.post("/language", data={"lang": "de", "csrf_token": csrf_token(
        logged_in.get("/overview").get_data(as_text=True))})
    page = logged_in.get("/marketplaces/").get_data(as_text=True)
    assert "Steuerprofil" in page and "Vorgabe, bitte bestätigen" in page
