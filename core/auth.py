"""The single user's password and the brake on guessing it.

Passwords are hashed with scrypt (stdlib). The parameters fit a Raspberry Pi: n=2**14
costs about 16 MB and a fraction of a second there. Failed logins are counted in the
database, so the brake survives restarts and holds across worker threads.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from core.models import LoginAttempt, Setting, utcnow

_N, _R, _P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 10
FREE_ATTEMPTS = 5  # failures before the brake applies
MAX_DELAY = timedelta(minutes=15)
WINDOW = timedelta(hours=1)


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


def session_epoch() -> str:
    """A token every login session carries; a new one logs out all earlier sessions."""
    epoch = Setting.get_value("session_epoch")
    if epoch is None:
        epoch = forget_sessions()
    return epoch


def forget_sessions() -> str:
    epoch = secrets.token_hex(8)
    Setting.set_value("session_epoch", epoch)
    return epoch


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


def wait_seconds() -> int:
    """Seconds until the next login attempt is allowed (0: now).

    After FREE_ATTEMPTS consecutive failures each further failure doubles the wait,
    up to MAX_DELAY. A success resets the count.
    """
    since = utcnow() - WINDOW
    failures = 0
    last_failure = None
    for attempt in (
        LoginAttempt.select()
        .where(LoginAttempt.at >= since)
        .order_by(LoginAttempt.at.desc(), LoginAttempt.id.desc())
    ):
        if attempt.succeeded:
            break
        failures += 1
        last_failure = last_failure or attempt.at
    if failures < FREE_ATTEMPTS or last_failure is None:
        return 0
    delay = min(timedelta(seconds=2 ** (failures - FREE_ATTEMPTS + 1)), MAX_DELAY)
    remaining = last_failure + delay - utcnow()
    return max(0, int(remaining.total_seconds() + 0.999))


def attempt_login(password: str, remote_addr: str = "") -> str:
    """Try a login: 'ok', 'wrong' or 'wait'. A braked attempt is not counted."""
    if wait_seconds() > 0:
        return "wait"
    ok = check_password(password)
    LoginAttempt.create(remote_addr=remote_addr, succeeded=int(ok))
    return "ok" if ok else "wrong"
