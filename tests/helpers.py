"""Small helpers for tests that run settlebook as a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).parent.parent


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
