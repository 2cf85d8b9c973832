"""The login brake per client, server-side sessions, and a first-run setup that happens once.

Clients are told apart by their address as the app sees it: REMOTE_ADDR, or behind a
configured proxy the X-Forwarded-For entry ProxyFix trusts.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta

import pytest

from core import auth
from core.db import db
from core.models import LoginAttempt, Session, utcnow
from tests.conftest import PASSWORD
from tests.helpers import ROOT, csrf_token

ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


def _login(client, password: str, addr: str):
    env = {"REMOTE_ADDR": addr}
    token = csrf_token(client.get("/login", environ_base=env).get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "password": password}, environ_base=env)


@pytest.fixture
def installed(app, client, actions):
    actions.setup()
    actions.logout()
    return app


def test_twelve_wrong_passwords_from_one_address_do_not_stop_the_owner_from_another(installed):
    attacker, owner = installed.test_client(), installed.test_client()
    outcomes = [_login(attacker, "not the password", ATTACKER).get_data(as_text=True) for _ in range(12)]
    assert sum("not right" in page for page in outcomes) == auth.FREE_ATTEMPTS
    assert all("Please wait" in page for page in outcomes[auth.FREE_ATTEMPTS:])
    assert _login(attacker, PASSWORD, ATTACKER).status_code == 422  # braked: even the right one waits
    response = _login(owner, PASSWORD, OWNER)
    assert response.status_code == 303
    assert owner.get("/overview", environ_base={"REMOTE_ADDR": OWNER}).status_code == 200


def test_two_clients_have_their_own_brakes(installed):
    first, second = installed.test_client(), installed.test_client()
    for _ in range(auth.FREE_ATTEMPTS):
        _login(first, "wrong password", "192.0.2.1")
    assert auth.wait_seconds("192.0.2.1") > 0
    assert auth.wait_seconds("192.0.2.2") == 0
    # The second client's own failures count from zero and brake it, not the first more.
    wait_first = auth.wait_seconds("192.0.2.1")
    for _ in range(auth.FREE_ATTEMPTS - 1):
        assert "not right" in _login(second, "wrong password", "192.0.2.2").get_data(as_text=True)
    assert auth.wait_seconds("192.0.2.2") == 0
    assert auth.wait_seconds("192.0.2.1") <= wait_first


def test_behind_a_proxy_the_forwarded_address_is_the_client(tmp_path):
    from webapp import create_app

    app = create_app({"DATA_DIR": tmp_path, "TASKS_IMMEDIATE": True, "TESTING": True,
                      "SECRET_KEY": "test", "PROXIES": 1})
    with db.connection_context():
        auth.set_password(PASSWORD)
        attacker, owner = app.test_client(), app.test_client()
        for _ in range(auth.FREE_ATTEMPTS + 2):
            token = csrf_token(attacker.get("/login").get_data(as_text=True))
            attacker.post("/login", data={"csrf_token": token, "password": "wrong password"},
                          headers={"X-Forwarded-For": ATTACKER})
        # Both came through the same proxy (127.0.0.1), but only the guesser is braked.
        assert {a.remote_addr for a in LoginAttempt.select()} == {ATTACKER}
        token = csrf_token(owner.get("/login").get_data(as_text=True))
        response = owner.post("/login", data={"csrf_token": token, "password": PASSWORD},
                              headers={"X-Forwarded-For": OWNER})
        assert response.status_code == 303


def test_global_ceiling_slows_new_addresses_for_a_minute_at_most_and_spares_the_owner(installed):
    owner = installed.test_client()
    assert _login(owner, PASSWORD, OWNER).status_code == 303  # the owner's address is now known
    for n in range(auth.GLOBAL_FREE + 20):  # guessing spread over many addresses
        LoginAttempt.create(remote_addr=f"10.0.{n // 250}.{n % 250}", succeeded=0)
    newcomer = auth.wait_seconds("192.0.2.99")
    assert 0 < newcomer <= auth.GLOBAL_MAX_DELAY.total_seconds()
    assert auth.wait_seconds(OWNER) == 0
    assert _login(installed.test_client(), PASSWORD, OWNER).status_code == 303


def test_parallel_guesses_are_serialised(installed):
    """Four guesses at the moment the wait ends: one is checked, three are braked."""
    for _ in range(auth.FREE_ATTEMPTS):
        LoginAttempt.create(remote_addr=ATTACKER, succeeded=0, at=utcnow() - timedelta(seconds=3))
    assert auth.wait_seconds(ATTACKER) == 0
    outcomes, start = [], threading.Barrier(4)

    def guess():
        with db.connection_context():
            start.wait()
            outcomes.append(auth.attempt_login("a wrong guess", ATTACKER))

    threads = [threading.Thread(target=guess) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["wait", "wait", "wait", "wrong"]


def test_set_password_command_lifts_the_brake_and_ends_sessions(app, tmp_path, actions):
    actions.setup()
    assert Session.select().count() == 1
    for _ in range(auth.FREE_ATTEMPTS + 3):
        auth.attempt_login("wrong password", ATTACKER)
    assert auth.wait_seconds(ATTACKER) > 0
    result = subprocess.run(
        [sys.executable, "-m", "webapp.cli", "set-password", "--stdin"], input="a brand new password\n",
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        env={"SETTLEBOOK_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert auth.wait_seconds(ATTACKER) == 0
    assert Session.select().count() == 0
    assert auth.attempt_login("a brand new password", ATTACKER) == "ok"


def test_failed_login_is_logged_with_the_client_for_fail2ban(installed, caplog):
    with caplog.at_level("WARNING", logger="settlebook.login"):
        _login(installed.test_client(), "wrong password", ATTACKER)
    assert f"login failed for client {ATTACKER}" in caplog.text


def _copy_cookie(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_copied_cookie_is_dead_after_logout(installed, client, actions):
    actions.login()
    thief = installed.test_client()
    _copy_cookie(client, thief)
    assert thief.get("/overview").status_code == 200  # the copy works while the session lives
    actions.logout()
    response = thief.get("/overview")
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    assert Session.select().count() == 0


def test_copied_cookie_is_dead_after_password_change(installed, client, actions):
    actions.login()
    thief = installed.test_client()
    _copy_cookie(client, thief)
    token = actions.token("/settings/")
    response = client.post("/settings/password", data={
        "csrf_token": token, "current": PASSWORD, "password": "another good one",
        "confirmation": "another good one"})
    assert response.status_code == 303
    assert thief.get("/overview").status_code == 303
    assert client.get("/overview").status_code == 303


def test_idle_session_ends_and_the_cookie_lifetime_follows(installed, client, actions):
    response = actions.login()
    cookie = client.get_cookie("session")
    lifetime = cookie.expires - utcnow().replace(tzinfo=cookie.expires.tzinfo)
    assert timedelta(hours=11, minutes=59) < lifetime <= timedelta(hours=12)
    assert response.status_code == 303
    assert client.get("/overview").status_code == 200
    Session.update(last_seen=utcnow() - timedelta(hours=12, minutes=1)).execute()
    assert client.get("/overview").status_code == 303
    assert Session.select().count() == 0


def test_session_in_use_stays_alive(installed, client, actions):
    actions.login()
    Session.update(last_seen=utcnow() - timedelta(hours=11)).execute()
    assert client.get("/overview").status_code == 200
    assert utcnow() - Session.get().last_seen < timedelta(minutes=1)  # touched again


def test_two_setups_at_the_same_moment_one_wins(app):
    clients = [app.test_client() for _ in range(2)]
    tokens = [csrf_token(c.get("/setup").get_data(as_text=True)) for c in clients]
    responses, start = {}, threading.Barrier(2)

    def set_up(i):
        start.wait()
        password = f"password number {i}"
        responses[i] = clients[i].post("/setup", data={"csrf_token": tokens[i], "password": password,
                                                       "confirmation": password, "language": "en"})

    threads = [threading.Thread(target=set_up, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    locations = sorted(r.headers["Location"] for r in responses.values())
    assert locations == ["/", "/login"]
    winner = next(i for i, r in responses.items() if r.headers["Location"] == "/")
    loser = 1 - winner
    assert auth.check_password(f"password number {winner}")
    assert clients[winner].get("/overview").status_code == 200
    assert clients[loser].get("/overview").status_code == 303
    page = clients[loser].get("/login").get_data(as_text=True)
    assert "just set up from another browser" in page


def test_nightly_upkeep_forgets_old_sessions(installed, client, actions):
    from tasks.housekeeping import prune_sessions

    actions.login()
    auth.start_session("192.0.2.5")
    Session.update(last_seen=utcnow() - timedelta(days=8)).where(Session.client == "192.0.2.5").execute()
    prune_sessions.call_local()
    assert [s.client for s in Session.select()] == ["127.0.0.1"]
    assert client.get("/overview").status_code == 200
