"""The SMTP settings, kept in the settings table with the password encrypted at rest."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from core import encryption
from core.i18n import N_
from core.models import Setting

SETTINGS_KEY = "mail_settings"
SECURITY = ("none", "starttls", "tls")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
_ADDRESS = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)  # plain text, in memory only
    sender: str = ""
    recipients: tuple[str, ...] = ()
    notify_batches: bool = True
    notify_failures: bool = True
    public_url: str = ""  # settlebook's address as the user opens it, for links in e-mails
    has_password: bool = False  # a password is stored (it is never shown back)

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender and self.recipients)

    def wants(self, kind: str) -> bool:
        """Whether an event of `kind` (report | failure) is e-mailed at all."""
        if not self.configured:
            return False
        return self.notify_failures if kind == "failure" else self.notify_batches


def split_addresses(text: str) -> list[str]:
    return [a.strip() for a in re.split(r"[,;\s]+", text or "") if a.strip()]


def to_form(settings: MailSettings) -> dict[str, str]:
    return {
        "host": settings.host, "port": str(settings.port), "security": settings.security,
        "user": settings.user, "sender": settings.sender,
        "recipients": ", ".join(settings.recipients),
        "notify_batches": "true" if settings.notify_batches else "false",
        "notify_failures": "true" if settings.notify_failures else "false",
        "public_url": settings.public_url,
    }


def validate(values: Mapping[str, str]) -> tuple[MailSettings | None, dict[str, str]]:
    """Check the form (or the CLI's options); {field: message template} when something is wrong.

    The password is not part of `values`: it is set separately, and never read back.
    """
    errors: dict[str, str] = {}
    host = values.get("host", "").strip()
    if not host or any(c.isspace() for c in host) or "/" in host:
        errors["host"] = N_("Enter the mail server's host name, e.g. smtp.example.com.")
    security = values.get("security", "starttls")
    if security not in SECURITY:
        errors["security"] = N_("Choose none, STARTTLS or TLS.")
        security = "starttls"
    port_text = values.get("port", "").strip() or str(DEFAULT_PORTS[security])
    port = int(port_text) if port_text.isdigit() else 0
    if not 1 <= port <= 65535:
        errors["port"] = N_("The port is a number from 1 to 65535 (usually 587 for STARTTLS, 465 for TLS).")
    sender = values.get("sender", "").strip()
    if not _ADDRESS.match(sender):
        errors["sender"] = N_("Enter one e-mail address, e.g. settlebook@example.com.")
    recipients = split_addresses(values.get("recipients", ""))
    if not recipients or not all(_ADDRESS.match(a) for a in recipients):
        errors["recipients"] = N_("Enter one or more e-mail addresses, separated by commas.")
    public_url = values.get("public_url", "").strip().rstrip("/")
    if public_url and not re.match(r"^https?://[^\s/]+(/\S*)?$", public_url):
        errors["public_url"] = N_("Enter the address starting with http:// or https://, or leave it empty.")
    if errors:
        return None, errors
    return MailSettings(
        host=host, port=port, security=security, user=values.get("user", "").strip(),
        sender=sender, recipients=tuple(recipients),
        notify_batches=values.get("notify_batches", "true") == "true",
        notify_failures=values.get("notify_failures", "true") == "true",
        public_url=public_url,
    ), {}


def load(key: bytes | None = None) -> MailSettings:
    """The stored settings; the password is decrypted only when `key` is given."""
    stored: dict[str, Any] = Setting.get_value(SETTINGS_KEY) or {}
    if not stored:
        return MailSettings()
    token = stored.get("password", "")
    password = encryption.decrypt(key, token) if key is not None and token else ""
    return MailSettings(
        host=stored["host"], port=int(stored["port"]), security=stored["security"],
        user=stored.get("user", ""), password=password, sender=stored["sender"],
        recipients=tuple(stored["recipients"]), notify_batches=bool(stored["notify_batches"]),
        notify_failures=bool(stored["notify_failures"]), public_url=stored.get("public_url", ""),
        has_password=bool(token),
    )


def save(settings: MailSettings, key: bytes, password: str | None = None) -> MailSettings:
    """Store `settings`. `password`: None keeps the stored one, "" removes it, else replaces it.

    Without a user there is no login, so no password is kept either.
    """
    stored: dict[str, Any] = Setting.get_value(SETTINGS_KEY) or {}
    token = stored.get("password", "")
    if password is not None:
        token = encryption.encrypt(key, password) if password else ""
    if not settings.user:
        token = ""
    Setting.set_value(SETTINGS_KEY, {
        "host": settings.host, "port": settings.port, "security": settings.security,
        "user": settings.user, "password": token, "sender": settings.sender,
        "recipients": list(settings.recipients), "notify_batches": settings.notify_batches,
        "notify_failures": settings.notify_failures, "public_url": settings.public_url,
    })
    return replace(settings, has_password=bool(token), password="")


# -- the outcome of the last e-mail, shown on the settings page ---------------------------

STATUS_KEY = "mail_status"


def record_status(outcome: str, at: str, subject: str = "", **details: Any) -> None:
    """`details`: error (a MailError's to_json()) when it failed, refused when some were refused."""
    Setting.set_value(STATUS_KEY, {"outcome": outcome, "at": at, "subject": subject, **details})


def last_status() -> dict[str, Any] | None:
    return Setting.get_value(STATUS_KEY)
