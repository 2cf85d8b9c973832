"""Settings › Notifications in Chromium: the htmx test button sends what the form holds."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up


def fill(page: Page, smtp, user: str = "", password: str = "") -> None:
    page.get_by_label("Mail server (SMTP)").fill("127.0.0.1")
    page.get_by_label("Security").select_option("none")
    page.get_by_label("Port", exact=True).fill(str(smtp.port))
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Sender address").fill("settlebook@example.com")
    page.get_by_label("Recipients").fill("bookkeeper@example.com")


def test_test_email_then_save_in_the_browser(page: Page, server, smtp_login_server):
    set_up(page, server)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_label("New reports and booking batches")).to_be_checked()

    fill(page, smtp_login_server, "bookkeeper", "wrong")
    page.get_by_role("button", name="Send test e-mail").click()
    expect(page.get_by_text("The mail server refused the login.")).to_be_visible()
    expect(page.get_by_text("The server answered: 535")).to_be_visible()
    assert smtp_login_server.messages == []

    page.get_by_label("Password", exact=True).fill("s3cret")
    page.get_by_role("button", name="Send test e-mail").click()
    expect(page.get_by_text("The test e-mail was sent to bookkeeper@example.com")).to_be_visible()
    assert len(smtp_login_server.messages) == 1

    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The e-mail settings are saved.")).to_be_visible()
    expect(page.get_by_text("A password is stored (encrypted).")).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    expect(page.get_by_text("The last e-mail was sent on")).to_be_visible()
