"""Which booking rule each kind of Amazon money follows, and the helpers every booking shares.

A rule key names a row of the account set (core/datev/accounts.py): where money goes, with
which tax key and text. This module is the one place that ties the report model
(`Category`, `TaxTreatment`) to those keys. Accounts and their sources: docs/datev.md;
the tax treatments are indexed in docs/README.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.datev import accounts as acc
from core.datev.accounts import AccountRule, is_automatic
from core.datev.settings import DatevSettings
from core.reports.model import Category, Line

CENT = Decimal("0.01")
# Raise by one whenever a release changes how bookings are made from the same data and
# settings: it is part of every batch's fingerprint, so batches built by an older release
# are shown as outdated at the next start instead of "unchanged".
BOOKING_LOGIC_VERSION = 1

# The tax line of an amount books with the amount, gross, on one automatic account.
TAX_FOLDS: Mapping[Category, Category] = {
    Category.PRODUCT_TAX: Category.PRODUCT_SALES,
    Category.SHIPPING_TAX: Category.SHIPPING,
    Category.GIFT_WRAP_TAX: Category.GIFT_WRAP,
}
# Settlement categories that are the seller's revenue (or its tax, or its reduction).
REVENUE_CATEGORIES = frozenset({
    Category.PRODUCT_SALES, Category.PRODUCT_TAX, Category.SHIPPING, Category.SHIPPING_TAX,
    Category.GIFT_WRAP, Category.GIFT_WRAP_TAX, Category.PROMOTION,
    Category.MARKETPLACE_WITHHELD_TAX,
})
# Every other category that carries money books on the rule of the same name.
CATEGORY_RULES: Mapping[Category, str] = {
    c: c.value for c in (
        Category.SELLING_FEE, Category.FBA_FEE, Category.STORAGE_FEE, Category.SHIPPING_LABEL,
        Category.OTHER_FEE, Category.ADVERTISING, Category.SUBSCRIPTION, Category.REIMBURSEMENT,
        Category.RESERVE_HELD, Category.RESERVE_RELEASED, Category.CARRIED_BALANCE,
        Category.CARD_CHARGE, Category.PAYOUT,
    )
}
# Categories that carry no money of their own; a non-zero amount there goes to suspense.
NO_MONEY_CATEGORIES = frozenset({Category.STOCK_MOVEMENT, Category.INFORMATIONAL, Category.UNMAPPED})
# Rules whose tax key can follow the fee regime (94 before the switch date, 9 after).
FEE_RULES = frozenset({Category.SELLING_FEE, Category.FBA_FEE, Category.STORAGE_FEE, Category.SHIPPING_LABEL,
                       Category.OTHER_FEE, Category.ADVERTISING, Category.SUBSCRIPTION})
# Rules that book revenue (in "revenue from the VAT report" mode they clear the debtor instead).
SETTLEMENT_REVENUE_RULES = frozenset({Category.PRODUCT_SALES, Category.SHIPPING, Category.GIFT_WRAP, Category.PROMOTION,
                                      acc.REFUND, acc.DEEMED_SUPPLIER})

_SETTLEMENT_REFUND_WORDS = ("refund", "erstattung")


def is_settlement_refund(line: Line) -> bool:
    """A settlement line belongs to a refund when its transaction type says so (any language)."""
    kind = line.transaction_type.lower()
    return any(word in kind for word in _SETTLEMENT_REFUND_WORDS)


def is_vat_report_refund(line: Line, amount: Decimal) -> bool:
    """A VAT Transactions Report row is a refund by type (REFUND, RETURN) or by a negative amount."""
    kind = line.transaction_type.upper()
    return "REFUND" in kind or "RETURN" in kind or amount < 0


def resolve_tax_key(rule: AccountRule, day: date, settings: DatevSettings) -> str:
    """A rule without its own key takes the fee regime's key of the day.

    On an automatic account (e.g. 3123/5923 for reverse charge) the regime key is left
    out: DATEV derives the tax there and rejects any key but 40.
    """
    if rule.tax_key is not None:
        return rule.tax_key
    if is_automatic(rule.account, settings.chart, settings.account_length):
        return ""
    return settings.fee_tax_key(day)


def exchange(amount: Decimal, currency: str, settings: DatevSettings) -> tuple[Decimal | None, Decimal | None]:
    """(rate, amount in EUR) for a foreign-currency booking; (None, None) for EUR or no rate."""
    rate = settings.rate_for(currency) if currency != "EUR" else None
    base = None if rate is None else (abs(amount) / rate).quantize(CENT, ROUND_HALF_UP)
    return (rate, base) if base else (None, None)
