"""E-mail notifications against a real SMTP server on loopback: settings, sending, failures
in plain words, notices recorded once, one e-mail per quiet period, retries."""

from __future__ import annotations

import socket
import stat
import threading
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from core import encryption, notify
from core.db import db, init_db
from core.imports import import_bytes
from core.mail import settings as mail_settings
from core.mail.message import build
from core.mail.smtp import MailError, send
from core.models import Job, Notification, Setting, utcnow
from tasks import mail
from tests.helpers import report_bytes


@pytest.fixture
def database(tmp_path):
    init_db(tmp_path / "settlebook.sqlite3")
    mail.configure(tmp_path)
    with db.connection_context():
        yield tmp_path


def configure(server, data_dir, user="", password=None, **overrides) -> mail_settings.MailSettings:
    values = {"host": "127.0.0.1", "port": str(server.port), "security": "none", "user": user,
              "sender": "settlebook@example.com", "recipients": "bookkeeper@example.com, advisor@example.com",
              **overrides}
    settings, errors = mail_settings.validate(values)
    assert errors == {}
    return mail_settings.save(settings, encryption.load_or_create_key(data_dir), password)


def import_fixture(name: str) -> int:
    result = import_bytes(report_bytes(name), name)
    assert result.report_id is not None
    return result.report_id


# -- settings ---------------------------------------------------------------------------------

def test_password_is_encrypted_at_rest_and_never_read_back_without_the_key(database, smtp_login_server):
    configure(smtp_login_server, database, user="bookkeeper", password="s3cret")
    raw = db.execute_sql("SELECT value FROM setting WHERE key = 'mail_settings'").fetchone()[0]
    assert "s3cret" not in raw
    assert mail_settings.load().password == "" and mail_settings.load().has_password
    assert mail_settings.load(encryption.load_or_create_key(database)).password == "s3cret"
    key_file = encryption.key_path(database)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # Saving again without a password keeps it; without a user there is nothing to log in with.
    configure(smtp_login_server, database, user="bookkeeper")
    assert mail_settings.load(encryption.load_or_create_key(database)).password == "s3cret"
    configure(smtp_login_server, database, user="")
    assert not mail_settings.load().has_password


def test_a_replaced_key_file_is_reported_not_crashed(database, smtp_login_server):
    configure(smtp_login_server, database, user="bookkeeper", password="s3cret")
    with pytest.raises(encryption.SecretUnreadable):
        mail_settings.load(encryption.Fernet.generate_key())
    mail.run_finished([import_fixture("settlement_v2_de.txt")], "upload")
    encryption.key_path(database).write_bytes(encryption.Fernet.generate_key())
    with pytest.raises(MailError) as error:
        mail.deliver()
    assert error.value.code == "password_unreadable"
    job = Job.get(Job.kind == "mail")
    assert job.outcome == "failed" and job.params_dict["code"] == "password_unreadable"
    assert Notification.get().status == "pending" and smtp_login_server.messages == []


@pytest.mark.parametrize("field, value", [
    ("host", ""), ("host", "smtp example.com"), ("port", "0"), ("port", "70000"), ("port", "abc"),
    ("security", "ssl"), ("sender", "not-an-address"), ("recipients", ""),
    ("recipients", "a@example.com, nope"), ("public_url", "nas.local"),
])
def test_settings_are_checked(field, value):
    values = {"host": "smtp.example.com", "port": "587", "security": "starttls",
              "sender": "a@example.com", "recipients": "b@example.com", field: value}
    settings, errors = mail_settings.validate(values)
    assert settings is None and field in errors


def test_port_defaults_by_security():
    settings, _ = mail_settings.validate({"host": "h.example.com", "port": "", "security": "tls",
                                          "sender": "a@example.com", "recipients": "b@example.com"})
    assert settings.port == 465


# -- sending, and failures named ------------------------------------------------------------

def _settings(server, **kw) -> mail_settings.MailSettings:
    base = dict(host="127.0.0.1", port=server.port if server else 1, security="none",
                sender="settlebook@example.com", recipients=("bookkeeper@example.com",))
    return mail_settings.MailSettings(**{**base, **kw})


