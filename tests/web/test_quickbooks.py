"""QuickBooks settings, the order previewer and the IIF downloads through the Flask client."""

from __future__ import annotations

import html as html_lib
import re

from core.imports import import_recorded
from core.models import Report
from tests.helpers import csrf_token
from tests.quickbooks_helpers import FIXTURES, balance, read_iif


def imported(name: str) -> Report:
    result = import_recorded((FIXTURES / name).read_bytes(), name, "upload")
    assert result.error is None
    return Report.get_by_id(result.report_id)


def text(response) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_settings_show_defaults_validate_next_to_fields_and_save(logged_in):
    page = logged_in.get("/settings/quickbooks").get_data(as_text=True)
    assert 'value="Amazon Summary"' in page and 'value="Amazon Clearing"' in page
    token = csrf_token(page)
    bad = logged_in.post("/settings/quickbooks", data={
        "csrf_token": token, "customer": "", "taxable_code": "TAXABLE", "account.product": "=Sales"})
    assert bad.status_code == 422
    body = bad.get_data(as_text=True)
    # each message sits right after its own input
    assert re.search(r'name="customer"[^>]*aria-invalid="true"[^>]*>\s*<p class="field-error" id="e-customer">'
                     r"Enter a name; QuickBooks needs one here.", body)
    assert "A sales tax code has one to three characters" in body
    assert re.search(r'id="e-account-product">A name must not start with =', body)
    good = logged_in.post("/settings/quickbooks", data={
        "csrf_token": token, "customer": "Amazon US Summary", "add_fees_sent": "1",
        "cancel_shipping_sent": "1", "cancel_shipping": "true", "split_months_sent": "1"})
    assert good.status_code == 303
    page = logged_in.get("/settings/quickbooks").get_data(as_text=True)
    assert 'value="Amazon US Summary"' in page
    assert not re.search(r'name="add_fees" value="true" checked', page)


def test_settings_messages_in_german(logged_in, actions):
    logged_in.post("/language", data={"csrf_token": actions.token("/overview"), "lang": "de"})
    page = logged_in.get("/settings/quickbooks")
    assert "Artikel und Konten" in page.get_data(as_text=True)
    bad = logged_in.post("/settings/quickbooks", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "item.shipping": "x" * 40})
    assert bad.status_code == 422
    assert "QuickBooks erlaubt höchstens 31 Zeichen je Name" in bad.get_data(as_text=True)


def test_marketplace_settings_apply_to_that_marketplace(logged_in):
    uk = imported("settlement_uk.txt")
    us = imported("settlement_us_refunds.txt")
    page = logged_in.get("/settings/quickbooks?marketplace=amazon.co.uk").get_data(as_text=True)
    logged_in.post("/settings/quickbooks", data={"csrf_token": csrf_token(page), "marketplace": "amazon.co.uk",
                                                 "customer": "Amazon UK", "taxable_code": "S"})
    uk_iif = logged_in.get(f"/reports/{uk.id}/quickbooks.iif").data.decode("cp1252")
    us_iif = logged_in.get(f"/reports/{us.id}/quickbooks.iif").data.decode("cp1252")
    assert "\tAmazon UK\t" in uk_iif and "\tAmazon UK\t" not in us_iif
    assert logged_in.get("/settings/quickbooks?marketplace=amazon.nowhere").status_code == 404


def test_previewer_shows_the_receipt_credit_memo_and_the_totals_check(logged_in):
    imported("settlement_us_refunds.txt")
    page = text(logged_in.get("/quickbooks/preview?first=2026-04-01&last=2026-04-15"))
    assert "1 settlement ends in this range." in page
    assert "Sales receipt 24681357902" in page and "Credit memo 24681357902" in page
    assert "MUG-BLUE SKU MUG-BLUE 3 19.99 59.97 Tax Amazon Sales" in page
    assert "TEA-SET SKU TEA-SET 3 33.33333 100.00 Non" in page
    assert ("Adds up: sales receipt 164.07 USD − credit memo 33.18 USD + other lines -67.27 USD "
            "= 63.62 USD, exactly the settlement total of 63.62 USD.") in page


def test_previewer_without_arguments_shows_the_latest_settlement(logged_in):
    imported("settlement_us_refunds.txt")
    imported("settlement_negative.txt")
    page = text(logged_in.get("/quickbooks/preview"))
    assert "Settlement 13579246801" in page and "Settlement 24681357902" not in page
    assert "larger than the sales on the sales receipt" in page


def test_previewer_empty_states(logged_in):
    page = text(logged_in.get("/quickbooks/preview"))
    assert "No settlement reports yet" in page
    imported("settlement_us_refunds.txt")
    page = text(logged_in.get("/quickbooks/preview?first=2026-04-01&last=2026-04-14"))
    assert "No settlement ends between Apr 1, 2026 and Apr 14, 2026" in page
    assert "the settlement ending Apr 15, 2026 (after your range)" in page
    bad = text(logged_in.get("/quickbooks/preview?first=2026-04-15&last=2026-04-01"))
    assert "The range ends before it starts" in bad
    assert "Enter both dates" in text(logged_in.get("/quickbooks/preview?first=2026-04-15&last="))


def test_range_iif_holds_every_selected_settlement_and_balances(logged_in):
    imported("settlement_us_refunds.txt")
    imported("settlement_negative.txt")
    response = logged_in.get("/quickbooks/preview.iif?first=2026-04-01&last=2026-06-30")
    assert response.status_code == 200
    assert 'filename=quickbooks_20260401_20260630.iif' in response.headers["Content-Disposition"]
    transactions = read_iif(response.data)
    assert [t[0]["DOCNUM"] for t in transactions] == ["24681357902"] * 3 + ["13579246801"] * 3
    assert all(balance(t) == 0 for t in transactions)


def test_report_iif_download_and_the_reason_when_there_is_none(logged_in):
    report = imported("settlement_us_refunds.txt")
    detail = logged_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert f"/reports/{report.id}/quickbooks.iif" in detail
    response = logged_in.get(f"/reports/{report.id}/quickbooks.iif")
    assert response.data == (FIXTURES / "golden" / "settlement_us_refunds.iif").read_bytes()
    bad = import_recorded((FIXTURES / "settlement_uk.txt").read_bytes().replace(
        b"Subscription Fee", b"Something new"), "unknown.txt", "upload")
    response = logged_in.get(f"/reports/{bad.report_id}/quickbooks.iif", follow_redirects=True)
    assert "has 1 lines without a category" in text(response)


def test_pages_need_a_login(client, actions):
    actions.setup()
    actions.logout()
    for url in ("/settings/quickbooks", "/quickbooks/preview",
                "/quickbooks/preview.iif?first=2026-01-01&last=2026-01-02"):
        assert client.get(url).status_code in (302, 303)
