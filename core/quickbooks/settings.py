"""The names a QuickBooks summary uses, their defaults, and validating the settings form.

Every name must exist in the QuickBooks company file before an import (README,
"QuickBooks"). Defaults are shown on the settings page for the user to confirm; a
marketplace may override any of them (`QuickBooksSettings.for_marketplace`).

`validate` is the only way user input becomes settings: it answers with one `N_`
template per wrong field, so the form shows each message next to its input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from core.quickbooks import messages as m

# The kinds of lines a summary has; each has an item (for receipt and credit memo lines)
# and an account (the income or expense account the line books to).
LINE_KINDS: tuple[str, ...] = (
    "product", "shipping", "gift_wrap", "promotion", "sales_tax",
    "selling_fee", "fba_fee", "other_fee", "shipping_chargeback",
    "storage_fee", "shipping_label", "advertising", "subscription",
    "reimbursement", "reserve", "carried_balance",
)

DEFAULT_ITEMS: Mapping[str, str] = MappingProxyType({
    "product": "Amazon Sales",
    "shipping": "Amazon Shipping",
    "gift_wrap": "Amazon Gift Wrap",
    "promotion": "Amazon Promotions",
    "sales_tax": "Amazon Sales Tax",
    "selling_fee": "Amazon Selling Fees",
    "fba_fee": "Amazon FBA Fees",
    "other_fee": "Amazon Other Fees",
    "shipping_chargeback": "Amazon Shipping Chargeback",
    "storage_fee": "Amazon Storage Fees",
    "shipping_label": "Amazon Shipping Labels",
    "advertising": "Amazon Advertising",
    "subscription": "Amazon Subscription",
    "reimbursement": "Amazon Reimbursements",
    "reserve": "Amazon Reserve",
    "carried_balance": "Amazon Balance",
})

# Accounts are named as their items, except where income and expense need their own names.
DEFAULT_ACCOUNTS: Mapping[str, str] = MappingProxyType({
    **DEFAULT_ITEMS,
    "shipping": "Amazon Shipping Income",
    "gift_wrap": "Amazon Gift Wrap Income",
    "shipping_chargeback": "Amazon Shipping Expense",
})

# QuickBooks Desktop name lengths (qbXML 13 schema, qbxmlops130.xml: Name maxLength):
# list names of items and accounts 31 per level, customers 41, sales tax codes 3.
ITEM_LIMIT = 31
ACCOUNT_LIMIT = 31
CUSTOMER_LIMIT = 41
TAX_CODE_LIMIT = 3
ITEM_MODES = ("sku", "single")
FORMULA_STARTS = ("=", "+", "-", "@")

# Form fields besides `item.<kind>` and `account.<kind>`.
PLAIN_FIELDS = ("customer", "item_mode", "deposit_account", "ar_account", "taxable_code",
                "non_taxable_code", "add_fees", "cancel_shipping", "split_months")
SWITCHES = ("add_fees", "cancel_shipping", "split_months")


@dataclass(frozen=True)
class QuickBooksSettings:
    customer: str = "Amazon Summary"
    item_mode: str = "sku"  # "sku": one item per SKU, named as the SKU; "single": one item
    deposit_account: str = "Amazon Clearing"  # the receipt's DepositToAccount
    ar_account: str = "Accounts Receivable"  # the credit memo's A/R account
    taxable_code: str = "Tax"  # lines of SKUs on which Amazon collected tax
    non_taxable_code: str = "Non"
    add_fees: bool = True  # Amazon's fees as negative lines on the receipt/credit memo
    cancel_shipping: bool = True  # shipping/gift wrap charged back by Amazon as expense lines
    split_months: bool = False  # one receipt per calendar month a settlement touches
    items: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ITEMS))
    accounts: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ACCOUNTS))
    # marketplace key ("amazon.co.uk") -> {form field: value} that differs from the above
    marketplaces: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only copies: a frozen settings object cannot change behind a summary.
        object.__setattr__(self, "items", MappingProxyType({**DEFAULT_ITEMS, **self.items}))
        object.__setattr__(self, "accounts", MappingProxyType({**DEFAULT_ACCOUNTS, **self.accounts}))
        object.__setattr__(self, "marketplaces", MappingProxyType(
            {k: MappingProxyType(dict(v)) for k, v in sorted(self.marketplaces.items())}))

    def item(self, kind: str) -> str:
        return self.items[kind]

    def account(self, kind: str) -> str:
        return self.accounts[kind]

    def for_marketplace(self, marketplace: str) -> QuickBooksSettings:
        """These settings with a marketplace's own values applied (no overrides: unchanged)."""
        own = self.marketplaces.get(marketplace_key(marketplace))
        if not own:
            return replace(self, marketplaces={})
        settings, _errors = validate({**to_form(self), **own})
        assert settings is not None, "stored marketplace overrides were validated when saved"
        return replace(settings, marketplaces={})

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("items", "accounts"):
                value = dict(value)
            elif f.name == "marketplaces":
                value = {k: dict(v) for k, v in value.items()}
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuickBooksSettings:
        """Inverse of `to_dict`; raises ValueError for stored data that no longer fits."""
        settings, errors = validate(to_form(data))
        if settings is None:
            raise ValueError(f"stored QuickBooks settings are invalid: {sorted(errors)}")
        markets = {k: dict(v) for k, v in (data.get("marketplaces") or {}).items()}
        return replace(settings, marketplaces=markets)


