"""Legacy settlement flat file (V1): 36 columns, or 33 without `promotion-*`.

V1 spreads money over typed column pairs; each non-empty amount cell becomes its own Line
in V2 shape, following Amazon's V1→V2 mapping (docs/report-formats.md#settlement-v1): the
type column's *name* becomes the amount type, its *value* the amount description:

| V1 cells                                    | transaction / amount type / description |
|---------------------------------------------|-----------------------------------------|
| price-type / price-amount                   | tt / ItemPrice / price-type             |
| item-related-fee-type / -amount             | tt / ItemFees / fee type                |
| shipment-fee-type / -amount                 | tt / ShipmentFees / fee type            |
| order-fee-type / -amount                    | tt / OrderFees / fee type               |
| misc-fee-amount                             | tt / MiscFees / other-fee-reason-description |
| other-fee-amount                            | tt / OtherFees / other-fee-reason-description |
| promotion-type / promotion-amount           | tt / Promotion / promotion-type         |
| direct-payment-type / -amount               | tt / DirectPayment / direct-payment-type |
| other-amount (non-order events)             | other-transaction / other-transaction / tt |
| other-amount of a reimbursement reason      | other-transaction / FBA Inventory Reimbursement / tt |

Non-order fees such as `ServiceFee` rows (ads: net in item-related-fee-amount, tax in
other-fee-amount with reason `TaxAmount`) keep the fee type as amount type, like V2:
`ServiceFee / Cost of Advertising / BaseAmount` and `… / TaxAmount`. A row with a quantity
but no money (it precedes each order item's amount rows) is an INFORMATIONAL line of 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from core.reports.classify import SETTLEMENT_ORDER_TYPES
from core.reports.model import Category, Line
from core.reports.reader import marketplace_name
from core.reports.settlement import SUMMARY_COLUMNS, SettlementReader

V1_REQUIRED = (*SUMMARY_COLUMNS, "transaction-type")
# (amount column, type column, V2 amount type); the type column gives the description.
TYPED_AMOUNTS = (
    ("shipment-fee-amount", "shipment-fee-type", "ShipmentFees"),
    ("order-fee-amount", "order-fee-type", "OrderFees"),
    ("price-amount", "price-type", "ItemPrice"),
    ("item-related-fee-amount", "item-related-fee-type", "ItemFees"),
    ("misc-fee-amount", "other-fee-reason-description", "MiscFees"),
    ("other-fee-amount", "other-fee-reason-description", "OtherFees"),
    ("promotion-amount", "promotion-type", "Promotion"),
    ("direct-payment-amount", "direct-payment-type", "DirectPayment"),
    ("other-amount", "", "other-transaction"),
)
MODELLED = frozenset({
    *SUMMARY_COLUMNS, "transaction-type", "order-id", "adjustment-id", "marketplace-name",
    "fulfillment-id", "posted-date", "sku", "quantity-purchased",
    *(amount for amount, _, _ in TYPED_AMOUNTS),
    *(kind for _, kind, _ in TYPED_AMOUNTS if kind),
})
_ORDER_TYPES = frozenset(SETTLEMENT_ORDER_TYPES)
_REASON_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")  # WAREHOUSE_DAMAGE, …
_ZERO = Decimal("0")


class SettlementV1Reader(SettlementReader):
    layout = "settlement_v1"
    required = V1_REQUIRED

    def lines(self) -> Iterator[Line]:
        col, g = self.cols.index, self.cols.index.get
        money = [(col[amount], g(kind) if kind else None, amount_type, amount)
                 for amount, kind, amount_type in TYPED_AMOUNTS if amount in col]
        fee_type_at = g("item-related-fee-type")
        tt_at = col["transaction-type"]
        order_at, adj_at, sku_at = g("order-id"), g("adjustment-id"), g("sku")
        qty_at, market_at, ful_at = g("quantity-purchased"), g("marketplace-name"), \
            g("fulfillment-id")
        posted_at = g("posted-date")
        extra_at = [(name, i) for i, name in enumerate(self.cols.names)
                    if name not in MODELLED]
        sid, currency = self.settlement_id, self.currency

        def cell(cells: list[str], at: int | None) -> str:
            return cells[at] if at is not None else ""

        for line_no, cells in self.rows():
            tt = cells[tt_at]
            order_id = cell(cells, order_at)
            posted = self.date(cell(cells, posted_at), line_no, "posted-date")
            quantity = self.quantity(cell(cells, qty_at), line_no, "quantity-purchased")
            market = cell(cells, market_at)
            common = (order_id, cell(cells, adj_at), cell(cells, sku_at), quantity,
                      marketplace_name(market) if market else "", cell(cells, ful_at),
                      sid, currency, None)
            extra = {name: cells[i] for name, i in extra_at if cells[i]}
            # Non-order fee rows (ServiceFee) are grouped under their fee type, as in V2.
            group = ""
            if tt not in _ORDER_TYPES and fee_type_at is not None:
                group = cells[fee_type_at]
            emitted = False
            for amount_at, kind_at, amount_type, column in money:
                text = cells[amount_at]
                if not text:
                    continue
                value = self.amount(text, line_no, column)
                kind = cells[kind_at] if kind_at is not None else ""
                line_tt, at, ad = self._shape(tt, amount_type, kind, group)
                emitted = True
                yield Line(line_no, posted, line_tt, at, ad, value,
                           self.classify(line_tt, at, ad), *common, dict(extra))
            if not emitted:  # quantity-only (or empty) row: listed, books nothing
                yield Line(line_no, posted, tt, "Quantity", "", _ZERO,
                           Category.INFORMATIONAL, *common, extra)

    @staticmethod
    def _shape(tt: str, amount_type: str, kind: str, group: str) -> tuple[str, str, str]:
        if amount_type == "other-transaction":
            if tt in _ORDER_TYPES or tt == "other-transaction":
                return tt, "other-transaction", kind
            if _REASON_CODE.fullmatch(tt):
                return "other-transaction", "FBA Inventory Reimbursement", tt
            return "other-transaction", "other-transaction", tt
        if group:
            if amount_type == "ItemFees":
                return tt, group, "BaseAmount"
            if amount_type in ("MiscFees", "OtherFees"):
                return tt, group, kind or amount_type
        return tt, amount_type, kind
