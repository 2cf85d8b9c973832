"""A QuickBooks summary and its IIF file for a 200,000-line settlement, against reading its lines.

    .venv/bin/python bench/quickbooks.py [--lines N]

The settlement is imported once; then, each in a fresh process: the baseline streams the
stored lines as `Line` objects (what any consumer must do), settlebook builds the summary
from the same stream and writes the IIF file. Prints seconds, lines per second, the ratio
and peak RSS; a Raspberry Pi has little memory, so the summary keeps one bucket per SKU and
kind, never the lines.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._measure import best_of, row, run_isolated  # noqa: E402
from bench.batch import prepare  # noqa: E402, F401  (the same imported settlement; run by name)
from core.db import db, init_db  # noqa: E402
from core.imports import stored_lines  # noqa: E402
from core.quickbooks import service  # noqa: E402
from core.quickbooks.iif import write_iif  # noqa: E402


def baseline(db_path: str) -> int:
    init_db(db_path)
    with db.connection_context():
        return sum(1 for _ in stored_lines(1))


def summarise(db_path: str) -> int:
    init_db(db_path)
    with db.connection_context():
        summary = service.summary_for_report(1)
        assert summary.adds_up
        return len(write_iif([summary]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.sqlite3")
        run_isolated("quickbooks", "prepare", path, str(args.lines))
        base = best_of("quickbooks", "baseline", path)
        ours = best_of("quickbooks", "summarise", path)
    print(f"settlement of {args.lines:,} lines (best of 3, fresh process each)")
    print(row("stream the stored lines", base, args.lines))
    print(row("summary + IIF file", ours, args.lines, f"  ({ours['result']:,} bytes of IIF)"))
    print(f"ratio: {ours['seconds'] / base['seconds']:.1f}x the plain stream")


if __name__ == "__main__":
    main()