def marketplace_key(name: str) -> str:
    """ "Amazon.co.uk " -> "amazon.co.uk": how a marketplace is looked up in the settings."""
    return name.strip().lower()


def to_form(data: Mapping[str, Any] | QuickBooksSettings) -> dict[str, str]:
    """Settings (or their stored dict) as the flat strings the form shows."""
    if isinstance(data, QuickBooksSettings):
        data = data.to_dict()
    form: dict[str, str] = {}
    for key in PLAIN_FIELDS:
        if key in data:
            value = data[key]
            form[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    for kind, value in (data.get("items") or {}).items():
        form[f"item.{kind}"] = str(value)
    for kind, value in (data.get("accounts") or {}).items():
        form[f"account.{kind}"] = str(value)
    return form


def form_fields() -> tuple[str, ...]:
    return (*PLAIN_FIELDS, *(f"item.{k}" for k in LINE_KINDS), *(f"account.{k}" for k in LINE_KINDS))


def validate(values: Mapping[str, str]) -> tuple[QuickBooksSettings | None, dict[str, str]]:
    """Parse the form's strings; missing keys keep their defaults.

    Returns `(settings, {})` or `(None, {field: template})`. Templates may use
    `%(limit)s`; `error_params(field)` gives the value for a field.
    """
    parsed: dict[str, Any] = {}
    items: dict[str, str] = {}
    accounts: dict[str, str] = {}
    errors: dict[str, str] = {}

    def name(key: str, limit: int) -> str | None:
        text = values.get(key)
        if text is None:
            return None
        text = str(text).strip()
        problem = name_problem(text, limit)
        if problem:
            errors[key] = problem
            return None
        return text

    for key, limit in (("customer", CUSTOMER_LIMIT), ("deposit_account", ACCOUNT_LIMIT),
                       ("ar_account", ACCOUNT_LIMIT)):
        if (text := name(key, limit)) is not None:
            parsed[key] = text
    for key in ("taxable_code", "non_taxable_code"):
        text = values.get(key)
        if text is None:
            continue
        text = str(text).strip()
        if re.fullmatch(r"[A-Za-z0-9]{1,3}", text):
            parsed[key] = text
        else:
            errors[key] = m.TAX_CODE
    if (text := values.get("item_mode")) is not None:
        if str(text).strip() in ITEM_MODES:
            parsed["item_mode"] = str(text).strip()
        else:
            errors["item_mode"] = m.ITEM_MODE
    for key in SWITCHES:
        text = values.get(key)
        if text is None:
            continue
        flag = str(text).strip().lower()
        if flag in ("1", "true", "yes", "on"):
            parsed[key] = True
        elif flag in ("0", "false", "no", "off", ""):
            parsed[key] = False
        else:
            errors[key] = m.YES_NO
    for kind in LINE_KINDS:
        if (text := name(f"item.{kind}", ITEM_LIMIT)) is not None:
            items[kind] = text
        if (text := name(f"account.{kind}", ACCOUNT_LIMIT)) is not None:
            accounts[kind] = text
    if errors:
        return None, errors
    return QuickBooksSettings(**parsed, items=items, accounts=accounts), {}


def name_problem(text: str, limit: int) -> str | None:
    """Why a QuickBooks name cannot be used, as a template, or None.

    A colon separates levels ("Income:Amazon Sales"); the limit applies per level.
    """
    if not text:
        return m.NAME_EMPTY
    if any(c in text for c in "\t\r\n\""):
        return m.NAME_CHARACTERS
    if text.startswith(FORMULA_STARTS):
        return m.NAME_FORMULA
    if any(len(part) > limit or not part.strip() for part in text.split(":")):
        return m.NAME_EMPTY if any(not p.strip() for p in text.split(":")) else m.NAME_TOO_LONG
    return None


def field_limit(key: str) -> int:
    """The length limit of a form field, for the `%(limit)s` of its message."""
    if key == "customer":
        return CUSTOMER_LIMIT
    if key.startswith("item."):
        return ITEM_LIMIT
    if key in ("taxable_code", "non_taxable_code"):
        return TAX_CODE_LIMIT
    return ACCOUNT_LIMIT


def overrides(base: QuickBooksSettings, values: Mapping[str, str]) -> dict[str, str]:
    """The form values that differ from `base`: what a marketplace stores as its own."""
    current = to_form(base)
    return {k: v for k, v in values.items() if k in current and current[k] != v}
