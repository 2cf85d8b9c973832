"""Sending over SMTP (none, STARTTLS or TLS) and naming what went wrong in a code.

Every failure becomes a `MailError` with a code the UI words in plain language (refused
login, unknown host, TLS problem, timeout, refused recipient, ...) and the server's own
answer, so the user sees both what to fix and what the server said.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable
from email.message import EmailMessage

from core.i18n import N_
from core.mail.settings import MailSettings
from core.message import Message

TIMEOUT = 20  # seconds for connecting and for each answer; a Pi on slow DSL still makes it


# What went wrong, in plain words; the server's own answer follows them.
ERRORS = {
    "auth_refused": N_("The mail server refused the login. Check the user name and the password."),
    "auth_unsupported": N_("The mail server offers no login on this connection. "
                           "Choose STARTTLS or TLS, or leave the user empty."),
    "starttls_unsupported": N_("The mail server does not offer STARTTLS. "
                               "Choose TLS (usually port 465) or no encryption."),
    "unknown_host": N_("The mail server %(host)s was not found. Check the host name."),
    "connection_refused": N_("The mail server %(host)s does not accept connections on port %(port)s. Check the port."),
    "tls_problem": N_("The encrypted connection to the mail server failed. Check the security setting and "
                      "the port (STARTTLS usually uses port 587, TLS port 465)."),
    "timeout": N_("The mail server did not answer within %(seconds)s seconds."),
    "recipient_refused": N_("The mail server refused the recipient %(addresses)s."),
    "sender_refused": N_("The mail server refused the sender address %(address)s."),
    "disconnected": N_("The mail server closed the connection unexpectedly."),
    "server_error": N_("The mail server reported an error."),
    "network_error": N_("The network connection to the mail server failed."),
    "password_unreadable": N_("The stored mail password cannot be read: the key file in the data folder has "
                              "changed. Enter the password again under Settings › Notifications."),
}
MAIL_ANSWER = N_("The server answered: %(answer)s")


class MailError(Message, Exception):
    """Why an e-mail did not go out: a code, its plain words, and the server's answer."""

    def __init__(self, code: str, answer: str = "", **params: str) -> None:
        super().__init__(code, answer)
        self.code = code
        self.template = ERRORS[code]
        self.answer = answer  # the server's words (or the network error), untranslated
        self.params = {**params, "answer": answer}

    def message(self, gettext: Callable[[str], str] | None = None) -> str:
        text = super().message(gettext)
        if not self.answer:
            return text
        return f"{text} {(gettext or str)(MAIL_ANSWER) % {'answer': self.answer}}"


def _answer(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}".strip()


def send(settings: MailSettings, message: EmailMessage, timeout: float = TIMEOUT) -> dict[str, str]:
    """Deliver `message` to the server; returns the recipients it refused (when others were
    accepted). Raises MailError when nothing was delivered."""
    step = "connect"
    try:
        context = ssl.create_default_context()
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
        with client:
            client.ehlo()
            if settings.security == "starttls":
                step = "starttls"
                client.starttls(context=context)
                client.ehlo()
            if settings.user:
                step = "login"
                client.login(settings.user, settings.password)
            step = "send"
            refused = client.send_message(message, from_addr=settings.sender,
                                          to_addrs=list(settings.recipients))
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError("auth_refused", _answer(exc)) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise MailError("starttls_unsupported" if step == "starttls" else "auth_unsupported", str(exc)) from exc
    except smtplib.SMTPException as exc:
        if step == "login" and "no suitable authentication" in str(exc).lower():
            raise MailError("auth_unsupported", str(exc)) from exc
        raise _from_smtp(exc, timeout) from exc
    except ssl.SSLError as exc:
        raise MailError("tls_problem", exc.reason or str(exc)) from exc
    except socket.gaierror as exc:
        raise MailError("unknown_host", exc.strerror or str(exc), host=settings.host) from exc
    except ConnectionRefusedError as exc:
        raise MailError("connection_refused", exc.strerror or str(exc),
                        host=settings.host, port=str(settings.port)) from exc
    except TimeoutError as exc:  # socket.timeout is TimeoutError
        raise MailError("timeout", str(exc) or "timed out", seconds=str(int(timeout))) from exc
    except OSError as exc:
        raise MailError("network_error", exc.strerror or str(exc) or type(exc).__name__) from exc
    return {address: f"{code} {text.decode(errors='replace')}" for address, (code, text) in refused.items()}


def _from_smtp(exc: smtplib.SMTPException, timeout: float) -> MailError:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{address}: {code} {text.decode(errors='replace')}"
                            for address, (code, text) in exc.recipients.items())
        return MailError("recipient_refused", answers, addresses=", ".join(exc.recipients))
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return MailError("sender_refused", _answer(exc), address=str(exc.sender))
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        # smtplib reports a server that stops answering as a closed connection.
        if "timed out" in str(exc):
            return MailError("timeout", str(exc), seconds=str(int(timeout)))
        return MailError("disconnected", str(exc))
    if isinstance(exc, smtplib.SMTPResponseException):
        return MailError("server_error", _answer(exc))
    return MailError("server_error", str(exc))
