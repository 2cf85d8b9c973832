"""The Content-Security-Policy in a real browser: htmx and the app's scripts work, nothing is refused.

Every CSP refusal shows up as a `securitypolicyviolation` event and a console error; both
are collected while a user walks the main pages and uses their htmx parts.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up

FIXTURE = Path(__file__).parent.parent / "fixtures" / "reports" / "settlement_v2_de_worked_example.txt"

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def test_main_pages_and_htmx_run_without_csp_violations(page: Page, server):
    console = []
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    page.add_init_script(LISTEN)
    violations = []

    def collect():
        violations.extend(page.evaluate("window.__cspViolations || []"))

    response = page.goto(f"{server}/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    set_up(page, server)
    collect()

    # An htmx upload (multipart XHR), its polling fragment, and the drop-zone script.
    page.goto(f"{server}/reports/upload")
    page.get_by_label("Report files").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator(".upload")).to_contain_text("Imported", timeout=20_000)
    collect()

    # htmx filters and search on the report pages.
    page.goto(f"{server}/reports/")
    page.locator("tbody tr").first.get_by_role("link").first.click()
    page.get_by_label(re.compile("Search by order", re.IGNORECASE)).fill("no such order")
    expect(page.locator("#lines")).not_to_contain_text("Order", timeout=5_000)
    collect()

    # Selects that submit their form on change (formerly inline handlers).
    page.goto(f"{server}/batches/")
    page.get_by_label("Show").select_option("problems")
    expect(page).to_have_url(re.compile(r"status=problems"))
    page.goto(f"{server}/settings/accounts")
    page.get_by_label("Rules for").select_option(index=1)  # the uploaded report's marketplace
    expect(page).to_have_url(re.compile(r"marketplace=\w+"))
    collect()

    for path in ("/overview", "/settings/", "/settings/accounts", "/settings/mappings", "/jobs/",
                 "/marketplaces/", "/connections/", "/settings/quickbooks", "/quickbooks/preview",
                 "/connections/quickbooks/"):
        page.goto(f"{server}{path}")
        expect(page.locator("main")).to_be_visible()
        collect()
    # The htmx indicator is hidden by app.css, not by a style element htmx would inject.
    assert page.evaluate("document.querySelectorAll('style').length") == 0

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{server}/login")
    collect()
    refused = [line for line in console if "Content Security Policy" in line or "Refused" in line]
    assert not violations and not refused, (violations, refused)
    assert not [line for line in console if line.startswith("pageerror")], console
