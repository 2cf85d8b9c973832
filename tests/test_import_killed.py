"""Nothing half-written: SIGKILL a real `settlebook import` of 200,000 lines in the middle.

The kill lands while the import's transaction is open (checked from a second connection),
so afterwards there must be no report and no line at all, and importing again must work.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time

import pytest

from tests.helpers import settlebook
from tests.synthetic import german_v2_settlement

LINES = 200_000


@pytest.mark.slow
def test_sigkill_mid_import_leaves_no_trace_and_reimport_succeeds(tmp_path):
    big = tmp_path / "big-settlement.txt"
    big.write_bytes(german_v2_settlement(LINES, settlement_id="99887766554", seed=7))
    data = tmp_path / "data"
    database = data / "settlebook.sqlite3"
    wal = data / "settlebook.sqlite3-wal"

    process = settlebook("import", str(big), data_dir=data, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    # Wait until the import has written a good part of its lines into the WAL.
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if wal.stat().st_size > 20 * 1024 * 1024:
                break
        except FileNotFoundError:  # SQLite removes the WAL whenever its last connection closes
            pass
        time.sleep(0.02)
    assert process.poll() is None, "the import finished before it could be killed"
    with sqlite3.connect(database, timeout=30) as reader:
        # A second connection sees only committed data: the import is still in flight.
        assert reader.execute("SELECT COUNT(*) FROM report").fetchone() == (0,)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(database, timeout=30) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM report").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM line").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM report_file").fetchone() == (0,)

    again = settlebook("import", str(big), data_dir=data, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    output, _ = again.communicate(timeout=300)
    assert again.returncode == 0, output
    assert "imported (report" in output
    with sqlite3.connect(database, timeout=30) as db:
        assert db.execute("SELECT COUNT(*), MIN(reconciles) FROM report").fetchone() == (1, 1)
        assert db.execute("SELECT line_count FROM report").fetchone()[0] == \
            db.execute("SELECT COUNT(*) FROM line").fetchone()[0] >= LINES - 10
