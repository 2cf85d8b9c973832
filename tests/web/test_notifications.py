"""Settings › Notifications through the Flask client, with a real SMTP server on loopback:
saving (password never shown back), the test e-mail via htmx, e-mails after uploads."""

from __future__ import annotations

import io

from core import encryption
from core.mail import settings as mail_settings
from core.models import Job, Report
from tasks import mail
from tests.helpers import csrf_token, upload

PAGE = "/settings/notifications/"


def form(server, **overrides) -> dict[str, str]:
    return {"host": "127.0.0.1", "port": str(server.port), "security": "none", "user": "",
            "sender": "settlebook@example.com", "recipients": "bookkeeper@example.com",
            "notify_batches": "true", "notify_failures": "true", **overrides}


def save(client, server, **overrides):
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    return client.post(PAGE, data={"csrf_token": token, **form(server, **overrides)})


def test_page_in_english_and_german(logged_in):
    page = logged_in.get(PAGE).get_data(as_text=True)
    assert "Mail server (SMTP)" in page and "Send test e-mail" in page and "Notifications" in page
    token = csrf_token(page)
    logged_in.post("/language", data={"lang": "de", "csrf_token": token})
    page = logged_in.get(PAGE).get_data(as_text=True)
    assert "Benachrichtigungen" in page and "Test-E-Mail senden" in page and "Empfänger" in page
    assert "Send test e-mail" not in page
    assert 'href="/settings/notifications/"' in logged_in.get("/settings/").get_data(as_text=True)


def test_saving_keeps_the_password_encrypted_and_never_shows_it(app, logged_in, smtp_login_server):
    response = save(logged_in, smtp_login_server, user="bookkeeper", password="s3cret")
    assert response.status_code == 303
    page = logged_in.get(PAGE).get_data(as_text=True)
    assert "s3cret" not in page and "A password is stored" in page
    assert 'value="bookkeeper"' in page and 'value="bookkeeper@example.com"' in page
    key = encryption.load_or_create_key(app.config["DATA_DIR"])
    assert mail_settings.load(key).password == "s3cret"
    # Saving again with the field empty keeps it; the checkbox removes it.
    save(logged_in, smtp_login_server, user="bookkeeper")
    assert mail_settings.load(key).password == "s3cret"
    save(logged_in, smtp_login_server, user="bookkeeper", forget_password="1")
    assert not mail_settings.load().has_password


def test_wrong_values_are_marked_and_nothing_is_saved(logged_in, smtp_server):
    response = save(logged_in, smtp_server, sender="nobody", port="99999")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "nothing was saved" in page
    assert "Enter one e-mail address" in page and "The port is a number" in page
    assert not mail_settings.load().configured


def _test_email(client, server, **overrides):
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    return client.post(PAGE + "test", data={"csrf_token": token, **form(server, **overrides)},
                       headers={"HX-Request": "true"})


def test_test_email_via_htmx_reaches_the_server(logged_in, smtp_server):
    response = _test_email(logged_in, smtp_server)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="mail-test-result"' in html
    assert "The test e-mail was sent to bookkeeper@example.com" in html
    [message] = smtp_server.messages
    assert message["Subject"] == "settlebook: test e-mail"
    assert "The mail settings work" in smtp_server.texts()[0]
    # Testing does not save; the page still offers the empty form.
    assert not mail_settings.load().configured


def test_refused_login_is_shown_in_plain_words(logged_in, smtp_login_server):
    save(logged_in, smtp_login_server, user="bookkeeper", password="s3cret")
    html = _test_email(logged_in, smtp_login_server, user="bookkeeper", password="wrong").get_data(as_text=True)
    assert "The mail server refused the login. Check the user name and the password." in html
    assert "The server answered: 535" in html
    assert smtp_login_server.messages == []
    # With the stored password (the field left empty) it works.
    html = _test_email(logged_in, smtp_login_server, user="bookkeeper").get_data(as_text=True)
    assert "was sent to" in html and len(smtp_login_server.messages) == 1


def test_failed_email_shows_on_the_page_and_in_the_job_log_in_german(logged_in, smtp_server):
    save(logged_in, smtp_server)
    port = smtp_server.port
    smtp_server.stop()
    token = csrf_token(logged_in.get(PAGE).get_data(as_text=True))
    logged_in.post("/language", data={"lang": "de", "csrf_token": token})
    html = _test_email(logged_in, smtp_server, port=str(port)).get_data(as_text=True)
    assert f"nimmt auf Port {port} keine Verbindungen an" in html
    page = logged_in.get(PAGE).get_data(as_text=True)
    assert "Die letzte E-Mail konnte nicht gesendet werden" in page
    log = logged_in.get("/jobs/").get_data(as_text=True)
    assert "E-Mail" in log and f"Port {port}" in log


def test_test_email_without_settings_says_what_to_fill_in(logged_in):
    token = csrf_token(logged_in.get(PAGE).get_data(as_text=True))
    html = logged_in.post(PAGE + "test", data={"csrf_token": token},
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Fill in the mail server, the sender and at least one recipient first." in html


def test_test_email_needs_the_csrf_token(logged_in, smtp_server):
    response = logged_in.post(PAGE + "test", data=form(smtp_server), headers={"HX-Request": "true"})
    assert response.status_code == 400 and smtp_server.messages == []


def test_uploads_give_one_email_naming_the_new_reports(logged_in, smtp_server):
    save(logged_in, smtp_server, public_url="http://nas.local:8000")
    upload(logged_in, "settlement_v2_de.txt", "settlement_v2_uk.txt", (io.BytesIO(b"junk\n"), "junk.txt"))
    upload(logged_in, "settlement_v2_de.txt")  # the same file again: nothing new
    assert mail.deliver() is not None
    [message] = smtp_server.messages
    assert message["Subject"] == "settlebook: A report could not be imported, 2 new reports"
    text = smtp_server.texts()[0]
    for report in Report.select():
        assert report.key in text and f"http://nas.local:8000/reports/{report.id}" in text
    assert "booking batch ready" in text and "junk.txt" in text
    assert mail.deliver() is None and len(smtp_server.messages) == 1
    assert Job.select().where(Job.kind == "mail", Job.outcome == "ok").count() == 1


def test_a_notice_that_cannot_be_recorded_does_not_break_the_upload(logged_in, smtp_server, caplog):
    from core.db import db

    save(logged_in, smtp_server)
    db.execute_sql("ALTER TABLE notification RENAME TO notification_gone")  # a real fault, not a mock
    html = upload(logged_in, "settlement_v2_de.txt").get_data(as_text=True)
    assert "Imported." in html and Report.select().count() == 1
    assert "recording the notice run_finished" in caplog.text
    db.execute_sql("ALTER TABLE notification_gone RENAME TO notification")
