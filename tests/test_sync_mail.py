"""`settlebook sync` as a real process: the fake Amazon over HTTP, a real SMTP server on loopback."""

from __future__ import annotations

import subprocess

import pytest

from tests.fake_spapi import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, FakeAmazon
from tests.helpers import amazon_env, free_port, settlebook
from tests.test_cli_mail import mail_settings


def cli(*args, data, env, timeout=240):
    process = settlebook(*args, data_dir=data, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output, _ = process.communicate(timeout=timeout)
    return process.returncode, output


@pytest.fixture
def fake():
    amazon_fake = FakeAmazon().default_data().start()
    amazon_fake.polls_until_done = 1  # the VAT report is ready at once: no half-minute poll
    yield amazon_fake
    amazon_fake.stop()


@pytest.fixture
def data(tmp_path, fake, smtp_server):
    data = tmp_path / "data"
    code, output = cli("connect", "--region", "eu", "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET,
                       "--refresh-token", REFRESH_TOKEN, data=data, env=amazon_env(fake.url))
    assert code == 0, output
    assert mail_settings(smtp_server, data).returncode == 0
    return data


def test_sync_that_imports_new_settlements_sends_one_email_naming_them(data, fake, smtp_server):
    code, output = cli("sync", data=data, env=amazon_env(fake.url))
    assert code == 0, output
    assert "Notification e-mail sent: settlebook: 5 new reports" in output
    [message] = smtp_server.messages
    text = smtp_server.texts()[0]
    for settlement in ("11111111111", "22222222222"):
        assert f"Settlement {settlement}" in text
    code, output = cli("sync", data=data, env=amazon_env(fake.url))
    assert code == 0 and "Notification e-mail" not in output and len(smtp_server.messages) == 1


@pytest.mark.slow
def test_sync_that_cannot_reach_amazon_sends_one_email_saying_so(data, fake, smtp_server):
    env = {**amazon_env(fake.url), "SETTLEBOOK_SPAPI_ENDPOINT": f"http://127.0.0.1:{free_port()}"}
    code, output = cli("sync", data=data, env=env)
    assert code == 2 and "Amazon could not be reached" in output
    [message] = smtp_server.messages
    assert message["Subject"] == "settlebook: settlebook could not reach Amazon"
    assert "Amazon could not be reached. (connection)" in smtp_server.texts()[0]


def test_sync_with_a_mail_server_down_still_imports(data, fake, smtp_server):
    smtp_server.stop()
    code, output = cli("sync", data=data, env=amazon_env(fake.url))
    assert code == 0, output
    assert "4 new settlements" in output
    assert "the notification e-mail could not be sent: The mail server 127.0.0.1 does not accept connections" in output