def test_a_message_has_text_and_html_and_reaches_the_server(smtp_login_server):
    settings = _settings(smtp_login_server, user="bookkeeper", password="s3cret")
    assert send(settings, build(settings, "Grüße", "Zeile ä\n", "<p>ä</p>")) == {}
    [message] = smtp_login_server.messages
    assert message["Subject"] == "Grüße" and message["Auto-Submitted"] == "auto-generated"
    assert smtp_login_server.texts() == ["Zeile ä\n"] and "<p>ä</p>" in smtp_login_server.htmls()[0]


def test_refused_login_is_named_with_the_servers_answer(smtp_login_server):
    settings = _settings(smtp_login_server, user="bookkeeper", password="wrong")
    with pytest.raises(MailError) as error:
        send(settings, build(settings, "x", "x"))
    assert error.value.code == "auth_refused" and error.value.answer.startswith("535")
    assert smtp_login_server.messages == []


def test_closed_port_is_named(smtp_server):
    port = smtp_server.port
    smtp_server.stop()
    settings = _settings(smtp_server, port=port)
    with pytest.raises(MailError) as error:
        send(settings, build(settings, "x", "x"))
    assert error.value.code == "connection_refused" and error.value.params["port"] == str(port)


def test_tls_against_a_plain_server_is_a_tls_problem(smtp_server):
    settings = _settings(smtp_server, security="tls")
    with pytest.raises(MailError) as error:
        send(settings, build(settings, "x", "x"), timeout=5)
    assert error.value.code == "tls_problem"


def test_starttls_on_a_server_without_it_is_named(smtp_server):
    settings = _settings(smtp_server, security="starttls")
    with pytest.raises(MailError) as error:
        send(settings, build(settings, "x", "x"), timeout=5)
    assert error.value.code == "starttls_unsupported"


def test_a_silent_server_is_a_timeout():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    settings = _settings(None, port=listener.getsockname()[1])
    try:
        with pytest.raises(MailError) as error:
            send(settings, build(settings, "x", "x"), timeout=1)
    finally:
        listener.close()
        for connection, _address in accepted:
            connection.close()
    assert error.value.code == "timeout" and error.value.params["seconds"] == "1"


def test_a_refused_recipient_is_named(smtp_server):
    smtp_server.refuse_recipients = ("nobody@example.com",)
    settings = _settings(smtp_server, recipients=("nobody@example.com",))
    with pytest.raises(MailError) as error:
        send(settings, build(settings, "x", "x"))
    assert error.value.code == "recipient_refused" and "550" in error.value.answer
    # One of two refused: the other still gets it, and the refusal is returned.
    settings = _settings(smtp_server, recipients=("nobody@example.com", "bookkeeper@example.com"))
    refused = send(settings, build(settings, "x", "x"))
    assert list(refused) == ["nobody@example.com"]
    assert smtp_server.envelopes[-1][1] == ["bookkeeper@example.com"]


# -- notices: recorded once, sent as one e-mail ---------------------------------------------

def test_new_reports_give_one_email_naming_them_and_never_twice(database, smtp_server):
    configure(smtp_server, database, public_url="https://nas.local:8000")
    first = import_fixture("settlement_v2_de.txt")
    second = import_fixture("settlement_v2_uk.txt")
    assert mail.run_finished([first], "upload") == 1
    assert mail.run_finished([second, first], "sync") == 1  # the first is already noted

    sent = mail.deliver()
    assert sent is not None and sent.refused == {}
    [text] = smtp_server.texts()
    [message] = smtp_server.messages
    assert "2 new reports" in message["Subject"]
    assert message["To"] == "bookkeeper@example.com, advisor@example.com"
    from core.models import Report

    for report_id in (first, second):
        report = Report.get_by_id(report_id)
        assert report.key in text
        assert f"https://nas.local:8000/reports/{report_id}" in text
        assert f'href="https://nas.local:8000/reports/{report_id}"' in smtp_server.htmls()[0]
    assert "EUR" in text and "GBP" in text

    # The same events again, and another flush: nothing more is sent.
    assert mail.run_finished([first, second], "sync") == 0
    assert mail.deliver() is None
    assert len(smtp_server.messages) == 1
    job = Job.select().where(Job.kind == "mail").get()
    assert job.outcome == "ok" and job.message_code == "mail_sent"
    assert mail_settings.last_status()["outcome"] == "ok"


