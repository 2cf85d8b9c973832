"""Import speed: parse + store a 200,000-line German V2 settlement, against a plain baseline.

    .venv/bin/python bench/import.py [--lines N]

Baseline, measured in the same run on the same file: decode, csv.reader (tab, no quoting)
and sqlite3.executemany of the raw rows into a table of as many TEXT columns, one
transaction, on a file database with the same pragmas. settlebook's import additionally
turns every amount into a Decimal and every date into UTC, classifies each line, hashes
the content, compresses and stores the original file, and maintains the line indexes.
Target: at most 3x the baseline, peak RSS under 200 MB.
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._measure import run_isolated  # noqa: E402
from core.db import db, init_db  # noqa: E402  (imported before the clock starts)
from core.imports import import_bytes  # noqa: E402
from core.models import Report  # noqa: E402

ROUNDS = 3


def baseline(path: str, db_path: str) -> int:
    text = Path(path).read_bytes().decode("utf-8-sig")
    rows = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows)
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=wal")
    db.execute("PRAGMA synchronous=normal")
    columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
    db.execute(f"CREATE TABLE line (id INTEGER PRIMARY KEY, {columns})")
    marks = ", ".join("?" * len(header))
    with db:
        db.executemany(f"INSERT INTO line ({', '.join(f'c{i}' for i in range(len(header)))}) "
                       f"VALUES ({marks})", (row + [""] * (len(header) - len(row)) for row in rows))
    count = db.execute("SELECT COUNT(*) FROM line").fetchone()[0]
    db.close()
    return count


def settlebook_import(path: str, db_path: str) -> int:
    init_db(db_path)
    with db.connection_context():
        result = import_bytes(Path(path).read_bytes(), Path(path).name)
        assert result.outcome == "imported", result
        return Report.get_by_id(result.report_id).line_count


def generate(path: str, lines: str) -> int:
    from tests.synthetic import german_v2_settlement

    return Path(path).write_bytes(german_v2_settlement(int(lines), seed=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "settlement.txt"
        # Generated in its own process: Linux hands a parent's peak RSS down to its children.
        run_isolated("import", "generate", str(path), str(args.lines))
        print(f"file: {args.lines:,} lines, {path.stat().st_size / 1e6:.1f} MB (German V2 settlement)")
        runs: dict[str, list[dict]] = {"baseline": [], "settlebook_import": []}
        for n in range(ROUNDS):  # interleaved, each in a fresh process; best round counts
            for name in runs:
                runs[name].append(run_isolated("import", name, str(path), str(Path(tmp) / f"{name}{n}.sqlite3")))
    base = min(runs["baseline"], key=lambda r: r["seconds"])
    ours = min(runs["settlebook_import"], key=lambda r: r["seconds"])
    every = {name: ", ".join(f"{r['seconds']:.2f}" for r in rs) for name, rs in runs.items()}
    print(f"best of {ROUNDS} interleaved rounds; all seconds: baseline {every['baseline']}; "
          f"settlebook {every['settlebook_import']}")
    for name, r in (("csv.reader + executemany", base), ("settlebook import", ours)):
        print(f"{name:<26} {r['seconds']:7.2f} s  {r['result'] / r['seconds']:>10,.0f} lines/s  "
              f"peak RSS {r['rss_mb']:6.1f} MB")
    ratio = ours["seconds"] / base["seconds"]
    print(f"ratio: {ratio:.2f}x the baseline (target <= 3x); peak RSS {ours['rss_mb']:.0f} MB (target < 200 MB)")


if __name__ == "__main__":
    main()
