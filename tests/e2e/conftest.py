"""Browser tests: Playwright drives Debian's Chromium against `settlebook serve` on 127.0.0.1.

The server is a real subprocess with its own data folder, as a user would run it.
"""

from __future__ import annotations

import shutil
import signal
import subprocess

import pytest

from tests.helpers import free_port, settlebook, wait_until_up

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if not shutil.which(CHROMIUM):
                item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed "
                                                        "(scripts/test installs it)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Merge, so pytest-playwright's own options (--headed, --slowmo) survive.
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                     "--disable-background-networking", "--disable-component-update"]}


@pytest.fixture
def server(tmp_path):
    port = free_port()
    process = settlebook("serve", "--port", str(port), data_dir=tmp_path / "data",
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(f"{url}/healthz", process)
    yield url
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)


@pytest.fixture(scope="session")
def base_url():
    # Each test gets its own server (a fresh install), so tests use `server` URLs;
    # defining this stops pytest-playwright's deprecated fallback.
    return None
