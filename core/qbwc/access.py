"""The Web Connector's own login: user name, password hash, public URL, and the file ids.

The Web Connector sends the password in every authenticate call, so settlebook only has to
check it: it keeps an scrypt hash (one-way, like the app's own password), never the password.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from core import auth
from core.db import db
from core.models import QbwcLoginFailure, Setting, utcnow

MIN_PASSWORD_LENGTH = auth.MIN_PASSWORD_LENGTH
FREE_FAILURES = 5  # wrong logins per address within FAILURE_WINDOW before it is refused
FAILURE_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Access:
    username: str
    public_url: str
    owner_id: str
    file_id: str
    since: datetime | None  # settlements imported before this are sent only when picked

    @property
    def configured(self) -> bool:
        return bool(self.username) and Setting.get_value("qbwc.password_hash") is not None


def current() -> Access:
    since = Setting.get_value("qbwc.since")
    return Access(
        username=Setting.get_value("qbwc.username", ""),
        public_url=Setting.get_value("qbwc.public_url", ""),
        owner_id=_guid("qbwc.owner_id"),
        file_id=_guid("qbwc.file_id"),
        since=datetime.fromisoformat(since) if since else None,
    )


def _guid(key: str) -> str:
    # Kept per installation: the Web Connector ties OwnerID and FileID to the company file.
    value = Setting.get_value(key)
    if value is None:
        value = "{" + str(uuid.uuid4()).upper() + "}"
        Setting.set_value(key, value)
    return value


def set_login(username: str, password: str) -> None:
    Setting.set_value("qbwc.username", username.strip())
    Setting.set_value("qbwc.password_hash", auth.hash_password(password))
    if Setting.get_value("qbwc.since") is None:
        Setting.set_value("qbwc.since", utcnow().isoformat())
    QbwcLoginFailure.delete().execute()


def set_public_url(url: str) -> None:
    Setting.set_value("qbwc.public_url", url.strip().rstrip("/"))


def login_problem(username: str, password: str, confirmation: str) -> str | None:
    if not username.strip():
        return "username_missing"
    return auth.password_problem(password, confirmation)


def check(username: str, password: str, remote_addr: str) -> bool:
    """True for the right user name and password; failures are counted per address.

    The attempt is counted as a failure before the slow password check, in a write
    transaction that also reads the count, so parallel guesses queue up (as core.auth does);
    a right password takes the count back.
    """
    since = utcnow() - FAILURE_WINDOW
    with db.atomic("IMMEDIATE"):
        failures = (QbwcLoginFailure.select()
                    .where(QbwcLoginFailure.remote_addr == remote_addr, QbwcLoginFailure.at >= since)
                    .count())
        if failures >= FREE_FAILURES:
            return False  # not even checked: a guesser learns nothing more for a while
        attempt = QbwcLoginFailure.create(remote_addr=remote_addr)
    stored = Setting.get_value("qbwc.password_hash")
    ok = (stored is not None and username == Setting.get_value("qbwc.username", "")
          and auth.verify_password(password, stored))
    if ok:
        QbwcLoginFailure.delete().where(QbwcLoginFailure.id == attempt.id).execute()
    return ok
