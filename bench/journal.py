"""The bookkeeper's views on a big settlement: booking journal, one booking's lines, figures.

    .venv/bin/python bench/journal.py [--lines N]

Imports a synthetic settlement of N lines, builds its batch with one booking per order (the
largest journal a settlement gives), then, each in a fresh process (best of 3): the first
journal page with totals over every booking, tracing one booking to its report lines
(rebuilds the batch), the overview's monthly figures, and an order id search.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._measure import best_of, run_isolated  # noqa: E402
from core import booking_settings, figures, journal, search  # noqa: E402  (before the clock)
from core.batches import build  # noqa: E402
from core.db import db, init_db  # noqa: E402
from core.models import Batch, LineRow  # noqa: E402


def prepare(db_path: str, lines: str) -> int:
    from core.imports import import_bytes
    from tests.synthetic import german_v2_settlement

    init_db(db_path)
    with db.connection_context():
        report_id = import_bytes(german_v2_settlement(int(lines), seed=4), "bench.txt").report_id
        form = {k: str(v) for k, v in booking_settings.load_settings().to_dict().items()
                if k != "exchange_rates"}
        assert booking_settings.save_settings({**form, "granularity": "order"}) == {}
        return build(report_id).batch.booking_count


def journal_page(db_path: str) -> int:
    init_db(db_path)
    with db.connection_context():
        page = journal.batch_journal(Batch.get(Batch.status == "current"))
        return len(page.totals)


def trace(db_path: str) -> int:
    init_db(db_path)
    with db.connection_context():
        found = journal.source_lines(Batch.get(Batch.status == "current"), 1, 2)
        assert found is not None
        return len(found.lines)


def monthly(db_path: str) -> int:
    init_db(db_path)
    with db.connection_context():
        return len(figures.monthly("EUR"))


def order_search(db_path: str) -> int:
    init_db(db_path)
    with db.connection_context():
        order = LineRow.select(LineRow.order_id).where(LineRow.order_id != "").first().order_id
        return len(search.search(order))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.sqlite3")
        bookings = run_isolated("journal", "prepare", path, str(args.lines))["result"]
        print(f"settlement of {args.lines:,} lines, {bookings:,} bookings (one per order; best of 3, fresh process)")
        for name, label in (("journal_page", "journal page 1 + totals"), ("trace", "one booking's lines"),
                            ("monthly", "overview figures"), ("order_search", "order id search")):
            best = best_of("journal", name, path)
            print(f"{label:26} {best['seconds']:6.2f} s  peak RSS {best['rss_mb']:6.1f} MB")


if __name__ == "__main__":
    main()