def test_the_email_is_in_the_users_language(database, smtp_server):
    configure(smtp_server, database)
    Setting.set_value("language", "de")
    mail.run_finished([import_fixture("settlement_v2_de.txt")], "upload")
    mail.deliver()
    [message] = smtp_server.messages
    assert "1 neuer Bericht" in message["Subject"]
    text = smtp_server.texts()[0]
    assert "Neue Berichte" in text and "Abrechnung" in text and " EUR" in text
    assert "new report" not in text


def test_a_failure_is_sent_once_a_day_with_how_often(database, smtp_server):
    configure(smtp_server, database)
    assert mail.failure("amazon_unreachable", template="Connection refused by %(host)s",
                        host="sellingpartnerapi-eu.amazon.com")
    assert mail.failure("amazon_unreachable", template="Timed out")  # still pending: counted in
    mail.deliver()
    [message] = smtp_server.messages
    assert message["Subject"] == "settlebook: settlebook could not reach Amazon"
    text = smtp_server.texts()[0]
    assert "2 times since" in text and "Timed out" in text
    # Later that day: only counted, no second e-mail.
    assert not mail.failure("amazon_unreachable", template="Timed out")
    assert mail.deliver() is None and len(smtp_server.messages) == 1
    assert Notification.get(Notification.code == "amazon_unreachable").repeats == 3
    # The next day it is news again.
    assert notify.failure("amazon_unreachable", day=date.today() + timedelta(days=1))
    mail.deliver()
    assert len(smtp_server.messages) == 2


def test_switches_decide_what_is_sent(database, smtp_server):
    configure(smtp_server, database, notify_batches="false")
    assert mail.run_finished([import_fixture("settlement_v2_de.txt")], "upload") == 0
    assert mail.failure("credentials_rejected")
    mail.deliver()
    assert "rejected" in smtp_server.messages[0]["Subject"]
    assert "New reports" not in smtp_server.texts()[0]


def test_nothing_is_recorded_without_mail_settings(database):
    assert mail.run_finished([1], "upload") == 0
    assert not mail.failure("sync_failed")
    assert Notification.select().count() == 0


def test_reports_needing_attention_are_listed(database, smtp_server):
    configure(smtp_server, database)
    report_id = import_fixture("settlement_v2_de.txt")
    from core.models import Report

    Report.update(reconciles=False, difference="0.01", unmapped_count=2).where(Report.id == report_id).execute()
    mail.run_finished([report_id], "upload")
    mail.deliver()
    assert "1 needs attention" in smtp_server.messages[0]["Subject"]
    text = smtp_server.texts()[0]
    assert "does not add up: off by 0.01 EUR" in text and "2 lines without a category" in text


def test_a_mail_server_that_is_down_keeps_the_notice_for_the_next_attempt(database, smtp_server):
    configure(smtp_server, database)
    port = smtp_server.port
    smtp_server.stop()
    mail.run_finished([import_fixture("settlement_v2_de.txt")], "upload")
    with pytest.raises(MailError):
        mail.deliver()
    job = Job.select().where(Job.kind == "mail").get()
    assert job.outcome == "failed" and job.params_dict["code"] == "connection_refused"
    assert mail_settings.last_status()["outcome"] == "failed"
    assert Notification.get().status == "pending"

    from tests.helpers import SmtpServer

    server = SmtpServer()
    server.start()
    try:
        configure(server, database)
        assert server.port != port
        assert mail.deliver() is not None
        assert len(server.messages) == 1 and Notification.get().status == "sent"
    finally:
        server.stop()


def test_notices_wait_until_things_are_quiet(database, smtp_server):
    configure(smtp_server, database)
    mail.run_finished([import_fixture("settlement_v2_de.txt")], "upload")
    assert mail.deliver(quiet=timedelta(minutes=3)) is None  # the event is seconds old
    Notification.update(updated=utcnow() - timedelta(minutes=4)).execute()
    assert mail.deliver(quiet=timedelta(minutes=3)) is not None


