"""First-run setup, login, logout, the brake on guessing, and that nothing is served without a login."""

from __future__ import annotations

import re

import pytest

from core import auth
from core.models import LoginAttempt, utcnow
from tests.conftest import PASSWORD
from tests.helpers import page_token


def test_fresh_install_sends_everyone_to_setup(client):
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["Location"] == "/setup"
    assert client.get("/login").headers["Location"] == "/setup"


def test_setup_sets_password_logs_in_and_closes_itself(client, actions):
    response = actions.setup(language="de")
    assert response.status_code == 303
    page = client.get("/overview").get_data(as_text=True)
    assert "Übersicht" in page and 'lang="de"' in page
    # Setup cannot be used again to take over the installation.
    assert client.get("/setup").headers["Location"] == "/login"
    stored = auth.Setting.get_value("password_hash")
    assert stored.startswith("scrypt$") and PASSWORD not in stored


@pytest.mark.parametrize("password, confirmation, message", [
    ("short", "short", "at least 10 characters"),
    ("long enough 1", "long enough 2", "differ"),
])
def test_setup_rejects_weak_or_mismatched_password(client, password, confirmation, message):
    token = page_token(client, "/setup")
    response = client.post("/setup", data={"csrf_token": token, "password": password,
                                           "confirmation": confirmation})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert not auth.is_set_up()


def test_login_logout_and_next(client, actions):
    actions.setup()
    actions.logout()
    assert client.get("/reports/").headers["Location"] == "/login?next=/reports/"
    token = page_token(client, "/login")
    response = client.post("/login?next=/reports/", data={"csrf_token": token, "password": PASSWORD})
    assert response.headers["Location"] == "/reports/"
    assert client.get("/reports/").status_code == 200


def test_login_never_redirects_off_site(client, actions):
    actions.setup()
    actions.logout()
    token = page_token(client, "/login")
    response = client.post("/login?next=//evil.example/x", data={"csrf_token": token, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_wrong_password_is_refused_and_repeated_failures_are_braked(client, actions):
    actions.setup()
    actions.logout()
    for _ in range(auth.FREE_ATTEMPTS):
        response = actions.login("wrong password!")
        assert response.status_code == 422
        assert "not right" in response.get_data(as_text=True)
    # Now even the right password has to wait.
    response = actions.login(PASSWORD)
    assert response.status_code == 422
    assert re.search(r"wait \d+ seconds", response.get_data(as_text=True))
    assert client.get("/overview").status_code == 303
    # Once the wait is over, the right password works again.
    LoginAttempt.update(at=utcnow().replace(year=2000)).execute()
    assert actions.login(PASSWORD).status_code == 303
    assert client.get("/overview").status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(client, actions):
    response = actions.setup()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_new_password_logs_out_other_sessions(app, client, actions):
    actions.setup()
    assert client.get("/overview").status_code == 200
    auth.forget_sessions()
    assert client.get("/overview").status_code == 303


def test_every_route_requires_login(app, client):
    """Walk every registered rule without a session: only the public ones may answer."""
    # /qbwc is the Web Connector's SOAP endpoint with a login of its own (test_qbwc_setup.py).
    public = {"/login", "/setup", "/healthz", "/qbwc"}
    auth.set_password(PASSWORD)  # set up, so protected pages redirect to login
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
        if rule.endpoint == "static":
            with client.get("/static/app.css") as response:
                assert response.status_code == 200
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            if path in public:
                continue
            assert response.status_code in (303, 400), (method, path, response.status_code)
            if response.status_code == 303:
                assert response.headers["Location"].startswith("/login"), (method, path)


def test_post_without_csrf_token_is_refused(client, actions):
    actions.setup()
    response = client.post("/logout")
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
    assert client.get("/overview").status_code == 200  # still logged in


def test_htmx_post_with_csrf_header_is_accepted(client, actions):
    actions.setup()
    page = client.get("/overview").get_data(as_text=True)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post("/logout", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.headers["HX-Redirect"] == "/login"
    assert client.get("/overview").status_code == 303


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
