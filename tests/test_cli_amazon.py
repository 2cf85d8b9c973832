"""`settlebook connect` and `settlebook sync` as real processes against the fake Amazon."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.fake_spapi import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
from tests.helpers import ROOT, amazon_env


def run(*args, data, fake_url, stdin=None):
    env = {"SETTLEBOOK_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", **amazon_env(fake_url)}
    return subprocess.run([sys.executable, "-m", "webapp.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=180, env=env, input=stdin)


def connect_args(secret="-", token="-"):
    return ("connect", "--region", "eu", "--client-id", CLIENT_ID, "--client-secret", secret,
            "--refresh-token", token)


def test_connect_refused_exits_2_with_amazons_message(tmp_path, fake):
    result = run(*connect_args("wrong", REFRESH_TOKEN), data=tmp_path, fake_url=fake.url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "invalid_client: Client authentication failed" in result.stderr and "request" in result.stderr
    assert "wrong" not in result.stderr


def test_sync_before_connecting_exits_2(tmp_path, fake):
    result = run("sync", data=tmp_path, fake_url=fake.url)
    assert result.returncode == 2 and "settlebook connect" in result.stderr


def test_connect_then_sync_twice(tmp_path, fake):
    fake.polls_until_done = 1
    result = run(*connect_args(), data=tmp_path, fake_url=fake.url, stdin=f"{CLIENT_SECRET}\n{REFRESH_TOKEN}\n")
    assert result.returncode == 0, result.stderr
    assert "Amazon.de" in result.stdout and "enabled" in result.stdout
    assert CLIENT_SECRET not in result.stdout + result.stderr

    first = run("sync", data=tmp_path, fake_url=fake.url)
    assert first.returncode == 0, first.stderr
    assert "4 new settlements, 1 new VAT reports, 1 already there, 0 failed; 5 batches built." in first.stdout
    assert "settlement 11111111111: already there" in first.stdout
    second = run("sync", data=tmp_path, fake_url=fake.url)
    assert second.returncode == 0 and "0 new settlements, 0 new VAT reports" in second.stdout

    reports = json.loads(run("reports", "--json", data=tmp_path, fake_url=fake.url).stdout)
    assert len(reports) == 5 and {r["source"] for r in reports} == {"api"}
    assert {r["batch_status"] for r in reports} == {"created"}


def test_sync_exits_2_when_amazon_refuses(tmp_path, fake):
    run(*connect_args(CLIENT_SECRET, REFRESH_TOKEN), data=tmp_path, fake_url=fake.url)
    fake.secret_expired = True
    result = run("sync", data=tmp_path, fake_url=fake.url)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "invalid_client" in result.stderr
