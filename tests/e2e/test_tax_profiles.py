"""In German: an Amazon.ca settlement books by the third-country profile, shown as a
default; the bookkeeper confirms it on the marketplace page (issue 9)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up_in_german_and_upload

CA = Path(__file__).parent.parent / "fixtures" / "reports" / "settlement_v1_ca_33col.txt"


def test_confirm_the_tax_profile_of_a_third_country_marketplace(page: Page, server):
    set_up_in_german_and_upload(page, server, CA)

    page.goto(f"{server}/reports/?kind=settlement")
    page.locator("tbody tr").filter(has_text="Amazon.ca").get_by_role("link").first.click()
    expect(page.get_by_role("alert").filter(has_text="Drittlandsmarktplatz")).to_contain_text(
        "keine deutsche Vorsteuer")

    page.get_by_role("navigation").get_by_role("link", name="Marktplätze").click()
    row = page.locator("tbody tr").filter(has_text="Amazon.ca")
    expect(row).to_contain_text("Vorgabe, bitte bestätigen")
    expect(row).to_contain_text("Erlöse 8338 (im Inland nicht steuerbar)")
    row.get_by_label("Steuerprofil von Amazon.ca").select_option(label="Drittlandsmarktplatz")
    row.get_by_role("button", name="Bestätigen").click()
    row = page.locator("tbody tr").filter(has_text="Amazon.ca")
    expect(row).to_contain_text("bestätigt")
    expect(row).not_to_contain_text("Vorgabe, bitte bestätigen")
