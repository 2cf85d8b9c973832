"""Settings › Notifications in Chromium: the htmx test button sends what the form holds."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.test_first_run import set_up
from tests.helpers import REPORTS


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
    expect(page.get_by_label("Port", exact=True)).to_have_value("587")
    page.get_by_label("Security").select_option("tls")
    expect(page.get_by_label("Port", exact=True)).to_have_value("465")  # the usual port follows

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


def test_uploads_in_a_row_give_one_email_from_the_running_worker(page: Page, tmp_path, monkeypatch,
                                                                 smtp_server):
    """`settlebook serve` with its real queue: two uploads, one e-mail naming both, sent by the
    delayed background task once the imports have been quiet for SETTLEBOOK_MAIL_DELAY."""
    import signal
    import subprocess
    import time

    from tests.helpers import free_port, settlebook, wait_until_up
    from tests.test_cli_mail import mail_settings

    data = tmp_path / "data"
    assert mail_settings(smtp_server, data).returncode == 0
    monkeypatch.setenv("SETTLEBOOK_MAIL_DELAY", "4")
    port = free_port()
    process = settlebook("serve", "--port", str(port), data_dir=data,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{server}/healthz", process)
        set_up(page, server)
        for name in ("settlement_v2_de.txt", "settlement_v2_uk.txt"):
            page.goto(f"{server}/reports/upload")
            page.get_by_label("Report files").set_input_files(str(REPORTS / name))
            page.get_by_role("button", name="Upload and import").click()
            expect(page.locator(".upload").filter(has_text=name)).to_contain_text("Imported.", timeout=20_000)
        deadline = time.monotonic() + 60
        while not smtp_server.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(6)  # longer than the delay: a second e-mail would have come by now
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    [message] = smtp_server.messages
    assert message["Subject"] == "settlebook: 2 new reports"
    text = smtp_server.texts()[0]
    assert "24681357901" in text and "GBP" in text and "EUR" in text
