"""The user's categories for combinations Amazon uses that the classifier does not know.

A mapping is stored once and rewrites the stored lines it matches, with their report's
totals, so what the reports list shows and what a batch books agree at once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal

from peewee import fn

from core.models import LineRow, Mapping, Report, utcnow
from core.reports.classify import make_classifier
from core.reports.model import Category

Combination = tuple[str, str, str]  # transaction type, amount type, amount description


def mapping_overrides() -> dict[Combination, str]:
    """The user's categories for combinations Amazon uses (Settings › Unknown lines)."""
    return {(m.transaction_type, m.amount_type, m.amount_description): m.category
            for m in Mapping.select()}


def store_mapping(transaction_type: str, amount_type: str, description: str, category: str) -> int:
    """Store a mapping and rewrite the matching stored lines; returns how many changed.

    Runs inside the caller's transaction (the caller also marks batches outdated).
    """
    Category(category)  # raises ValueError for an unknown category
    (Mapping.insert(transaction_type=transaction_type, amount_type=amount_type,
                    amount_description=description, category=category, created=utcnow())
     .on_conflict(conflict_target=[Mapping.transaction_type, Mapping.amount_type,
                                   Mapping.amount_description],
                  update={Mapping.category: category}).execute())
    matches = ((LineRow.transaction_type == transaction_type) & (LineRow.amount_type == amount_type)
               & (LineRow.amount_description == description))
    affected = [r for (r,) in LineRow.select(LineRow.report).distinct().where(matches).tuples()]
    changed = LineRow.update(category=category).where(matches).execute()
    for report_id in affected:
        recount(report_id)
    return changed


def classify_unmapped_lines() -> tuple[int, set[int]]:
    """Give stored lines without a category the category today's rules give them.

    Runs when the worker starts, so a classification rule added in a new release reaches
    lines imported before it. Lines that already have a category keep it: a changed
    default never moves money that may already be booked. Returns how many lines changed
    and in which reports. Runs inside the caller's transaction.
    """
    classify = make_classifier(mapping_overrides())
    unmapped = LineRow.category == Category.UNMAPPED.value
    combos = (LineRow.select(LineRow.transaction_type, LineRow.amount_type, LineRow.amount_description)
              .where(unmapped).distinct().tuples())
    changed = 0
    reports: set[int] = set()
    for tt, at, ad in list(combos):
        category = classify(tt, at, ad)
        if category == Category.UNMAPPED:
            continue
        matches = unmapped & (LineRow.transaction_type == tt) & (LineRow.amount_type == at) & (
            LineRow.amount_description == ad)
        reports.update(r for (r,) in LineRow.select(LineRow.report).distinct().where(matches).tuples())
        changed += LineRow.update(category=category.value).where(matches).execute()
    for report_id in reports:
        recount(report_id)
    return changed, reports


def recount(report_id: int) -> None:
    """Recompute a report's totals per category and its unmapped list from its stored lines."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    unmapped: dict[Combination, int] = defaultdict(int)
    rows = LineRow.select(LineRow.category, LineRow.amount, LineRow.transaction_type,
                          LineRow.amount_type, LineRow.amount_description).where(
        LineRow.report == report_id)
    for row in rows.iterator():
        totals[row.category] += row.amount
        if row.category == Category.UNMAPPED:
            unmapped[(row.transaction_type, row.amount_type, row.amount_description)] += 1
    Report.update(
        categories=json.dumps({k: str(v) for k, v in sorted(totals.items())}),
        unmapped=json.dumps([[*c, n] for c, n in sorted(unmapped.items())]),
        unmapped_count=sum(unmapped.values()),
    ).where(Report.id == report_id).execute()


def unmapped_combinations() -> list[tuple[str, str, str, int, int]]:
    """(type, amount type, description, lines, reports) still without a category, most used first."""
    query = (LineRow.select(LineRow.transaction_type, LineRow.amount_type, LineRow.amount_description,
                            fn.COUNT(LineRow.id), fn.COUNT(LineRow.report.distinct()))
             .join(Report).where(LineRow.category == Category.UNMAPPED.value, Report.status == "current")
             .group_by(LineRow.transaction_type, LineRow.amount_type, LineRow.amount_description)
             .order_by(fn.COUNT(LineRow.id).desc()))
    return list(query.tuples())
