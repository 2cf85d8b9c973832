"""The normalised shape of every Amazon report, whatever file it came from.

Parsers produce these; storage, booking and the exports consume them. Money is always
`Decimal`, timestamps are timezone-aware UTC `datetime`s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from core.message import Message


class Kind(StrEnum):
    SETTLEMENT = "settlement"
    VAT_TRANSACTIONS = "vat_transactions"
    DATE_RANGE = "date_range"


# The kinds a DATEV batch is built from (date range reports are shown, never booked).
BOOKABLE_KINDS = frozenset({Kind.SETTLEMENT, Kind.VAT_TRANSACTIONS})


class Category(StrEnum):
    """The canonical meaning of a line (docs/report-formats.md#vocabulary)."""

    PRODUCT_SALES = "product_sales"
    PRODUCT_TAX = "product_tax"
    SHIPPING = "shipping"
    SHIPPING_TAX = "shipping_tax"
    GIFT_WRAP = "gift_wrap"
    GIFT_WRAP_TAX = "gift_wrap_tax"
    PROMOTION = "promotion"
    MARKETPLACE_WITHHELD_TAX = "marketplace_withheld_tax"
    SELLING_FEE = "selling_fee"
    FBA_FEE = "fba_fee"
    STORAGE_FEE = "storage_fee"
    SHIPPING_LABEL = "shipping_label"
    OTHER_FEE = "other_fee"
    ADVERTISING = "advertising"
    SUBSCRIPTION = "subscription"
    REIMBURSEMENT = "reimbursement"
    RESERVE_HELD = "reserve_held"
    RESERVE_RELEASED = "reserve_released"
    CARRIED_BALANCE = "carried_balance"
    CARD_CHARGE = "card_charge"
    PAYOUT = "payout"
    # VAT Transactions Report: own stock moved between warehouses; listed, never revenue.
    STOCK_MOVEMENT = "stock_movement"
    # A line that carries no money (V1 quantity-only rows).
    INFORMATIONAL = "informational"
    UNMAPPED = "unmapped"


class TaxTreatment(StrEnum):
    """How a sale in the VAT Transactions Report is taxed (drives the revenue account)."""

    DOMESTIC = "domestic"  # taxed in Germany (the seller's home country)
    OSS = "oss"  # EU distance sale taxed in the destination country
    FOREIGN_DOMESTIC = "foreign_domestic"  # taxed in another EU country, sold from stock there
    INTRA_EU_B2B = "intra_eu_b2b"  # tax-free intra-community supply, buyer VAT id
    EXPORT = "export"  # tax-free export to a third country
    DEEMED_SUPPLIER = "deemed_supplier"  # Amazon collected and remits the VAT
    NOT_TAXABLE = "not_taxable"  # FC transfers, inbound shipments, returned goods, …
    UNDECIDED = "undecided"  # facts missing or contradictory: the booking says why


@dataclass(slots=True)
class VatDetail:
    """The tax facts of one VAT Transactions Report row (empty for settlement lines)."""

    treatment: TaxTreatment
    rate: Decimal | None  # 0.19 as Decimal("19.00") — percent, two decimals
    net: Decimal  # total activity value excluding VAT
    vat: Decimal  # VAT amount
    ship_from: str = ""  # ISO-2 country the goods left from
    ship_to: str = ""  # ISO-2 country the goods arrived in
    buyer_vat_id: str = ""
    seller_vat_id: str = ""  # seller's VAT id used for this transaction
    jurisdiction: str = ""  # taxable jurisdiction as Amazon names it
    event_id: str = ""  # TRANSACTION_EVENT_ID
    scheme: str = ""  # TAX_REPORTING_SCHEME, when present
    collection: str = ""  # TAX_COLLECTION_RESPONSIBILITY (SELLER / MARKETPLACE)


@dataclass(slots=True)
class Line:
    """One normalised transaction row.

    `amount` is signed from the seller's view: money in is positive, fees and refunds
    negative. For VAT report rows it is the VAT-inclusive total of the row, in `currency`.
    """

    line_no: int  # 1-based physical line in the file, for error messages and audits
    posted: datetime | None
    transaction_type: str
    amount_type: str
    amount_description: str
    amount: Decimal
    category: Category
    order_id: str = ""
    adjustment_id: str = ""
    sku: str = ""
    quantity: int | None = None
    marketplace: str = ""  # as in the file, e.g. "Amazon.de"
    fulfillment: str = ""  # AFN / MFN, or as in the file
    settlement_id: str = ""
    currency: str = ""
    vat: VatDetail | None = None
    extra: Mapping[str, str] = field(default_factory=dict)  # columns we do not model

    @property
    def combination(self) -> tuple[str, str, str]:
        return (self.transaction_type, self.amount_type, self.amount_description)


@dataclass(slots=True)
class ParsedReport:
    kind: Kind
    layout: str  # e.g. "settlement_v2", "settlement_v1", "date_range_de", "vat_92"
    key: str  # natural key: settlement id; "<seller>:<YYYY-MM>" for VAT reports
    currency: str
    total: Decimal  # settlement: total-amount; others: sum of the lines
    period_start: datetime | None
    period_end: datetime | None
    deposit_date: datetime | None
    marketplaces: list[str]
    lines: list[Line]
    encoding: str = "utf-8"
    filename: str | None = None

    @property
    def lines_sum(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def difference(self) -> Decimal:
        return self.lines_sum - self.total

    @property
    def reconciles(self) -> bool:
        return self.difference == 0

    def category_totals(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            totals[line.category] = totals.get(line.category, Decimal("0.00")) + line.amount
        return totals

    def unmapped(self) -> dict[tuple[str, str, str], int]:
        counts: dict[tuple[str, str, str], int] = {}
        for line in self.lines:
            if line.category == Category.UNMAPPED:
                counts[line.combination] = counts.get(line.combination, 0) + 1
        return counts


class ReportError(Message, Exception):
    """A file that cannot be read, with a stable code, the line and readable words."""

    def __init__(
        self,
        code: str,
        template: str,
        line: int | None = None,
        filename: str | None = None,
        **params: object,
    ) -> None:
        self.code = code
        self.template = template
        self.line = line
        self.filename = filename
        self.params = params
        super().__init__(self.message())

    def render_params(self) -> dict[str, object]:
        return {"line": self.line, "filename": self.filename, **self.params}
