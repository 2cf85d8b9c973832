"""A German bookkeeper uploads a settlement in the browser, waits for the import, finds it, opens it."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up

FIXTURE = Path(__file__).parent.parent / "fixtures" / "reports" / "settlement_v2_de.txt"


def test_upload_german_settlement_and_open_it(page: Page, server):
    set_up(page, server)
    page.get_by_role("button", name="DE", exact=True).click()
    page.get_by_role("link", name="Berichte hochladen").click()
    expect(page.get_by_role("heading", name="Berichte hochladen")).to_be_visible()
    page.get_by_label("Berichtsdateien").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Hochladen und einlesen").click()
    result = page.locator(".upload").filter(has_text="settlement_v2_de.txt")
    expect(result).to_contain_text("Eingelesen.", timeout=20_000)

    page.get_by_role("navigation").get_by_role("link", name="Berichte", exact=True).click()
    row = page.locator("tbody tr").filter(has_text="Amazon.de")
    expect(row).to_contain_text("534,66 EUR")
    expect(row).to_contain_text("ja")
    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("24681357901")
    expect(page.locator(".check-ok")).to_contain_text("Ja. Die Zeilen ergeben in Summe 534,66 EUR")
    page.get_by_label("Nach Bestellnummer oder SKU suchen").fill("028-3344556")
    expect(page.locator("#lines tbody tr").first).to_contain_text("028-3344556-7788990")
