"""Regenerating a batch in the browser runs in the background: the block polls until the
result is there, and with nothing changed it says so instead of making a version."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up

FIXTURE = Path(__file__).parent.parent / "fixtures" / "reports" / "settlement_v2_de_worked_example.txt"


def test_regenerate_polls_and_says_unchanged_then_builds_a_version(page: Page, server):
    set_up(page, server)
    page.goto(f"{server}/reports/upload")
    page.get_by_label("Report files").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Upload and import").click()
    result = page.locator(".upload").filter(has_text=FIXTURE.name)
    expect(result).to_contain_text("Imported.", timeout=20_000)
    result.get_by_role("link", name="Open the report").click()
    batch = page.locator("#batch")
    expect(batch).to_contain_text("Version 1", timeout=20_000)

    batch.get_by_role("button", name="Regenerate with current settings").click()
    expect(page.locator("#batch")).to_contain_text("Unchanged: nothing changed since version 1",
                                                   timeout=20_000)

    report_url = page.url
    page.goto(f"{server}/settings/")
    page.get_by_label("Beraternummer").fill("2002")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".flash")).to_be_visible()
    page.goto(report_url)
    expect(page.locator("#batch")).to_contain_text("outdated")
    page.locator("#batch").get_by_role("button", name="Regenerate with current settings").click()
    expect(page.locator("#batch")).to_contain_text("Version 2", timeout=20_000)
    expect(page.locator("#batch")).to_contain_text("valid")
