"""The single user's password, the brake on guessing it, and the login sessions.

Passwords are hashed with scrypt (stdlib). The parameters fit a Raspberry Pi: n=2**14
costs about 16 MB and a fraction of a second there.

The brake works per client address (as ProxyFix reports it behind a configured proxy), so
a guesser slows down only himself. A global ceiling on top catches guessing spread over
many addresses; it waits at most GLOBAL_MAX_DELAY and never applies to an address that
logged in successfully lately (the owner's). Attempts are counted in the database before
the password is checked, in one write transaction, so parallel guesses queue up instead
of all passing in the same wait window, and the brake survives restarts.

Sessions live in the database: the cookie holds a random token, the table its SHA-256.
Logout, a password change and the idle timeout delete the row, so a copied cookie dies
everywhere at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from datetime import datetime, timedelta

from peewee import IntegrityError, OperationalError

from core.db import PRAGMAS, db
from core.models import LoginAttempt, Session, Setting, utcnow

# A stable logger name and message, so a fail2ban filter can match it (see README).
log = logging.getLogger("settlebook.login")

_N, _R, _P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 10
FREE_ATTEMPTS = 5  # failures from one client before its brake applies
MAX_DELAY = timedelta(minutes=15)
WINDOW = timedelta(hours=1)
GLOBAL_FREE = 30  # failures from all clients within WINDOW before the ceiling applies
GLOBAL_MAX_DELAY = timedelta(minutes=1)
TRUSTED_FOR = timedelta(days=30)  # a successful login makes the address the owner's this long
IDLE_TIMEOUT = timedelta(hours=12)
_TOUCH_EVERY = timedelta(minutes=1)  # last_seen is written at most this often per session


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate.hex(), digest)


def is_set_up() -> bool:
    return Setting.get_value("password_hash") is not None


def set_password(password: str) -> None:
    Setting.set_value("password_hash", hash_password(password))


def set_up_once(password_hash: str) -> bool:
    """Store the first password; False when another setup got there first.

    A plain INSERT on the primary key: of two concurrent first-run setups exactly one
    succeeds, whatever the timing. Call it inside the setup's transaction.
    """
    try:
        with db.atomic():
            Setting.insert(key="password_hash", value=json.dumps(password_hash)).execute()
    except IntegrityError:
        return False
    return True


def change_password(password: str) -> None:
    """A new password ends every session and lifts every login brake."""
    with db.atomic():
        set_password(password)
        forget_sessions()
        LoginAttempt.delete().where(LoginAttempt.succeeded == 0).execute()


def check_password(password: str) -> bool:
    stored = Setting.get_value("password_hash")
    return stored is not None and verify_password(password, stored)


def password_problem(password: str, confirmation: str) -> str | None:
    """A code naming what is wrong with a new password, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if password != confirmation:
        return "mismatch"
    return None


# --- the brake -------------------------------------------------------------------------


def _doubling(failures: int, free: int, cap: timedelta) -> timedelta:
    """No wait for the first `free` failures, then 2 s, 4 s, 8 s … up to `cap`."""
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free + 1, 30)), cap)


def _consecutive_failures(query, since: datetime) -> tuple[int, datetime | None]:
    failures, last = 0, None
    for attempt in query.where(LoginAttempt.at >= since).order_by(
        LoginAttempt.at.desc(), LoginAttempt.id.desc()
    ):
        if attempt.succeeded:
            break
        failures += 1
        last = last or attempt.at
    return failures, last


def _trusted(client: str, now: datetime) -> bool:
    return (
        LoginAttempt.select()
        .where(LoginAttempt.remote_addr == client, LoginAttempt.succeeded == 1,
               LoginAttempt.at >= now - TRUSTED_FOR)
        .exists()
    )


def wait_seconds(client: str = "") -> int:
    """Seconds until `client` may try a password again (0: now).

    Its own brake: after FREE_ATTEMPTS consecutive failures each further failure doubles
    the wait, up to MAX_DELAY; its success resets it. The global ceiling: after
    GLOBAL_FREE failures from anywhere within WINDOW, every address that has not logged
    in lately waits too, but never longer than GLOBAL_MAX_DELAY.
    """
    now = utcnow()
    since = now - WINDOW
    own = LoginAttempt.select().where(LoginAttempt.remote_addr == client)
    failures, last = _consecutive_failures(own, since)
    until = last + _doubling(failures, FREE_ATTEMPTS, MAX_DELAY) if last else now
    if not _trusted(client, now):
        query = LoginAttempt.select().where(LoginAttempt.at >= since, LoginAttempt.succeeded == 0)
        total = query.count()
        if total >= GLOBAL_FREE:
            latest = query.order_by(LoginAttempt.at.desc()).first().at
            until = max(until, latest + _doubling(total, GLOBAL_FREE, GLOBAL_MAX_DELAY))
    return max(0, int((until - now).total_seconds() + 0.999))


def attempt_login(password: str, client: str = "") -> str:
    """Try a login: 'ok', 'wrong' or 'wait'. A braked attempt is not counted.

    The attempt is recorded as a failure before the (slow) password check, in a write
    transaction that also reads the brake: parallel guesses are thereby serialised.
    """
    with db.atomic("IMMEDIATE"):
        if wait_seconds(client) > 0:
            log.warning("login braked for client %s", client)
            return "wait"
        attempt = LoginAttempt.create(remote_addr=client, succeeded=0)
    if not check_password(password):
        log.warning("login failed for client %s", client)
        return "wrong"
    LoginAttempt.update(succeeded=1).where(LoginAttempt.id == attempt.id).execute()
    return "ok"


# --- sessions --------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(client: str = "") -> str:
    """A new session; the returned token goes into the cookie and nowhere else."""
    token = secrets.token_urlsafe(32)
    Session.create(id=_digest(token), client=client)
    return token


def session_alive(token: str | None, idle: timedelta = IDLE_TIMEOUT) -> bool:
    """True for a session that exists and was used within `idle`; an idle one is ended."""
    if not token:
        return False
    row = Session.get_or_none(Session.id == _digest(token))
    if row is None:
        return False
    now = utcnow()
    if now - row.last_seen > idle:
        row.delete_instance()
        return False
    if now - row.last_seen > _TOUCH_EVERY:
        _touch(row.id, now)
    return True


def _touch(session_id: str, now: datetime) -> None:
    # Best effort: a page view must not wait behind a long import's write lock for this.
    db.execute_sql("PRAGMA busy_timeout = 200")
    try:
        Session.update(last_seen=now).where(Session.id == session_id).execute()
    except OperationalError:
        pass  # locked: the next request tries again, the session is at most a minute older
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {int(PRAGMAS['busy_timeout'])}")


def end_session(token: str | None) -> None:
    if token:
        Session.delete().where(Session.id == _digest(token)).execute()


def forget_sessions() -> None:
    """End every session (a password change, `settlebook set-password`)."""
    Session.delete().execute()


def prune_sessions(idle: timedelta = IDLE_TIMEOUT) -> int:
    return Session.delete().where(Session.last_seen < utcnow() - idle).execute()
