"""A settlement's statement (GoBD "Beleg"): its totals per category in a bookkeeper's order.

Groups follow how a bookkeeper reads a payout: revenue, the tax on it, Amazon's fees,
everything else; each with a subtotal. The groups together are the sum of the lines,
which must equal the payout (the reconciliation the import already checked).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.models import Report
from core.reports.model import Category

GROUPS: tuple[tuple[str, tuple[Category, ...]], ...] = (
    ("revenue", (Category.PRODUCT_SALES, Category.SHIPPING, Category.GIFT_WRAP, Category.PROMOTION)),
    ("tax", (Category.PRODUCT_TAX, Category.SHIPPING_TAX, Category.GIFT_WRAP_TAX,
             Category.MARKETPLACE_WITHHELD_TAX)),
    ("fees", (Category.SELLING_FEE, Category.FBA_FEE, Category.STORAGE_FEE, Category.SHIPPING_LABEL,
              Category.OTHER_FEE, Category.ADVERTISING, Category.SUBSCRIPTION)),
    ("other", (Category.REIMBURSEMENT, Category.RESERVE_HELD, Category.RESERVE_RELEASED,
               Category.CARRIED_BALANCE, Category.CARD_CHARGE, Category.PAYOUT,
               Category.STOCK_MOVEMENT, Category.INFORMATIONAL, Category.UNMAPPED)),
)


@dataclass(frozen=True)
class Group:
    code: str
    rows: list[tuple[str, Decimal]]  # (category, amount), only categories the report has
    subtotal: Decimal


def statement_groups(report: Report) -> list[Group]:
    totals = report.category_totals
    known = {c.value for _, cats in GROUPS for c in cats}
    groups = []
    for code, categories in GROUPS:
        rows = [(c.value, totals[c.value]) for c in categories if c.value in totals]
        if code == "other":  # a category this list does not know still counts, never vanishes
            rows += sorted((k, v) for k, v in totals.items() if k not in known)
        if rows:
            groups.append(Group(code, rows, sum((v for _, v in rows), Decimal("0.00"))))
    return groups
