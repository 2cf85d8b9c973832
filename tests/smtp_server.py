"""A real SMTP server on loopback (aiosmtpd) for the e-mail tests.

`SmtpServer` keeps every accepted message; with `login` it offers AUTH on the plain
connection (auth_require_tls=False, as a LAN relay might) and refuses any other login.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.helpers import free_port


@dataclass
class SmtpServer:
    login: tuple[str, str] | None = None
    refuse_recipients: tuple[str, ...] = ()
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    port: int = 0

    # aiosmtpd handler hooks --------------------------------------------------------------
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and self.login is not None
              and (auth_data.login.decode(), auth_data.password.decode()) == self.login)
        return AuthResult(success=ok, handled=False)

    # running ---------------------------------------------------------------------------------
    def start(self) -> SmtpServer:
        self.port = free_port()
        kwargs = {}
        if self.login is not None:
            kwargs = {"authenticator": self._authenticate, "auth_require_tls": False}
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller._thread is not None:  # a test may have stopped it already
            self.controller.stop()

    def texts(self) -> list[str]:
        """The plain-text part of every message received."""
        return [m.get_body(("plain",)).get_content().replace("\r\n", "\n") for m in self.messages]

    def htmls(self) -> list[str]:
        return [m.get_body(("html",)).get_content() for m in self.messages]
