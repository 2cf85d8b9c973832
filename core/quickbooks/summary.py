"""One settlement as QuickBooks transactions: a summary sales receipt, a credit memo for the
refunds, and a companion journal entry for everything else, adding up to the payout.

The dataclasses here are channel-independent: `core.quickbooks.iif` writes them as an IIF
file, a Web Connector writes them as qbXML (SalesReceiptAdd, CreditMemoAdd,
JournalEntryAdd). They carry every field those need: customer, date, RefNumber (at most
11 characters, stable per settlement), memo, deposit-to / A/R account, ExternalGUID, and
per line the item, description, quantity, rate, amount, sales tax code and account. No
class is ever set (QuickBooks' ClassRef stays empty).

The rules, with their sources, are written down in docs/quickbooks.md. In short:

- Order lines (transaction types Order, Order_Retrocharge) go on the sales receipt: one
  line per SKU (summed quantity, rate = principal / quantity), then shipping, gift wrap,
  promotions, sales tax collected and withheld, and, with "add Amazon fees", one negative
  line per fee kind and the shipping/gift wrap Amazon charged back as an expense line.
- Refund lines (Refund, Chargeback Refund, Refund_Retrocharge, A-to-z Guarantee Claim)
  go on the credit memo with the same kinds of lines, signs turned (a refund is positive
  on a credit memo).
- Every other line (reserves, advertising, subscription, storage, reimbursements,
  carried balances, card charges, fees when not added to the receipt) goes on the
  journal entry, together with a line on A/R that takes the credit memo's amount out of
  the deposit account. So: receipt − credit memo + other lines = the settlement total.
- QuickBooks takes no negative receipt or credit memo: fees larger than the sales move
  to the journal entry, and a transaction still negative moves there as a whole.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from core.booking.errors import BookingError
from core.message import Message
from core.quickbooks import messages as m
from core.quickbooks.settings import ITEM_LIMIT, QuickBooksSettings, marketplace_key
from core.reports.model import Category as C
from core.reports.model import Kind, Line

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
REF_LIMIT = 11  # RefNumber in QuickBooks Desktop (qbxmlops130.xml)
GUID_NAMESPACE = uuid.UUID("6f1c1d3e-4b7a-5d2c-9e8f-0a1b2c3d4e5f")  # settlebook's own

ORDER_TYPES = frozenset({"order", "order_retrocharge"})
REFUND_TYPES = frozenset({"refund", "chargeback refund", "refund_retrocharge",
                          "a-to-z guarantee claim", "guaranteeclaim"})
CHARGEBACKS = frozenset({"shippingchargeback", "giftwrapchargeback"})


class TxnType(StrEnum):
    SALES_RECEIPT = "sales_receipt"  # IIF CASH SALE, qbXML SalesReceiptAdd
    CREDIT_MEMO = "credit_memo"  # IIF CREDIT MEMO, qbXML CreditMemoAdd
    JOURNAL = "journal"  # IIF GENERAL JOURNAL, qbXML JournalEntryAdd


# Line keys of the receipt and the credit memo, in the order they are listed; each maps to
# the settings kind whose item and account it uses.
ORDER_LINE_KINDS: dict[str, str] = {
    "product": "product",
    "shipping": "shipping",
    "gift_wrap": "gift_wrap",
    "promotion": "promotion",
    "sales_tax": "sales_tax",
    "withheld_tax": "sales_tax",
    "selling_fee": "selling_fee",
    "fba_fee": "fba_fee",
    "other_fee": "other_fee",
    "shipping_chargeback": "shipping_chargeback",
}
FEE_KEYS = frozenset({"selling_fee", "fba_fee", "other_fee", "shipping_chargeback"})
# Lines whose description lists Amazon's own names of what they hold (fee types, reasons).
NAMED_KEYS = FEE_KEYS | {"reimbursement", "carried_balance", "card_charge"}

_ORDER_CATEGORIES: dict[C, str] = {
    C.PRODUCT_SALES: "product",
    C.PRODUCT_TAX: "sales_tax",
    C.SHIPPING_TAX: "sales_tax",
    C.GIFT_WRAP_TAX: "sales_tax",
    C.MARKETPLACE_WITHHELD_TAX: "withheld_tax",
    C.SHIPPING: "shipping",
    C.GIFT_WRAP: "gift_wrap",
    C.PROMOTION: "promotion",
    C.SELLING_FEE: "selling_fee",
    C.FBA_FEE: "fba_fee",
    C.OTHER_FEE: "other_fee",
}

# Journal line keys per category -> settings kind.
_OTHER_CATEGORIES: dict[C, tuple[str, str]] = {
    C.PRODUCT_SALES: ("product", "product"),
    C.PRODUCT_TAX: ("sales_tax", "sales_tax"),
    C.SHIPPING_TAX: ("sales_tax", "sales_tax"),
    C.GIFT_WRAP_TAX: ("sales_tax", "sales_tax"),
    C.MARKETPLACE_WITHHELD_TAX: ("withheld_tax", "sales_tax"),
    C.SHIPPING: ("shipping", "shipping"),
    C.GIFT_WRAP: ("gift_wrap", "gift_wrap"),
    C.PROMOTION: ("promotion", "promotion"),
    C.SELLING_FEE: ("selling_fee", "selling_fee"),
    C.FBA_FEE: ("fba_fee", "fba_fee"),
    C.OTHER_FEE: ("other_fee", "other_fee"),
    C.STORAGE_FEE: ("storage_fee", "storage_fee"),
    C.SHIPPING_LABEL: ("shipping_label", "shipping_label"),
    C.ADVERTISING: ("advertising", "advertising"),
    C.SUBSCRIPTION: ("subscription", "subscription"),
    C.REIMBURSEMENT: ("reimbursement", "reimbursement"),
    C.RESERVE_HELD: ("reserve_held", "reserve"),
    C.RESERVE_RELEASED: ("reserve_released", "reserve"),
    C.CARRIED_BALANCE: ("carried_balance", "carried_balance"),
    C.CARD_CHARGE: ("card_charge", "carried_balance"),
    C.PAYOUT: ("carried_balance", "carried_balance"),
}
OTHER_ORDER = ("product", "shipping", "gift_wrap", "promotion", "sales_tax", "withheld_tax",
               "selling_fee", "fba_fee", "other_fee", "shipping_chargeback", "storage_fee",
               "shipping_label", "advertising", "subscription", "reimbursement", "reserve_held",
               "reserve_released", "carried_balance", "card_charge")

# Line descriptions as they appear in QuickBooks (the company file's language: English).
DESCRIPTIONS = {
    "product": "Product sales",
    "shipping": "Shipping",
    "gift_wrap": "Gift wrap",
    "promotion": "Promotions",
    "sales_tax": "Sales tax collected",
    "withheld_tax": "Sales tax withheld by Amazon",
    "selling_fee": "Amazon selling fees",
    "fba_fee": "FBA fees",
    "other_fee": "Other Amazon fees",
    "shipping_chargeback": "Shipping and gift wrap charged back by Amazon",
    "storage_fee": "FBA storage fees",
    "shipping_label": "Shipping labels bought from Amazon",
    "advertising": "Advertising",
    "subscription": "Subscription fee",
    "reimbursement": "Reimbursements from Amazon",
    "reserve_held": "Reserve held by Amazon",
    "reserve_released": "Reserve released by Amazon",
    "carried_balance": "Balance carried between settlements",
    "card_charge": "Charged to your card by Amazon",
    "credit_memo_applied": "Refunds of credit memo %s",
}
AR_LINE = "credit_memo_applied"


@dataclass(frozen=True)
class SummaryLine:
    """One line of a transaction.

    `amount` is in the transaction's own direction and its lines sum to the total: on a
    sales receipt and the journal entry money received is positive, on a credit memo
    money refunded is positive. `source_amount` is the same money signed as in the
    settlement (received positive).
    """

    kind: str  # key of ORDER_LINE_KINDS / OTHER_ORDER, or AR_LINE
    item: str  # QuickBooks item (ItemRef FullName, IIF INVITEM); "" on journal lines
    description: str  # Desc / MEMO
    amount: Decimal
    account: str  # income/expense account (OverrideItemAccountRef, IIF ACCNT)
    tax_code: str = ""  # SalesTaxCodeRef FullName; "" on journal lines
    taxable: bool = False  # whether tax_code is the taxable code (IIF TAXABLE)
    quantity: int | None = None
    rate: Decimal | None = None
    sku: str = ""
    name: str = ""  # an entity on the line (the customer on the journal's A/R line)
    class_name: None = None  # summaries never use classes
    source_amount: Decimal = ZERO


@dataclass(frozen=True)
class Transaction:
    type: TxnType
    customer: str  # CustomerRef FullName (journal: the A/R line's entity)
    txn_date: date
    ref_number: str  # at most 11 characters
    memo: str  # carries the full settlement id
    account: str  # receipt: DepositToAccount; credit memo: ARAccount; journal: deposit account
    lines: tuple[SummaryLine, ...]
    external_guid: str  # "{XXXXXXXX-...}", deterministic per settlement, part and type

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass(frozen=True)
class Notice(Message):
    """Something the user should know about a summary that was built anyway."""

    code: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SummaryPart:
    """The transactions of one settlement dated on one day (the end, or a month end)."""

    label: str  # "" for a whole settlement, "YYYY-MM" for a month part
    txn_date: date
    sales_receipt: Transaction | None
    credit_memo: Transaction | None
    journal: Transaction | None

    @property
    def transactions(self) -> list[Transaction]:
        return [t for t in (self.sales_receipt, self.credit_memo, self.journal) if t is not None]

    @property
    def receipt_total(self) -> Decimal:
        return self.sales_receipt.total if self.sales_receipt else ZERO

    @property
    def credit_memo_total(self) -> Decimal:
        return self.credit_memo.total if self.credit_memo else ZERO

    @property
    def other_total(self) -> Decimal:
        """The journal entry's lines other than the credit memo's, as the settlement signs them."""
        if self.journal is None:
            return ZERO
        return sum((line.amount for line in self.journal.lines if line.kind != AR_LINE), ZERO)

    @property
    def payout(self) -> Decimal:
        return self.receipt_total - self.credit_memo_total + self.other_total


@dataclass(frozen=True)
class SettlementSummary:
    """A settlement's identity, its transactions and the check against its total."""

    settlement_id: str
    report_id: int | None
    filename: str
    currency: str
    marketplace: str  # as in the file, e.g. "Amazon.com"; "" when the file names none
    period_start: date | None
    period_end: date
    deposit_date: date | None
    total: Decimal  # the settlement's total-amount (the payout)
    parts: tuple[SummaryPart, ...]
    notices: tuple[Notice, ...] = ()

    @property
    def transactions(self) -> list[Transaction]:
        return [t for part in self.parts for t in part.transactions]

    @property
    def receipt_total(self) -> Decimal:
        return sum((p.receipt_total for p in self.parts), ZERO)

    @property
    def credit_memo_total(self) -> Decimal:
        return sum((p.credit_memo_total for p in self.parts), ZERO)

    @property
    def other_total(self) -> Decimal:
        return sum((p.other_total for p in self.parts), ZERO)

    @property
    def payout(self) -> Decimal:
        """receipt − credit memo + other lines: what reaches QuickBooks' deposit account."""
        return self.receipt_total - self.credit_memo_total + self.other_total

    @property
    def difference(self) -> Decimal:
        return self.payout - self.total

    @property
    def adds_up(self) -> bool:
        return self.difference == 0


