"""Fixtures shared by every test: an app on a temporary data folder, its client, a logged-in client."""

from __future__ import annotations

import pytest

from core.db import db
from tests.helpers import page_token

PASSWORD = "correct horse battery"


def pytest_sessionstart(session):
    """Compile the catalogs, so a bare `pytest` sees the same German as the app."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in Path(__file__).parent.parent.glob("webapp/translations/*/LC_MESSAGES/messages.po"):
        with po.open("rb") as source:
            catalog = read_po(source)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


@pytest.fixture
def app(tmp_path):
    from webapp import create_app

    app = create_app({"DATA_DIR": tmp_path, "TASKS_IMMEDIATE": True, "TESTING": True, "SECRET_KEY": "test"})
    # The test body may query the database directly; requests reuse this connection.
    with db.connection_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


class Actions:
    def __init__(self, client):
        self.client = client

    def token(self, path: str = "/login") -> str:
        return page_token(self.client, path)

    def setup(self, password: str = PASSWORD, language: str = "en"):
        token = self.token("/setup")
        return self.client.post("/setup", data={"csrf_token": token, "password": password,
                                                "confirmation": password, "language": language})

    def login(self, password: str = PASSWORD):
        return self.client.post("/login", data={"csrf_token": self.token("/login"), "password": password})

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token("/overview")})


@pytest.fixture
def actions(client):
    return Actions(client)


@pytest.fixture
def logged_in(client, actions):
    """A client with the password set up and a session logged in."""
    assert actions.setup().status_code == 303
    return client


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 that accepts every message (no login)."""
    from tests.helpers import SmtpServer

    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_login_server():
    """A real SMTP server on 127.0.0.1 that wants the login bookkeeper / s3cret."""
    from tests.helpers import SmtpServer

    server = SmtpServer(login=("bookkeeper", "s3cret")).start()
    yield server
    server.stop()


@pytest.fixture
def fake():
    """A fake Amazon (LWA, SP-API, S3) on 127.0.0.1 with the default data set."""
    from tests.fake_spapi import FakeAmazon

    amazon = FakeAmazon().default_data().start()
    yield amazon
    amazon.stop()