def test_a_flush_killed_mid_send_is_pending_again_at_start(database, smtp_server):
    configure(smtp_server, database)
    mail.run_finished([import_fixture("settlement_v2_de.txt")], "upload")
    notify.claim("killed-flush")
    assert mail.deliver() is None  # nothing pending while it is claimed
    assert mail.resume() == 1
    assert mail.deliver() is not None and len(smtp_server.messages) == 1


def test_the_background_task_is_retried_while_the_server_is_down(database, smtp_server, tmp_path):
    """The real huey queue (SQLite file): a failing flush is put back on the schedule."""
    from tasks.queue import configure as configure_queue
    from tasks.queue import huey

    configure(smtp_server, database)
    smtp_server.stop()
    mail.run_finished([import_fixture("settlement_v2_de.txt")], "upload")
    Notification.update(updated=utcnow() - timedelta(seconds=mail.DEBOUNCE + 1)).execute()  # quiet since
    configure_queue(tmp_path / "tasks.sqlite3")
    try:
        mail._flush()  # enqueued, not run
        task = huey.dequeue()
        huey.execute(task)
        [retry] = huey.scheduled()
        assert retry.retries == mail.RETRIES - 1
        assert Notification.get().status == "pending"
        assert Job.select().where(Job.kind == "mail", Job.outcome == "failed").count() == 1
    finally:
        configure_queue(None, immediate=True)


# -- the Amazon import run's summary (core.sync.SyncResult on the spapi branch) ----------------

@dataclass
class SimpleDocument:
    kind: str
    amazon_report_id: str
    key: str = ""
    message: str = ""


def sync_result(**fields):
    """The fields of a SyncResult that tasks.mail.sync_finished reads, as plain values."""
    from types import SimpleNamespace

    base = dict(new_report_ids=[], trigger="scheduled", status="ok", error_code="", error_message="", failed=[])
    return SimpleNamespace(**{**base, **fields})


def test_a_sync_run_is_told_like_uploads(database, smtp_server):
    configure(smtp_server, database)
    report_id = import_fixture("settlement_v2_de.txt")
    document = SimpleDocument("settlement", "A1", key="33333333333", message="Amazon sent an empty document.")
    mail.sync_finished(sync_result(new_report_ids=[report_id], status="partial", failed=[document]))
    mail.sync_finished(sync_result(new_report_ids=[report_id]))  # the same report again: nothing new
    mail.deliver()
    [message] = smtp_server.messages
    assert message["Subject"] == "settlebook: A report could not be imported, 1 new report"
    text = smtp_server.texts()[0]
    assert "33333333333" in text and "Amazon sent an empty document." in text and "24681357901" in text


@pytest.mark.parametrize("fields, subject", [
    ({"status": "failed", "error_code": "connection", "error_message": "Amazon could not be reached."},
     "settlebook could not reach Amazon"),
    ({"status": "failed", "error_code": "invalid_client", "error_message": "Client authentication failed"},
     "Amazon rejected the seller account's credentials"),
    ({"status": "paused", "error_code": "invalid_client"}, "Amazon rejected the seller account's credentials"),
    ({"status": "failed", "error_code": "InvalidInput", "error_message": "Bad date"}, "The automatic import failed"),
])
def test_a_failed_sync_run_names_why(database, smtp_server, fields, subject):
    configure(smtp_server, database)
    mail.sync_finished(sync_result(**fields))
    mail.deliver()
    [message] = smtp_server.messages
    assert message["Subject"] == f"settlebook: {subject}"
    if fields.get("error_message"):
        assert f"{fields['error_message']} ({fields['error_code']})" in smtp_server.texts()[0]


def test_busy_or_unconnected_runs_tell_nothing(database, smtp_server):
    configure(smtp_server, database)
    for status in ("busy", "not_connected", "ok"):
        mail.sync_finished(sync_result(status=status))
    assert mail.deliver() is None and smtp_server.messages == []