class SummaryError(BookingError):
    """A settlement that cannot be summarised; `template` is an `N_` sentence using `params`."""


class SettlementLike(Protocol):
    """What `build_summary` reads: a ParsedReport, or a stored one whose lines stream."""

    kind: Kind
    key: str
    currency: str
    total: Decimal
    period_start: datetime | None
    period_end: datetime | None
    deposit_date: datetime | None
    marketplaces: list[str]
    lines: Iterable[Line]
    filename: str | None

    @property
    def lines_sum(self) -> Decimal: ...


# -- building -----------------------------------------------------------------------------

@dataclass
class _Bucket:
    amount: Decimal = ZERO
    quantity: int = 0  # from Principal rows
    quantity_only: int = 0  # from V1 quantity-only rows, used when no Principal row has one
    taxable: bool = False
    descriptions: set[str] = field(default_factory=set)


@dataclass
class _Part:
    receipt: dict[tuple[str, str], _Bucket] = field(default_factory=dict)
    memo: dict[tuple[str, str], _Bucket] = field(default_factory=dict)
    other: dict[str, _Bucket] = field(default_factory=dict)
    tax_by_sku: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (group, sku)


def build_summary(report: SettlementLike, settings: QuickBooksSettings,
                  report_id: int | None = None) -> SettlementSummary:
    """The QuickBooks transactions of one settlement; reads its lines once.

    Raises SummaryError when the report is no settlement, does not reconcile, has lines
    without a category, or has a SKU QuickBooks cannot take as an item name.
    """
    filename = report.filename or report.key
    if report.kind != Kind.SETTLEMENT:
        raise SummaryError("not_a_settlement", m.NOT_A_SETTLEMENT, filename=filename)
    if report.lines_sum != report.total:
        raise SummaryError("not_reconciled", m.NOT_RECONCILED, key=report.key,
                           lines_sum=report.lines_sum, total=report.total)
    marketplace = _main_marketplace(report.marketplaces)
    s = settings.for_marketplace(marketplace)
    end = _day(report.period_end)
    start = _day(report.period_start)
    split = s.split_months and start is not None and end is not None and \
        (start.year, start.month) != (end.year, end.month)

    parts: dict[str, _Part] = {}
    unmapped = 0
    example = ""
    latest: date | None = None
    for line in report.lines:
        if line.category is C.UNMAPPED:
            unmapped += 1
            example = example or " / ".join(line.combination)
            continue
        posted = _day(line.posted)
        if posted is not None and (latest is None or posted > latest):
            latest = posted
        label = f"{posted:%Y-%m}" if split and posted is not None else ""
        if split and posted is None and end is not None:
            label = f"{end:%Y-%m}"
        part = parts.get(label)
        if part is None:
            part = parts[label] = _Part()
        _add(part, line, s)
    if unmapped:
        raise SummaryError("unmapped", m.UNMAPPED_LINES, key=report.key, count=unmapped,
                           example=example)
    end = end or latest or _day(report.deposit_date)
    if end is None:  # a settlement without an end date and without lines: nothing to date
        end = date(1970, 1, 1)

    notices: list[Notice] = []
    built = []
    for label in sorted(parts):
        txn_date = end if not label else min(_month_end(label), end)
        built.append(_build_part(report.key, label, txn_date, parts[label], s, notices,
                                 several=len(parts) > 1, start=start, end=end,
                                 marketplace=marketplace, currency=report.currency))
    return SettlementSummary(
        settlement_id=report.key, report_id=report_id, filename=filename,
        currency=report.currency, marketplace=marketplace, period_start=start, period_end=end,
        deposit_date=_day(report.deposit_date), total=report.total, parts=tuple(built),
        notices=tuple(notices),
    )


