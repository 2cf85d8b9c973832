"""In German: change an account, regenerate the batch, see what changed, fetch the file."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up_in_german_and_upload

FIXTURE = Path(__file__).parent.parent / "fixtures" / "reports" / "settlement_v2_de_worked_example.txt"


def test_change_account_regenerate_and_download(page: Page, server):
    set_up_in_german_and_upload(page, server, FIXTURE)

    page.get_by_role("navigation").get_by_role("link", name="Einstellungen").click()
    page.get_by_role("link", name="Konten und Regeln").click()
    row = page.locator("#rule-advertising")
    expect(row).to_contain_text("Werbekosten")
    row.get_by_label("Konto").fill("4610")
    row.get_by_role("button", name="Speichern").click()
    expect(page.locator("#rule-advertising")).to_contain_text("gespeichert")

    page.goto(f"{server}/reports/")
    row = page.locator("tbody tr").filter(has_text="Amazon.de")
    expect(row).to_contain_text("veraltet")
    row.get_by_role("link").first.click()
    page.get_by_role("button", name="Mit aktuellen Einstellungen neu erstellen").click()
    summary = page.locator(".diff")
    expect(summary).to_contain_text("Was sich geändert hat")
    expect(summary).to_contain_text("0 Buchungen hinzugefügt, 0 entfernt, 1 geändert, 8 unverändert.")
    expect(summary).to_contain_text("4610")

    link = page.get_by_role("link", name=re.compile(r"EXTF_Buchungsstapel_payout_123_202603\.csv"))
    href = link.get_attribute("href")
    response = page.request.get(f"{server}{href}")  # the browser's session; downloads are off here
    assert response.ok
    body = response.body().decode("cp1252")
    assert body.startswith('"EXTF";700;21;"Buchungsstapel";13;')
    assert ";1210;4610;" in body and ";1210;4600;" not in body


def test_assign_a_category_to_an_unknown_line(page: Page, server, tmp_path):
    unknown = tmp_path / "unknown.txt"
    unknown.write_bytes(FIXTURE.read_bytes().replace(
        b"other-transaction\t\t\t\t\t\tother-transaction\tCurrent Reserve Amount",
        b"NewThing\t\t\t\t\t\tNewType\tSomething new"))
    set_up_in_german_and_upload(page, server, unknown)

    page.goto(f"{server}/overview")
    expect(page.get_by_text("1 Zeile ohne Kategorie")).to_be_visible()
    page.goto(f"{server}/settings/mappings")
    row = page.locator("tr").filter(has_text="Something new")
    row.get_by_role("combobox").select_option(label="Rücklage einbehalten")
    row.get_by_role("button", name="Zuordnen").click()
    expect(row).to_contain_text("Rücklage einbehalten · 1 Zeile")
    page.goto(f"{server}/settings/mappings")
    expect(page.get_by_text("Jede Zeile hat eine Kategorie")).to_be_visible()
