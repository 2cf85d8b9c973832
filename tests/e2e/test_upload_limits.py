"""In the browser: too many files in one upload are refused with their own message in the list."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up


@pytest.fixture
def few_files_server(request, monkeypatch):
    monkeypatch.setenv("SETTLEBOOK_MAX_FILES", "2")
    return request.getfixturevalue("server")


def _files(count: int) -> list[dict]:
    return [{"name": f"report-{n}.txt", "mimeType": "text/plain", "buffer": b"x\n"} for n in range(count)]


@pytest.mark.parametrize("count", [3, 40])  # 3: the view counts; 40: Werkzeug's part limit (413)
def test_too_many_files_get_their_own_message(page: Page, few_files_server, count):
    set_up(page, few_files_server)
    page.goto(f"{few_files_server}/reports/upload")
    page.get_by_label("Report files").set_input_files(_files(count))
    page.get_by_role("button", name="Upload and import").click()
    refused = page.locator("#upload-results .upload-refused")
    expect(refused).to_have_text("That is too many files for one upload: choose at most 2 at a time.")
    expect(page.locator("#upload-results .upload-queued, #upload-results .upload-done")).to_have_count(0)