def _add(part: _Part, line: Line, s: QuickBooksSettings) -> None:
    category = line.category
    tt = line.transaction_type.strip().lower()
    if category in (C.INFORMATIONAL, C.STOCK_MOVEMENT) and not line.amount:
        if line.quantity and (tt in ORDER_TYPES or tt in REFUND_TYPES):
            group = part.receipt if tt in ORDER_TYPES else part.memo
            _bucket(group, ("product", _product_key(line.sku, s))).quantity_only += abs(line.quantity)
        return
    key = _ORDER_CATEGORIES.get(category) if tt in ORDER_TYPES or tt in REFUND_TYPES else None
    if key is None:
        other_key = _OTHER_CATEGORIES.get(category, ("carried_balance", "carried_balance"))[0]
        bucket = _bucket(part.other, other_key)
        bucket.amount += line.amount
        if other_key in NAMED_KEYS and line.amount_description:
            bucket.descriptions.add(line.amount_description)
        return
    group = part.receipt if tt in ORDER_TYPES else part.memo
    group_name = "receipt" if tt in ORDER_TYPES else "memo"
    if key in ("other_fee",) and s.cancel_shipping and \
            line.amount_description.strip().lower() in CHARGEBACKS:
        key = "shipping_chargeback"
    sku = _product_key(line.sku, s) if key == "product" else ""
    bucket = _bucket(group, (key, sku))
    bucket.amount += line.amount
    if key == "product" and line.quantity and \
            line.amount_description.strip().lower() == "principal":
        bucket.quantity += abs(line.quantity)
    if key in FEE_KEYS and line.amount_description:
        bucket.descriptions.add(line.amount_description)
    if category is C.PRODUCT_TAX and line.amount:
        tax_key = (group_name, _product_key(line.sku, s))
        part.tax_by_sku[tax_key] = part.tax_by_sku.get(tax_key, ZERO) + line.amount


