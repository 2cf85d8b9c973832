"""The notification e-mail after a big import run: recording, writing and sending it.

    .venv/bin/python bench/mail.py [--reports N]

Imports N small synthetic settlements, records a notice for each (what an upload or a
sync does per report), then writes the digest (text + HTML, German) and sends it to an
SMTP server on loopback (aiosmtpd, from the test extras). Baseline: smtplib sending a
plain message of the same size, so the difference is settlebook's own work.
"""

from __future__ import annotations

import argparse
import smtplib
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from core.db import db, init_db  # noqa: E402
from core.imports import import_bytes  # noqa: E402
from core.mail import settings as mail_settings  # noqa: E402
from core.models import Setting  # noqa: E402
from tasks import mail  # noqa: E402
from tests.helpers import SmtpServer  # noqa: E402
from tests.synthetic import german_v2_settlement  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100)
    args = parser.parse_args()
    server = SmtpServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            init_db(Path(tmp) / "settlebook.sqlite3")
            mail.configure(tmp)
            with db.connection_context():
                settings, _ = mail_settings.validate({
                    "host": "127.0.0.1", "port": str(server.port), "security": "none",
                    "sender": "a@example.com", "recipients": "b@example.com"})
                mail.save_settings(settings, None)
                Setting.set_value("language", "de")
                ids = [import_bytes(german_v2_settlement(20, str(10_000_000_000 + n), n), f"{n}.txt").report_id
                       for n in range(args.reports)]
                start = time.perf_counter()
                for report_id in ids:
                    mail.run_finished([report_id], "bench")
                recording = time.perf_counter() - start
                start = time.perf_counter()
                sent = mail.deliver()
                ours = time.perf_counter() - start
            size = len(server.messages[0].as_bytes())
            plain = EmailMessage()
            plain["Subject"], plain["From"], plain["To"] = "x", "a@example.com", "b@example.com"
            plain.set_content("x" * size)
            start = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", server.port) as client:
                client.send_message(plain)
            base = time.perf_counter() - start
    finally:
        server.stop()
    print(f"{args.reports} new reports in one run; e-mail of {size:,} bytes: {sent.subject}")
    print(f"record the notices      {recording * 1000:8.1f} ms  ({recording * 1e6 / args.reports:.0f} µs per report)")
    print(f"write + send the digest {ours * 1000:8.1f} ms")
    print(f"plain smtplib send      {base * 1000:8.1f} ms  (same size, baseline)")


if __name__ == "__main__":
    main()
