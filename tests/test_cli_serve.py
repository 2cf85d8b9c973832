"""`settlebook serve` as a real process: answers /healthz, redirects / to setup, stops cleanly."""

from __future__ import annotations

import signal
import subprocess

import pytest
import requests

from tests.helpers import free_port, settlebook, wait_until_up


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_and_stops_cleanly(tmp_path, stop_signal):
    port = free_port()
    process = settlebook("serve", "--port", str(port), data_dir=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
        response = requests.get(f"http://127.0.0.1:{port}/", allow_redirects=False, timeout=5)
        assert response.status_code == 303 and response.headers["Location"] == "/setup"
        assert (tmp_path / "settlebook.sqlite3").exists() and (tmp_path / "tasks.sqlite3").exists()
        assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    finally:
        process.send_signal(stop_signal)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "settlebook stopped" in output
    assert "Traceback" not in output


def test_serve_listens_on_loopback_by_default(tmp_path):
    port = free_port()
    process = settlebook("serve", "--port", str(port), data_dir=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert f"listening on http://127.0.0.1:{port}" in output