def _bucket(group: dict, key: Any) -> _Bucket:
    bucket = group.get(key)
    if bucket is None:
        bucket = group[key] = _Bucket()
    return bucket


def _product_key(sku: str, s: QuickBooksSettings) -> str:
    """The item a product line goes to: the SKU, or "" (the product item)."""
    sku = sku.strip()
    if s.item_mode == "single" or not sku:
        return ""
    if len(sku) > ITEM_LIMIT:
        raise SummaryError("sku_too_long", m.SKU_TOO_LONG, sku=sku)
    return sku


def _order_lines(buckets: dict[tuple[str, str], _Bucket], sign: int, group_name: str,
                 tax_by_sku: dict[tuple[str, str], Decimal], s: QuickBooksSettings) -> list[SummaryLine]:
    order = list(ORDER_LINE_KINDS)
    keys = sorted(buckets, key=lambda k: (order.index(k[0]), k[1] == "", k[1]))
    lines = []
    for key, sku in keys:
        bucket = buckets[key, sku]
        quantity = bucket.quantity or bucket.quantity_only or None
        if not bucket.amount and not quantity:
            continue
        kind = ORDER_LINE_KINDS[key]
        amount = sign * bucket.amount
        taxable = False
        if key == "product":
            taxable = bool(tax_by_sku.get((group_name, sku)))
            item = sku or s.item("product")
            if s.item_mode == "single":
                description = DESCRIPTIONS["product"]
            else:
                description = f"SKU {sku}" if sku else "Sales without a SKU"
            rate = unit_rate(amount, quantity) if quantity else None
        else:
            item = s.item(kind)
            description = _with_names(DESCRIPTIONS[key], bucket.descriptions)
            quantity, rate = None, None
        lines.append(SummaryLine(
            kind=key, item=item, description=description, amount=amount,
            account=s.account(kind), tax_code=s.taxable_code if taxable else s.non_taxable_code,
            taxable=taxable, quantity=quantity, rate=rate, sku=sku, source_amount=bucket.amount,
        ))
    return lines


