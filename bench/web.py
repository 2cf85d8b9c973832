"""Web speed with a full database: 1,000 reports and 1,000,000 lines.

    .venv/bin/python bench/web.py [--reports N] [--lines-per-report M] [--requests K]

Fills a fresh data folder through plain SQL (the import itself is measured by
bench/import.py), logs in, then times the reports list (tabs, filters, pages) and report
detail pages (first page, a later page, a search) through the WSGI app and prints the
median and 95th percentile. Baseline in the same run: the /healthz route, which does one
trivial query, so the ratio shows what the pages themselves cost. Target: p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._measure import peak_rss_mb  # noqa: E402

MARKETS = ["Amazon.de", "Amazon.fr", "Amazon.it", "Amazon.es", "Amazon.nl"]
COMBOS = [("Order", "ItemPrice", "Principal", "product_sales"), ("Order", "ItemPrice", "Tax", "product_tax"),
          ("Order", "ItemFees", "Commission", "selling_fee"),
          ("Order", "ItemFees", "FBAPerUnitFulfillmentFee", "fba_fee"),
          ("Refund", "ItemPrice", "Principal", "product_sales")]


def fill(db, reports: int, per_report: int) -> None:
    rng = random.Random(3)
    start = datetime(2022, 1, 3)
    cursor = db.cursor()
    line_sql = ("INSERT INTO line (report_id, line_no, posted, transaction_type, amount_type, amount_description,"
                " amount, category, order_id, sku, quantity, marketplace, fulfillment, settlement_id, currency)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
    for n in range(reports):
        begin = start + timedelta(days=14 * (n // len(MARKETS)))
        market = MARKETS[n % len(MARKETS)]
        key = str(10_000_000_000 + n)
        total = "0.00"
        cursor.execute(
            "INSERT INTO report (kind, layout, key, source, sha256, content_hash, currency, total, lines_sum,"
            " difference, reconciles, line_count, unmapped_count, period_start, period_end, deposit_date, year,"
            " marketplaces, categories, imported_at) VALUES ('settlement','settlement_v2',?,?,?,?,'EUR',?,?,'0.00',"
            "?,?,?,?,?,?,?,?,?,?)",
            (key, "upload" if n % 3 else "api", f"sha{n}", f"c{n}", total, total, int(n % 17 != 0), per_report,
             int(n % 11 == 0), begin.isoformat(" "), (begin + timedelta(days=14)).isoformat(" "),
             (begin + timedelta(days=16)).isoformat(" "), (begin + timedelta(days=14)).year, market,
             json.dumps({"product_sales": "1.00"}), datetime.now().isoformat(" ")))
        report_id = cursor.lastrowid
        rows = []
        for i in range(per_report):
            tt, at, ad, cat = COMBOS[i % len(COMBOS)]
            order = f"{300 + n % 100}-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
            rows.append((report_id, i + 2, (begin + timedelta(minutes=i)).isoformat(" "), tt, at, ad,
                         f"{rng.randrange(-5000, 20000) / 100:.2f}", cat, order, f"SKU-{rng.randrange(500)}",
                         1, market, "AFN", key, "EUR"))
        cursor.executemany(line_sql, rows)


def timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def summary(name: str, samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    return f"{name:<34} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   (n={len(samples)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000)
    parser.add_argument("--lines-per-report", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    from core.db import db
    from webapp import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATA_DIR": Path(tmp), "TASKS_IMMEDIATE": True, "SECRET_KEY": "bench"})
        began = time.perf_counter()
        with db.connection_context(), db.atomic():
            fill(db, args.reports, args.lines_per_report)
        print(f"filled {args.reports:,} reports, {args.reports * args.lines_per_report:,} lines "
              f"in {time.perf_counter() - began:.1f} s")
        client = app.test_client()
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/setup").get_data(as_text=True)).group(1)
        client.post("/setup", data={"csrf_token": token, "password": "benchmark password",
                                    "confirmation": "benchmark password"})
        rng = random.Random(5)
        lists = ["/reports/", "/reports/?page=7", "/reports/?status=attention", "/reports/?marketplace=Amazon.fr",
                 "/reports/?year=2023", "/reports/?kind=vat_transactions", "/overview"]
        details = []
        for _ in range(args.requests):
            rid = rng.randrange(1, args.reports + 1)
            details += [f"/reports/{rid}", f"/reports/{rid}/lines?page=15", f"/reports/{rid}/lines?q=3",
                        f"/reports/{rid}/lines?q=SKU-4"]
        for url in lists[:2] + details[:3]:  # warm up templates and page cache
            timed(client, url)
        baseline = [timed(client, "/healthz") for _ in range(args.requests)]
        list_times = [timed(client, lists[i % len(lists)]) for i in range(args.requests)]
        detail_times = [timed(client, url) for url in details]
        print(summary("baseline GET /healthz", baseline))
        print(summary("reports list (tabs, filters, pages)", list_times))
        print(summary("report detail (page, later page, order and SKU search)", detail_times))
        p95 = lambda s: sorted(s)[max(0, int(len(s) * 0.95) - 1)]  # noqa: E731
        print(f"p95 ratio to baseline: list {p95(list_times) / p95(baseline):.1f}x, "
              f"detail {p95(detail_times) / p95(baseline):.1f}x; target p95 < 100 ms; "
              f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
