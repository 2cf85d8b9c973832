"""The QuickBooks order previewer in a real browser, in English and in German."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up

FIXTURES = Path(__file__).parent.parent / "fixtures" / "quickbooks"
US = FIXTURES / "settlement_us_refunds.txt"


def upload(page: Page, server: str, path: Path, button: str, done: str) -> None:
    page.goto(f"{server}/reports/upload")
    page.locator("#files").set_input_files(str(path))
    page.get_by_role("button", name=button).click()
    expect(page.locator(".upload")).to_contain_text(done, timeout=20_000)


CASES = {
    "en": {
        "button": "Upload and import", "done": "Imported.", "nav": "QuickBooks",
        "heading": "QuickBooks order previewer", "show": "Show settlements",
        "receipt": "Sales receipt 24681357902", "memo": "Credit memo 24681357902",
        "row": ["MUG-BLUE", "SKU MUG-BLUE", "3", "19.99", "59.97", "Tax", "Amazon Sales"],
        "check": "Adds up: sales receipt 164.07 USD − credit memo 33.18 USD + other lines -67.27 USD "
                 "= 63.62 USD, exactly the settlement total of 63.62 USD.",
        "empty": "No settlement ends between", "after": "the settlement ending Apr 15, 2026 (after your range)",
        "download": "Download IIF for this settlement",
    },
    "de": {
        "button": "Hochladen und importieren", "done": "Importiert.", "nav": "QuickBooks",
        "heading": "QuickBooks-Belegvorschau", "show": "Abrechnungen zeigen",
        "receipt": "Verkaufsbeleg 24681357902", "memo": "Gutschrift 24681357902",
        "row": ["MUG-BLUE", "SKU MUG-BLUE", "3", "19,99", "59,97", "Tax", "Amazon Sales"],
        "check": "Geht auf: Verkaufsbeleg 164,07 USD − Gutschrift 33,18 USD + übrige Zeilen -67,27 USD "
                 "= 63,62 USD, genau die Auszahlung der Abrechnung von 63,62 USD.",
        "empty": "Keine Abrechnung endet zwischen dem",
        "after": "die am 15.04.2026 endende Abrechnung (nach Ihrem Zeitraum)",
        "download": "IIF-Datei für diese Abrechnung herunterladen",
    },
}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_previewer_shows_the_receipt_credit_memo_and_totals_check(page: Page, server, lang):
    words = CASES[lang]
    set_up(page, server)
    if lang == "de":
        page.get_by_role("button", name="DE").click()
    upload(page, server, US, words["button"], words["done"])

    page.get_by_role("navigation").get_by_role("link", name=words["nav"], exact=True).click()
    expect(page.get_by_role("heading", name=words["heading"])).to_be_visible()
    # A range without an end date: the page says which settlement to try instead.
    page.locator("input[name=first]").fill("2026-04-01")
    page.locator("input[name=last]").fill("2026-04-14")
    page.get_by_role("button", name=words["show"]).click()
    expect(page.locator(".empty")).to_contain_text(words["empty"])
    page.get_by_role("link", name=words["after"]).click()

    settlement = page.locator("#settlement-24681357902")
    expect(settlement.get_by_role("heading", name=words["receipt"])).to_be_visible()
    expect(settlement.get_by_role("heading", name=words["memo"])).to_be_visible()
    receipt = settlement.locator("[data-type=sales_receipt] tbody tr").filter(has_text="SKU MUG-BLUE")
    expect(receipt.locator("td")).to_have_text(words["row"])
    expect(settlement.locator(".totals-check")).to_have_text("✓ " + words["check"])

    href = settlement.get_by_role("link", name=words["download"]).get_attribute("href")
    response = page.request.get(f"{server}{href}")
    assert response.ok
    assert response.body() == (FIXTURES / "golden" / "settlement_us_refunds.iif").read_bytes()