def _with_names(text: str, names: set[str]) -> str:
    if not names:
        return text
    shown = sorted(names)
    more = f", +{len(shown) - 5}" if len(shown) > 5 else ""
    return f"{text}: {', '.join(shown[:5])}{more}"


def unit_rate(amount: Decimal, quantity: int) -> Decimal:
    """amount / quantity in cents when that is exact, else to 5 decimals (QuickBooks' rate
    precision); the line's amount stays the exact sum either way."""
    rate = (amount / quantity).quantize(CENT)
    if rate * quantity == amount:
        return rate
    return (amount / quantity).quantize(Decimal("0.00001"))


def _fit(lines: list[SummaryLine], name: str, notices: list[Notice]
         ) -> tuple[list[SummaryLine], list[SummaryLine]]:
    """Lines that may stay on a receipt/credit memo, and those that move to the journal."""
    total = sum((line.amount for line in lines), ZERO)
    if total >= 0:
        return lines, []
    fees = [line for line in lines if line.kind in FEE_KEYS]
    rest = [line for line in lines if line.kind not in FEE_KEYS]
    if fees and sum((line.amount for line in rest), ZERO) >= 0:
        fee_total = sum((line.amount for line in fees), ZERO)
        notices.append(Notice("fees_exceed_sales", m.FEES_EXCEED_SALES,
                              {"fees": -fee_total, "transaction": name}))
        return rest, fees
    notices.append(Notice("transaction_negative", m.TRANSACTION_NEGATIVE,
                          {"total": total, "transaction": name}))
    return [], lines


def _journal_line(line: SummaryLine, refund: bool) -> SummaryLine:
    """A receipt or credit memo line moved to the journal entry (settlement signs)."""
    description = f"Refunds: {line.description}" if refund else line.description
    if line.quantity:
        description += f" ({line.quantity})"
    return SummaryLine(kind=line.kind, item="", description=description,
                       amount=line.source_amount, account=line.account,
                       source_amount=line.source_amount, sku=line.sku)


