"""A gzip or zip bomb sent to a real `settlebook serve` is refused, and the server stays small.

The server's peak memory is its own maxrss from the kernel (os.wait4 after it exits), so it
counts everything the process ever held, not a sample.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
import zipfile
import zlib

import requests

from tests.conftest import PASSWORD
from tests.helpers import ROOT, csrf_token, free_port, settlebook, wait_until_up

MB = 1024 * 1024
UNPACKED = 1024 * MB  # 1 GiB of zeros: about 1 MB packed
REAL = (ROOT / "tests" / "fixtures" / "reports" / "settlement_v2_de.txt").read_bytes()


def gzip_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"0" * MB  # text-looking, so only the size can refuse it
    return b"".join([*(packer.compress(zeros) for _ in range(UNPACKED // MB)), packer.flush()])


def zip_bomb(payload: bytes) -> bytes:
    out = io.BytesIO()
    with (zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
          archive.open("settlement.txt", "w", force_zip64=True) as member):
        for _ in range(UNPACKED // MB):
            member.write(payload)
    return out.getvalue()


def vm_hwm_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def wait_for(browser, url: str, text: str, count: int = 1) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = browser.get(f"{url}/reports/upload").text
        if page.count(text) >= count:
            return page
        time.sleep(0.3)
    raise TimeoutError(text)


def test_gzip_and_zip_bombs_are_refused_with_little_memory(tmp_path):
    bomb = gzip_bomb()
    assert len(bomb) < 2 * MB
    data, port = tmp_path / "data", free_port()
    url = f"http://127.0.0.1:{port}"
    server = settlebook("serve", "--port", str(port), data_dir=data, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(f"{url}/healthz", server)
        browser = requests.Session()
        token = csrf_token(browser.get(f"{url}/setup").text)
        browser.post(f"{url}/setup", data={"csrf_token": token, "password": PASSWORD,
                                           "confirmation": PASSWORD, "language": "en"})
        # The baseline: a real report imported, so every module and cache is loaded.
        token = csrf_token(browser.get(f"{url}/reports/upload").text)
        browser.post(f"{url}/reports/upload", data={"csrf_token": token},
                     files=[("files", ("real.txt", REAL, "text/plain"))])
        wait_for(browser, url, "Open the report")
        # ... and its booking batch built (a background task), so the server is idle.
        deadline = time.monotonic() + 60
        while "Booking batch version 1" not in browser.get(f"{url}/jobs/").text:
            assert time.monotonic() < deadline, "the batch of the real report was not built"
            time.sleep(0.3)
        before = vm_hwm_mb(server.pid)
        files = [("files", ("settlement.txt.gz", bomb, "application/gzip")),
                 ("files", ("settlement.zip", zip_bomb(b"0" * MB), "application/zip"))]
        assert browser.post(f"{url}/reports/upload", data={"csrf_token": token}, files=files).ok
        page = wait_for(browser, url, "not imported", count=2)
        assert "settlement.txt.gz would unpack to more than 200 MB and was not unpacked" in page
        assert "settlement.zip is not an Amazon report: it is a ZIP file" in page
        # VmHWM of the server's own address space: wait4's ru_maxrss would also count the
        # pytest process it was forked from (Linux keeps that high-water mark across exec).
        peak = vm_hwm_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        _pid, status, _usage = os.wait4(server.pid, 0)
        server.returncode = os.waitstatus_to_exitcode(status)
        output = server.stdout.read()
        server.stdout.close()
    print(f"\nserver peak memory: {before:.0f} MB after a real import, {peak:.0f} MB after the bombs")
    assert "Traceback" not in output
    assert peak < 300, f"refusing the bombs took the server to {peak:.0f} MB"
    assert peak - before < 100, f"{before:.0f} MB → {peak:.0f} MB"
