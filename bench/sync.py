"""A daily Amazon import: N settlements fetched from the fake Amazon over HTTP on 127.0.0.1,
imported and booked; then the second run that finds nothing new.

    .venv/bin/python bench/sync.py [--settlements N] [--lines N]

Prints seconds for the first run (download, import, batch per settlement), for the
second run (listing only), and as the baseline the same files imported and booked straight
from memory (no HTTP), with the client's rate limits relaxed: Amazon's own getReports
and getReportDocument rates (one call per minute after a burst of 10-15) dominate any real
run, not settlebook.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from core import amazon, sync  # noqa: E402
from core.db import db, init_db  # noqa: E402
from core.encryption import load_or_create_key  # noqa: E402
from core.spapi import ratelimit  # noqa: E402
from tests.fake_spapi import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, FakeAmazon  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--settlements", type=int, default=26)
    parser.add_argument("--lines", type=int, default=2_000)
    args = parser.parse_args()
    for operation in ratelimit.USAGE_PLANS:  # measure settlebook, not Amazon's quotas
        ratelimit.USAGE_PLANS[operation] = (1000.0, 1000)
    fake = FakeAmazon()
    for n in range(args.settlements):
        fake.add_settlement(f"7{n:010d}", args.lines, seed=n, days_ago=3 + n * 3, compress=True)
    fake.polls_until_done = 1
    fake.start()
    with tempfile.TemporaryDirectory() as folder:
        init_db(Path(folder) / "bench.sqlite3")
        key = load_or_create_key(folder)
        endpoints = amazon.Endpoints(fake.url, fake.url + "/auth/o2/token", poll_interval=0.01)
        with db.connection_context():
            creds = amazon.check_input("eu", CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
            amazon.connect(key, creds, amazon.verify(creds, endpoints), enable_participating=True)
            for label in ("first run", "second run"):
                start = time.perf_counter()
                result = sync.run(key, endpoints, "cli")
                seconds = time.perf_counter() - start
                print(f"{label}: {seconds:6.2f} s  {result.new_settlements} new settlements, "
                      f"{result.new_vat_reports} VAT, "
                      f"{result.already_there} already there, {len(result.batch_ids)} batches "
                      f"({args.settlements} x {args.lines} lines listed)")
        init_db(Path(folder) / "baseline.sqlite3")
        with db.connection_context():
            from core import batches
            from core.imports import import_bytes
            from tests.synthetic import german_v2_settlement

            files = [german_v2_settlement(args.lines, f"7{n:010d}", n) for n in range(args.settlements)]
            start = time.perf_counter()
            for n, data in enumerate(files):
                batches.build(import_bytes(data, f"{n}.txt").report_id)
            print(f"baseline:   {time.perf_counter() - start:6.2f} s  the same settlements imported and "
                  f"booked from memory")
    fake.stop()


if __name__ == "__main__":
    main()
