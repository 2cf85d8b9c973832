"""`settlebook mail-settings` and `settlebook mail-test` as real processes against a real SMTP
server on loopback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def run(*args: str, data: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "webapp.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, input=stdin,
                          env={"SETTLEBOOK_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"})


def mail_settings(server, data: Path, *extra: str, password: str | None = None):
    args = ["mail-settings", "--host", "127.0.0.1", "--port", str(server.port), "--security", "none",
            "--sender", "settlebook@example.com", "--to", "bookkeeper@example.com,advisor@example.com", *extra]
    if password is not None:
        args += ["--password-stdin"]
    return run(*args, data=data, stdin=(password or "") + "\n")


def test_mail_test_delivers_the_test_email(tmp_path, smtp_login_server):
    result = mail_settings(smtp_login_server, tmp_path, "--user", "bookkeeper", password="s3cret")
    assert result.returncode == 0, result.stderr
    assert "with a stored password" in result.stdout and "s3cret" not in result.stdout
    assert b"s3cret" not in (tmp_path / "settlebook.sqlite3").read_bytes()

    result = run("mail-test", data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Test e-mail sent to bookkeeper@example.com, advisor@example.com" in result.stdout
    [message] = smtp_login_server.messages
    assert message["Subject"] == "settlebook: test e-mail"
    assert smtp_login_server.envelopes == [("settlebook@example.com",
                                            ["bookkeeper@example.com", "advisor@example.com"])]


def test_mail_test_exits_2_with_the_servers_answer(tmp_path, smtp_login_server):
    assert mail_settings(smtp_login_server, tmp_path, "--user", "bookkeeper", password="wrong").returncode == 0
    result = run("mail-test", data=tmp_path)
    assert result.returncode == 2
    assert "The mail server refused the login. Check the user name and the password." in result.stderr
    assert "The server answered: 535 5.7.8 Authentication credentials invalid" in result.stderr
    assert "Traceback" not in result.stderr and smtp_login_server.messages == []


def test_mail_test_without_settings_says_how(tmp_path):
    result = run("mail-test", data=tmp_path)
    assert result.returncode == 2 and "settlebook mail-settings" in result.stderr


def test_mail_settings_checks_its_options(tmp_path, smtp_server):
    result = run("mail-settings", "--host", "127.0.0.1", "--sender", "nobody", "--to", "a@example.com",
                 data=tmp_path)
    assert result.returncode == 2 and "--sender: Enter one e-mail address" in result.stderr
    result = mail_settings(smtp_server, tmp_path, "--no-batches")
    assert result.returncode == 0, result.stderr
    assert run("mail-test", data=tmp_path).returncode == 0
    assert len(smtp_server.messages) == 1
    assert "new reports" not in smtp_server.texts()[0]  # only failures are switched on
