"""E-mails about Amazon import runs: the fake Amazon over HTTP, a real SMTP server on loopback."""

from __future__ import annotations

import pytest

from core import amazon, sync
from core.models import Notification, Report
from tasks import mail
from tasks import sync as sync_tasks
from tests.fake_spapi import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
from tests.web.test_notifications import form


@pytest.fixture
def connected(app, fake, smtp_server):
    endpoints = amazon.Endpoints(fake.url, fake.url + "/auth/o2/token", poll_interval=0.01)
    sync_tasks.configure(app.config["DATA_DIR"], endpoints)
    key = sync_tasks.key()
    creds = amazon.check_input("eu", CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
    amazon.connect(key, creds, amazon.verify(creds, endpoints), enable_participating=True)
    from core.mail import settings as mail_settings

    settings, errors = mail_settings.validate(form(smtp_server))
    assert not errors
    mail.save_settings(settings, None)
    return endpoints


def test_a_sync_with_new_settlements_sends_one_email_naming_them(connected, smtp_server):
    result = sync_tasks.run_now("scheduled")
    assert result.status == "ok" and result.new_settlements == 4
    assert mail.deliver() is not None
    [message] = smtp_server.messages
    assert message["Subject"] == "settlebook: 5 new reports"
    text = smtp_server.texts()[0]
    for report in Report.select().where(Report.kind == "settlement"):
        assert f"Settlement {report.key}" in text
    assert "VAT Transactions Report" in text and "booking batch ready" in text

    again = sync_tasks.run_now("scheduled")  # nothing new: nothing to tell
    assert again.status == "ok" and mail.deliver() is None and len(smtp_server.messages) == 1


def test_amazon_unreachable_sends_one_email_a_day(connected, smtp_server, fake):
    down = amazon.Endpoints("http://127.0.0.1:9", fake.url + "/auth/o2/token", 0.01)

    def run_unreachable():
        # As tasks.sync.run_now, with a client that retries once without sleeping.
        client = amazon.make_client(amazon.credentials(amazon.current(), sync_tasks.key()), down)
        client.max_retries, client.sleep = 1, lambda seconds: None
        result = sync.run(sync_tasks.key(), down, "scheduled", client=client)
        sync_tasks.finished(result)
        return result

    for _ in range(2):
        result = run_unreachable()
        assert result.status == "failed" and result.error_code == "connection"
    mail.deliver()
    [message] = smtp_server.messages
    assert message["Subject"] == "settlebook: settlebook could not reach Amazon"
    text = smtp_server.texts()[0]
    assert "(2 times since" in text and "Amazon could not be reached. (connection)" in text
    run_unreachable()
    assert mail.deliver() is None and len(smtp_server.messages) == 1
    assert Notification.get().repeats == 3


def test_rejected_credentials_are_told_once(connected, smtp_server, fake):
    fake.secret_expired = True
    assert sync_tasks.run_now("manual").status == "failed"
    assert sync_tasks.run_now("scheduled").status == "paused"
    mail.deliver()
    [message] = smtp_server.messages
    assert message["Subject"] == "settlebook: Amazon rejected the seller account's credentials"
    assert "Connect the seller account again under Connections" in smtp_server.texts()[0]
