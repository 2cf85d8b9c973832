"""`settlebook inspect FILE [--json]`: what is in a report file, and does it add up?

Streams the file (so large reports are fine) and prints kind, key, period, deposit date,
currency, total, line count, sum of lines, reconciliation, sums per category and the
combinations no rule covers. An unreadable file exits with status 2 and its message on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.reports import errors
from core.reports.model import Category, ReportError
from core.reports.stream import ReportStream, stream


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def summary(report: ReportStream) -> dict[str, Any]:
    """The facts of a fully iterated stream as JSON-ready values."""
    order = {category: position for position, category in enumerate(Category)}
    categories = sorted(report.category_totals().items(), key=lambda item: order[item[0]])
    return {
        "kind": str(report.kind),
        "layout": report.layout,
        "key": report.key,
        "currency": report.currency,
        "total": _money(report.total) if len(report.currency_totals()) == 1 else None,
        "totals": {currency: _money(value) for currency, value in report.currency_totals().items()},
        "lines_sum": _money(report.lines_sum),
        "difference": _money(report.difference),
        "lines": report.count,
        "reconciles": bool(report.reconciles),
        "period_start": _day(report.period_start),
        "period_end": _day(report.period_end),
        "deposit_date": _day(report.deposit_date),
        "marketplaces": report.marketplaces,
        "encoding": report.encoding,
        # A month in two currencies lists its categories per currency, never summed.
        "categories": {str(category): _money(value) for category, value in categories}
        if len(report.currency_totals()) == 1 else {
            f"{category} {currency}": _money(value) for (category, currency), value in
            sorted(report.category_totals_by_currency().items(),
                   key=lambda item: (order[item[0][0]], item[0][1]))},
        "unmapped": [
            {"transaction_type": tt, "amount_type": at, "amount_description": ad,
             "count": count}
            for (tt, at, ad), count in sorted(report.unmapped().items(),
                                              key=lambda item: (-item[1], item[0]))
        ],
    }


def _text(facts: dict[str, Any], filename: str) -> str:
    period = f"{facts['period_start'] or '?'} .. {facts['period_end'] or '?'}"
    if facts["reconciles"]:
        reconciles = "yes"
    else:
        reconciles = f"NO (lines minus total: {facts['difference']})"
    rows = [
        ("File", filename),
        ("Kind", f"{facts['kind']} ({facts['layout']})"),
        ("Key", facts["key"] or ""),
        ("Period", period),
        ("Deposit date", facts["deposit_date"] or "-"),
        ("Currency", facts["currency"] or "-"),
        # One total per currency, never one sum over two (a pan-EU VAT month).
        ("Total", facts["total"] if facts["total"] is not None
         else "; ".join(f"{v} {c}" for c, v in facts["totals"].items())),
        ("Lines", str(facts["lines"])),
        *([("Sum of lines", facts["lines_sum"])] if facts["total"] is not None else []),
        ("Reconciles", reconciles),
        ("Marketplaces", ", ".join(facts["marketplaces"]) or "-"),
    ]
    width = max(len(label) for label, _ in rows) + 2
    out = [f"{label + ':':<{width}}{value}" for label, value in rows]
    out.append("Categories:")
    cat_width = max((len(name) for name in facts["categories"]), default=0) + 2
    out += [f"  {name:<{cat_width}}{value:>14}" for name, value in facts["categories"].items()]
    out.append("Unmapped combinations:" if facts["unmapped"] else "Unmapped combinations: none")
    out += [
        f"  {item['count']:>6} x  {item['transaction_type']} / {item['amount_type']} / "
        f"{item['amount_description']}"
        for item in facts["unmapped"]
    ]
    return "\n".join(out)


def main_inspect(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="settlebook inspect",
        description="Read an Amazon report file and show what it contains and whether it "
                    "adds up.",
    )
    parser.add_argument("file", help="settlement, VAT transactions or date range report")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help or a usage error; argparse already printed
        return int(exit_.code or 0)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as problem:
        print(f"settlebook inspect: {path}: {problem.strerror or problem}", file=sys.stderr)
        return 2
    try:
        report = stream(data, path.name)
        for _ in report:
            pass
        facts = summary(report)
    except ReportError as problem:
        print(f"settlebook inspect: {problem.message()}", file=sys.stderr)
        return 2
    except Exception as problem:  # noqa: BLE001 - a report must never end in a traceback
        message = errors.internal_error(path.name, type(problem).__name__).message()
        print(f"settlebook inspect: {message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2))
    else:
        print(_text(facts, str(path)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main_inspect(sys.argv[1:]))
