"""Building a DATEV batch for a 200,000-line settlement, against reading its lines plainly.

    .venv/bin/python bench/batch.py [--lines N]

The settlement is imported once; then, each in a fresh process: the baseline reads the
same lines with a plain sqlite3 SELECT, settlebook builds (and validates, and stores) the
Amazon Payout batch with the default settings. Prints seconds, lines per second, the
ratio and peak RSS; a Raspberry Pi has little memory, so the build streams the lines.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._measure import best_of, row, run_isolated  # noqa: E402
from core import batches  # noqa: E402  (imported before the clock starts)
from core.db import db, init_db  # noqa: E402
from core.models import Batch  # noqa: E402


def prepare(db_path: str, lines: str) -> int:
    from core.imports import import_bytes
    from tests.synthetic import german_v2_settlement

    init_db(db_path)
    with db.connection_context():
        return import_bytes(german_v2_settlement(int(lines), seed=4), "bench.txt").report_id


def baseline(db_path: str) -> int:
    connection = sqlite3.connect(db_path)
    count = sum(1 for _ in connection.execute("SELECT * FROM line WHERE report_id = 1 ORDER BY id"))
    connection.close()
    return count


def build(db_path: str) -> int:
    init_db(db_path)
    with db.connection_context():
        # Each run builds afresh (an unchanged rebuild would store nothing and take no time).
        Batch.delete().where(Batch.report == 1).execute()
        result = batches.build(1)
        assert result.batch.ok, result.batch.error_template
        return result.batch.booking_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.sqlite3")
        run_isolated("batch", "prepare", path, str(args.lines))
        base = best_of("batch", "baseline", path)
        ours = best_of("batch", "build", path)
    print(f"settlement of {args.lines:,} lines (best of 3, fresh process each)")
    print(row("plain SELECT of the lines", base, args.lines))
    print(row("build + validate + store", ours, args.lines, f"  ({ours['result']} bookings)"))
    print(f"ratio: {ours['seconds'] / base['seconds']:.1f}x the plain read")


if __name__ == "__main__":
    main()
