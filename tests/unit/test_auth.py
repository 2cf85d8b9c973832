from __future__ import annotations

from datetime import timedelta

from core import auth
from core.db import db, init_db
from core.models import LoginAttempt, utcnow


def test_hash_roundtrip_and_salt():
    first, second = auth.hash_password("s3cret pass"), auth.hash_password("s3cret pass")
    assert first != second
    assert auth.verify_password("s3cret pass", first)
    assert not auth.verify_password("s3cret pasS", first)
    assert not auth.verify_password("anything", "garbage")


def test_brake_doubles_and_resets_on_success(tmp_path):
    init_db(tmp_path / "db.sqlite3")
    with db.connection_context():
        auth.set_password("the right one")
        for _ in range(auth.FREE_ATTEMPTS):
            assert auth.attempt_login("nope") == "wrong"
        assert 0 < auth.wait_seconds() <= 2
        assert auth.attempt_login("the right one") == "wait"  # not even tried
        # Pretend the wait is over: one more failure doubles it.
        _age_attempts(seconds=5)
        assert auth.attempt_login("nope") == "wrong"
        assert 2 < auth.wait_seconds() <= 4
        _age_attempts(seconds=5)
        assert auth.attempt_login("the right one") == "ok"
        assert auth.wait_seconds() == 0


def _age_attempts(seconds: int) -> None:
    for attempt in LoginAttempt.select():
        attempt.at -= timedelta(seconds=seconds)
        attempt.save()


def test_failures_older_than_the_window_do_not_count(tmp_path):
    init_db(tmp_path / "db.sqlite3")
    with db.connection_context():
        auth.set_password("the right one")
        for _ in range(10):
            LoginAttempt.create(succeeded=0, at=utcnow() - auth.WINDOW - timedelta(minutes=1))
        assert auth.wait_seconds() == 0
