"""A German bookkeeper's checks in the browser: the checklist and the placeholder numbers,
the booking journal, the warning before a second version goes out, an upload error in place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up

FIXTURE = Path(__file__).parent.parent / "fixtures" / "reports" / "settlement_v2_de_worked_example.txt"


def german_with_report(page: Page, server: str) -> None:
    set_up(page, server)
    page.get_by_role("button", name="DE", exact=True).click()
    expect(page.get_by_role("heading", name="Übersicht")).to_be_visible()
    page.goto(f"{server}/reports/upload")
    page.get_by_label("Berichtsdateien").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Hochladen und einlesen").click()
    expect(page.locator(".upload")).to_contain_text("Eingelesen.", timeout=20_000)
    expect(page.locator(".upload")).to_contain_text("Abrechnung 123")


def save_numbers(page: Page, server: str, beraternummer: str) -> None:
    page.goto(f"{server}/settings/")
    page.get_by_label("Beraternummer").fill(beraternummer)
    page.get_by_label("Mandantennummer").fill("12")
    page.get_by_role("button", name="Einstellungen speichern").click()


def test_checklist_and_placeholder_numbers(page: Page, server):
    german_with_report(page, server)
    page.goto(f"{server}/overview")
    checklist = page.locator(".checklist")
    expect(checklist).to_contain_text("Bevor der erste Buchungsstapel an die Steuerberatung geht")
    expect(checklist.locator("li").nth(0)).to_contain_text("offen")
    expect(checklist.locator("li").nth(2)).to_contain_text("erledigt")  # a report is there

    # The batch is built, but with 1001 / 1 it is not handed out without a yes.
    page.get_by_role("navigation").get_by_role("link", name="Buchungsstapel").click()
    page.get_by_role("link", name="EXTF_Buchungsstapel_payout_123_202603.csv").click()
    expect(page.get_by_role("heading", name="Zuerst die DATEV-Nummern prüfen")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Diese Nummern verwenden (1001 / 1)").click()
    assert download.value.suggested_filename == "EXTF_Buchungsstapel_payout_123_202603.csv"

    save_numbers(page, server, "4711")
    page.goto(f"{server}/overview")
    expect(page.locator(".checklist li").nth(0)).to_contain_text("erledigt")
    expect(page.locator(".checklist li").nth(1)).to_contain_text("0 von 1 bestätigt")
    page.locator(".checklist").get_by_role("link", name="Steuerprofile der Marktplätze bestätigen").click()
    page.get_by_role("row").filter(has_text="Amazon.de").get_by_role("button").first.click()
    page.goto(f"{server}/overview")
    expect(page.locator(".checklist")).to_have_count(0)


def test_journal_line_by_line(page: Page, server):
    german_with_report(page, server)
    page.goto(f"{server}/batches/")
    page.get_by_role("link", name="Buchungen").first.click()
    journal = page.locator("#journal")
    expect(journal.get_by_role("heading", name="Buchungsjournal")).to_be_visible()
    header = journal.locator("table.journal thead")
    for column in ("Betrag", "S/H", "Konto", "Gegenkonto", "BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Buchungstext"):
        expect(header).to_contain_text(column)
    fees = journal.locator("table.journal tbody tr").filter(has_text="Verkaufsgebühren")
    expect(fees).to_contain_text("16,65")
    expect(fees).to_contain_text("Verkaufsprovisionen")
    expect(fees).to_contain_text("05.03.2026")
    expect(journal.locator("table.journal-totals")).to_contain_text("Erlöse 19 % USt")
    expect(journal).to_contain_text("Das Verrechnungskonto steht wieder auf null.")
    fees.get_by_role("link", name="3 Zeilen").click()
    expect(page.get_by_role("heading", name="Berichtszeilen einer Buchung")).to_be_visible()
    expect(page.locator("table.lines tbody tr")).to_have_count(3)


def test_second_version_of_a_handed_over_batch_warns(page: Page, server):
    german_with_report(page, server)
    save_numbers(page, server, "4711")
    page.goto(f"{server}/batches/")
    row = page.locator("tbody tr").filter(has_text="Abrechnung 123")
    row.get_by_role("button", name="Neu erstellen").click()
    expect(row).to_contain_text("gültig")
    row.get_by_role("button", name="Als an die Steuerberatung übergeben vermerken").click()
    handed = page.locator("tbody tr").filter(has_text="Abrechnung 123")
    expect(handed).to_contain_text("an die Steuerberatung übergeben am")

    save_numbers(page, server, "4712")  # the advisor's number was wrong: a new version
    page.goto(f"{server}/batches/")
    row = page.locator("tbody tr").filter(has_text="Abrechnung 123")
    row.get_by_role("button", name="Neu erstellen").click()
    expect(row).to_contain_text("zuerst stornieren")
    row.get_by_role("link", name=re.compile("EXTF_Buchungsstapel_payout_123")).click()
    warning = page.get_by_role("alert")
    expect(page.get_by_role("heading", name="Eine frühere Version wurde bereits übergeben")).to_be_visible()
    expect(warning).to_contain_text("muss zuerst in DATEV storniert werden")
    with page.expect_download() as download:
        page.get_by_role("link", name="Trotzdem herunterladen: die frühere Version wird storniert").click()
    assert download.value.suggested_filename.endswith(".csv")


@pytest.fixture
def small_server(monkeypatch, request):
    """A server that takes uploads of at most 1 MB (it reads the variable when it starts)."""
    monkeypatch.setenv("SETTLEBOOK_MAX_UPLOAD_MB", "1")
    return request.getfixturevalue("server")


def test_too_large_upload_says_so_in_place(page: Page, small_server, tmp_path):
    big = tmp_path / "gross.txt"
    big.write_bytes(FIXTURE.read_bytes() * 2000)  # about 3 MB
    set_up(page, small_server)
    page.get_by_role("button", name="DE", exact=True).click()
    page.goto(f"{small_server}/reports/upload")
    page.get_by_label("Berichtsdateien").set_input_files(str(big))
    page.get_by_role("button", name="Hochladen und einlesen").click()
    message = page.locator("#upload-results").get_by_role("alert")
    expect(message).to_contain_text("zu groß")
    expect(page).to_have_url(f"{small_server}/reports/upload")
    expect(page.get_by_role("heading", name="Berichte hochladen")).to_be_visible()


def test_phone_menu_opens_with_the_keyboard_below_the_brand(page: Page, server):
    page.set_viewport_size({"width": 390, "height": 800})
    set_up(page, server)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    brand = page.locator(".brand").bounding_box()
    assert nav.bounding_box()["y"] >= brand["y"] + brand["height"]
    expect(nav.get_by_role("link", name="Overview")).to_be_focused()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
