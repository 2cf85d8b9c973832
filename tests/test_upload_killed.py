"""Nothing lost: `settlebook serve` is killed (SIGKILL) while it imports an upload.

After a restart the worker finds the upload whose import never committed, imports it
exactly once, and the job cut off by the kill is shown as interrupted.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import time

import pytest
import requests

from tests.helpers import free_port, settlebook, wait_until_up
from tests.synthetic import german_v2_settlement

LINES = 200_000


def start(data, port):
    process = settlebook("serve", "--port", str(port), data_dir=data, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    return process


def count(database, sql):
    with sqlite3.connect(database, timeout=60) as db:
        return db.execute(sql).fetchone()[0]


@pytest.mark.slow
def test_killed_server_imports_the_upload_after_restart(tmp_path):
    data, port = tmp_path / "data", free_port()
    database = data / "settlebook.sqlite3"
    url = f"http://127.0.0.1:{port}"
    server = start(data, port)
    try:
        session = requests.Session()
        token = lambda path: re.search(r'name="csrf_token" value="([^"]+)"',  # noqa: E731
                                       session.get(url + path).text).group(1)
        session.post(url + "/setup", data={"csrf_token": token("/setup"), "password": "x" * 12,
                                           "confirmation": "x" * 12})
        body = german_v2_settlement(LINES, settlement_id="55500011122", seed=3)
        session.post(url + "/reports/upload", data={"csrf_token": token("/reports/upload")},
                     files={"files": ("big.txt", body)}, headers={"HX-Request": "true"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until the import is under way
            if "importing" in session.get(url + "/reports/uploads/1").text:
                break
            time.sleep(0.05)
        time.sleep(0.5)
        assert count(database, "SELECT COUNT(*) FROM report") == 0, "killed too late"
    finally:
        server.send_signal(signal.SIGKILL)
        server.communicate(timeout=30)
    assert count(database, "SELECT status FROM upload WHERE id = 1") == "running"

    server = start(data, port)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and count(database, "SELECT status FROM upload WHERE id = 1") != "done":
            time.sleep(0.2)
        assert count(database, "SELECT outcome FROM upload WHERE id = 1") == "imported"
        assert count(database, "SELECT COUNT(*) FROM report") == 1
        assert count(database, "SELECT line_count FROM report") == count(database, "SELECT COUNT(*) FROM line")
        assert count(database, "SELECT COUNT(*) FROM job WHERE kind = 'import' AND message_code = 'interrupted'") == 1
        assert count(database, "SELECT COUNT(*) FROM job WHERE kind = 'import' AND outcome = 'ok'") == 1
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert "queued 1 interrupted upload(s) or batch build(s) again" in output
