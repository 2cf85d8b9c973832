"""The one home of test helpers: fixture paths and bytes, CSRF tokens, uploads, and settlebook as a process."""

from __future__ import annotations

import email
import email.policy
import io
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import requests
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ROOT = Path(__file__).parent.parent
REPORTS = ROOT / "tests" / "fixtures" / "reports"  # hand-written Amazon report files
DATEV = ROOT / "tests" / "fixtures" / "datev"  # golden DATEV batches


def report_bytes(name: str) -> bytes:
    return (REPORTS / name).read_bytes()


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def page_token(client, path: str = "/overview") -> str:
    """The CSRF token of a page the client may see."""
    return csrf_token(client.get(path).get_data(as_text=True))


def upload(client, *names_or_files, htmx: bool = True):
    """Upload fixture files (by name) or (stream, filename) pairs through the upload form."""
    files = [(io.BytesIO(report_bytes(item)), item) if isinstance(item, str) else item
             for item in names_or_files]
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/reports/upload", data={"csrf_token": page_token(client, "/reports/upload"),
                                                "files": files},
                       content_type="multipart/form-data", headers=headers)


def confirm_numbers(client):
    """Say "use these numbers" for DATEV's placeholder Beraternummer/Mandantennummer."""
    return client.post("/checklist/confirm-numbers", data={"csrf_token": page_token(client, "/batches/"),
                                                           "next": "/batches/"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settlebook(*args: str, data_dir: Path, env: dict | None = None, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "SETTLEBOOK_DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "webapp.cli", *args], cwd=ROOT, env=env, **kwargs)


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"settlebook exited early with {process.returncode}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise TimeoutError(url)


def amazon_env(fake_url: str) -> dict[str, str]:
    """Point a settlebook process at the fake Amazon (tests/fake_spapi.py)."""
    return {"SETTLEBOOK_SPAPI_ENDPOINT": fake_url, "SETTLEBOOK_LWA_ENDPOINT": f"{fake_url}/auth/o2/token"}


# -- a real SMTP server on loopback (aiosmtpd) for the e-mail tests ----------------------------

@dataclass
class SmtpServer:
    """Keeps every accepted message; with `login` it offers AUTH on the plain connection
    (auth_require_tls=False, as a LAN relay might) and refuses any other login."""

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
