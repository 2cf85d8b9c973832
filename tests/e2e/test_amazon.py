"""Through the browser, in German: connect to the fake Amazon, switch on two marketplaces,
import the last 90 days, and see the reports and their batches."""

from __future__ import annotations

import re
import signal
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.fake_spapi import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, FakeAmazon
from tests.helpers import amazon_env, free_port, settlebook, wait_until_up

PASSWORD = "browser password 1"


@pytest.fixture
def fake():
    amazon = FakeAmazon().default_data().start()
    amazon.polls_until_done = 1
    yield amazon
    amazon.stop()


@pytest.fixture
def amazon_server(tmp_path, fake):
    port = free_port()
    process = settlebook("serve", "--port", str(port), data_dir=tmp_path / "data", env=amazon_env(fake.url),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(f"{url}/healthz", process)
    yield url
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert CLIENT_SECRET not in output and REFRESH_TOKEN not in output  # never logged


def set_up_in_german(page: Page, server: str) -> None:
    page.goto(f"{server}/setup")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Save password and start").click()
    page.get_by_role("button", name="DE", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_connect_enable_two_marketplaces_import_and_see_batches(page: Page, amazon_server, fake):
    server = amazon_server
    set_up_in_german(page, server)
    page.get_by_role("navigation").get_by_role("link", name="Verbindungen").click()
    expect(page.get_by_role("heading", name="Amazon-Verkäuferkonto verbinden")).to_be_visible()

    # A wrong secret first: Amazon's refusal in plain German, nothing stored.
    form = page.locator("form").filter(has=page.get_by_role("button", name="Prüfen und verbinden"))
    form.get_by_label("Region Ihres Verkäuferkontos").select_option("eu")
    form.get_by_label("LWA-Client-ID").fill(CLIENT_ID)
    form.get_by_label("LWA-Client-Secret").fill("falsch")
    form.get_by_label("Refresh-Token").fill(REFRESH_TOKEN)
    page.get_by_role("button", name="Prüfen und verbinden").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Amazon hat die Client-ID oder das Client-Secret nicht angenommen")

    form.get_by_label("LWA-Client-Secret").fill(CLIENT_SECRET)
    form.get_by_label("Refresh-Token").fill(REFRESH_TOKEN)
    page.get_by_role("button", name="Prüfen und verbinden").click()
    expect(page.get_by_role("heading", name="Mit Amazon verbunden")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(CLIENT_SECRET)

    for name in ("Amazon.de", "Amazon.fr"):
        switch = page.get_by_role("switch", name=f"{name} abrufen")
        expect(switch).to_have_attribute("aria-checked", "false")
        switch.click()
        # Generous: on a loaded machine the first htmx round trip after start can take a while.
        expect(page.get_by_role("switch", name=f"{name} abrufen")).to_have_attribute(
            "aria-checked", "true", timeout=20_000)
    # A switched-on marketplace books by its tax profile's defaults until they are confirmed.
    expect(page.locator("tbody tr").filter(has_text="Amazon.fr")).to_contain_text("Vorgabe, bitte bestätigen")

    page.get_by_role("button", name="Letzte 90 Tage abrufen").click()
    expect(page.get_by_role("heading", name="Abruf von Amazon")).to_be_visible()
    summary = page.locator(".summary")
    expect(summary).to_contain_text("4 neue Auszahlungsberichte", timeout=30_000)
    expect(summary).to_contain_text(re.compile(r"\d neuer? USt-Berichte?"))  # one per month in the 90 days
    # The twin listing (and the fake serves one VAT file for every month).
    expect(summary).to_contain_text("schon vorhanden")
    expect(summary).to_contain_text(re.compile(r"\d Buchungsstapel erstellt"))

    page.get_by_role("link", name="Berichte anzeigen").click()
    expect(page.get_by_role("row").filter(has_text="von Amazon abgerufen")).to_have_count(4)  # the four payouts
    page.get_by_role("navigation").get_by_role("link", name="Buchungsstapel").click()
    for key in ("11111111111", "22222222222", "33333333333"):
        expect(page.get_by_role("link", name=f"Abrechnung {key}")).to_be_visible()

    # A second run from the Connections page brings nothing new and downloads nothing.
    downloads = len(fake.calls("download"))
    page.get_by_role("navigation").get_by_role("link", name="Verbindungen").click()
    page.get_by_role("button", name="Jetzt abrufen").click()
    expect(page.locator(".summary")).to_contain_text("0 neue Auszahlungsberichte", timeout=30_000)
    assert len(fake.calls("download")) == downloads