def _build_part(key: str, label: str, txn_date: date, part: _Part, s: QuickBooksSettings,
                notices: list[Notice], several: bool, start: date | None, end: date,
                marketplace: str, currency: str) -> SummaryPart:
    ref = ref_number(key, label if several else "")
    memo = _memo(key, label if several else "", start, end, marketplace, currency)

    receipt_lines = _order_lines(part.receipt, 1, "receipt", part.tax_by_sku, s)
    memo_lines = _order_lines(part.memo, -1, "memo", part.tax_by_sku, s)
    moved: list[SummaryLine] = []
    moved_refunds: list[SummaryLine] = []
    if not s.add_fees:
        moved += [line for line in receipt_lines if line.kind in FEE_KEYS]
        moved_refunds += [line for line in memo_lines if line.kind in FEE_KEYS]
        receipt_lines = [line for line in receipt_lines if line.kind not in FEE_KEYS]
        memo_lines = [line for line in memo_lines if line.kind not in FEE_KEYS]
    receipt_lines, out = _fit(receipt_lines, "sales receipt", notices)
    moved += out
    memo_lines, out = _fit(memo_lines, "credit memo", notices)
    moved_refunds += out

    receipt = memo_txn = None
    if receipt_lines:
        receipt = Transaction(TxnType.SALES_RECEIPT, s.customer, txn_date, ref, memo,
                              s.deposit_account, tuple(receipt_lines),
                              external_guid(key, label, TxnType.SALES_RECEIPT))
    if memo_lines:
        memo_txn = Transaction(TxnType.CREDIT_MEMO, s.customer, txn_date, ref, memo,
                               s.ar_account, tuple(memo_lines),
                               external_guid(key, label, TxnType.CREDIT_MEMO))

    journal_lines = [_journal_line(line, False) for line in moved]
    journal_lines += [_journal_line(line, True) for line in moved_refunds]
    for other_key in sorted(part.other, key=OTHER_ORDER.index):
        bucket = part.other[other_key]
        if not bucket.amount:
            continue
        kind = _settings_kind(other_key)
        journal_lines.append(SummaryLine(
            kind=other_key, item="", description=_with_names(DESCRIPTIONS[other_key], bucket.descriptions),
            amount=bucket.amount, account=s.account(kind), source_amount=bucket.amount))
    if memo_txn is not None:
        journal_lines.append(SummaryLine(
            kind=AR_LINE, item="", description=DESCRIPTIONS[AR_LINE] % ref,
            amount=-memo_txn.total, account=s.ar_account, name=s.customer,
            source_amount=-memo_txn.total))
    journal = None
    if journal_lines:
        journal = Transaction(TxnType.JOURNAL, s.customer, txn_date, ref, memo,
                              s.deposit_account, tuple(journal_lines),
                              external_guid(key, label, TxnType.JOURNAL))
    return SummaryPart(label, txn_date, receipt, memo_txn, journal)


_OTHER_SETTINGS_KIND = dict(_OTHER_CATEGORIES.values())  # journal line key -> settings kind


def _settings_kind(other_key: str) -> str:
    return _OTHER_SETTINGS_KIND.get(other_key, other_key)


# -- identity -----------------------------------------------------------------------------

def ref_number(settlement_id: str, label: str = "") -> str:
    """A RefNumber of at most 11 characters, the same every time for a settlement (part).

    A settlement id of up to 11 characters is used as it is (Amazon's are 11 digits);
    a longer one keeps its last 11. A month part ends in "-MM" after the id's last 8.
    The full id is always in the memo.
    """
    sid = "".join(settlement_id.split())
    if label:
        return f"{sid[-(REF_LIMIT - 3):]}-{label[-2:]}"
    return sid[-REF_LIMIT:]


def external_guid(settlement_id: str, label: str, txn_type: TxnType) -> str:
    """qbXML's ExternalGUID form: a UUID5 of settlement, part and type, in braces."""
    value = uuid.uuid5(GUID_NAMESPACE, f"{settlement_id}|{label}|{txn_type}")
    return "{" + str(value).upper() + "}"


def _memo(key: str, label: str, start: date | None, end: date, marketplace: str,
          currency: str) -> str:
    period = f"{start:%m/%d/%Y}-{end:%m/%d/%Y}" if start else f"{end:%m/%d/%Y}"
    where = f", {marketplace}" if marketplace else ""
    part = f", month {label}" if label else ""
    return f"Amazon settlement {key} ({period}{where}, {currency}{part})"


# -- small helpers ------------------------------------------------------------------------

def _day(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def _month_end(label: str) -> date:
    year, month = int(label[:4]), int(label[5:7])
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _main_marketplace(names: list[str]) -> str:
    """The marketplace a settlement belongs to (one per settlement; the first named)."""
    named = sorted({n.strip() for n in names if n.strip()}, key=marketplace_key)
    return named[0] if named else ""
