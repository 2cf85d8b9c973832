"""Builders for booking tests: report lines as the parsers will produce them.

Not a test module itself (it holds no tests); the DATEV and booking tests import it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from core.reports.model import Category, Kind, Line, ParsedReport, TaxTreatment, VatDetail

POSTED = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
DEPOSIT = datetime(2024, 3, 18, 8, 0, tzinfo=UTC)
CREATED_AT = datetime(2024, 4, 1, 12, 0, 0, 123000)
ORDER = "302-1234567-1234567"

# The worked example of docs/datev.md: settlement 123 on amazon.de, total 83.89.
WORKED_EXAMPLE_ROWS = [
    ("Order", "ItemPrice", "Principal", "100.00", Category.PRODUCT_SALES, "Amazon.de"),
    ("Order", "ItemPrice", "Tax", "19.00", Category.PRODUCT_TAX, "Amazon.de"),
    ("Order", "ItemFees", "Commission", "-17.85", Category.SELLING_FEE, "Amazon.de"),
    ("Order", "ItemFees", "FBAPerUnitFulfillmentFee", "-3.35", Category.FBA_FEE, "Amazon.de"),
    ("Refund", "ItemPrice", "Principal", "-10.00", Category.PRODUCT_SALES, "Amazon.de"),
    ("Refund", "ItemPrice", "Tax", "-1.90", Category.PRODUCT_TAX, "Amazon.de"),
    ("Refund", "ItemFees", "Commission", "1.50", Category.SELLING_FEE, "Amazon.de"),
    ("Refund", "ItemFees", "RefundCommission", "-0.30", Category.SELLING_FEE, "Amazon.de"),
    ("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", "-10.00",
     Category.ADVERTISING, ""),
    ("other-transaction", "other-transaction", "Current Reserve Amount", "-20.00",
     Category.RESERVE_HELD, ""),
    ("other-transaction", "other-transaction", "Previous Reserve Amount Balance", "15.00",
     Category.RESERVE_RELEASED, ""),
    ("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE", "11.79",
     Category.REIMBURSEMENT, ""),
]


def line(
    amount: str | Decimal,
    category: Category,
    *,
    posted: datetime | None = POSTED,
    transaction_type: str = "Order",
    amount_type: str = "ItemPrice",
    description: str = "Principal",
    order_id: str = "",
    marketplace: str = "Amazon.de",
    currency: str = "EUR",
    line_no: int = 2,
    vat: VatDetail | None = None,
) -> Line:
    return Line(
        line_no=line_no,
        posted=posted,
        transaction_type=transaction_type,
        amount_type=amount_type,
        amount_description=description,
        amount=Decimal(amount),
        category=category,
        order_id=order_id,
        marketplace=marketplace,
        settlement_id="123",
        currency=currency,
        vat=vat,
    )


def settlement(
    lines: list[Line],
    *,
    key: str = "123",
    currency: str = "EUR",
    deposit: datetime | None = DEPOSIT,
    marketplaces: list[str] | None = None,
    total: Decimal | None = None,
) -> ParsedReport:
    numbered = [_renumber(ln, i + 2) for i, ln in enumerate(lines)]
    return ParsedReport(
        kind=Kind.SETTLEMENT,
        layout="settlement_v2",
        key=key,
        currency=currency,
        total=sum((ln.amount for ln in lines), Decimal("0.00")) if total is None else total,
        period_start=datetime(2024, 3, 4, tzinfo=UTC),
        period_end=datetime(2024, 3, 18, tzinfo=UTC),
        deposit_date=deposit,
        marketplaces=["Amazon.de"] if marketplaces is None else marketplaces,
        lines=numbered,
    )


def _renumber(ln: Line, number: int) -> Line:
    ln.line_no = number
    return ln


def worked_example(posted: datetime = POSTED, deposit: datetime = DEPOSIT) -> ParsedReport:
    lines = [
        line(amount, category, posted=posted, transaction_type=tt, amount_type=at,
             description=desc, marketplace=mp,
             order_id=ORDER if tt in ("Order", "Refund") else "")
        for tt, at, desc, amount, category, mp in WORKED_EXAMPLE_ROWS
    ]
    report = settlement(lines, deposit=deposit)
    assert report.total == Decimal("83.89")
    return report


def vat_line(
    amount: str,
    treatment: TaxTreatment,
    *,
    rate: str | None = "19.00",
    net: str | None = None,
    vat: str = "0",
    ship_from: str = "DE",
    ship_to: str = "DE",
    buyer_vat_id: str = "",
    seller_vat_id: str = "",
    transaction_type: str = "SALE",
    category: Category = Category.PRODUCT_SALES,
    order_id: str = ORDER,
    posted: datetime | None = POSTED,
    marketplace: str = "amazon.de",
    currency: str = "EUR",
    jurisdiction: str = "",
    scheme: str = "",
    collection: str = "",
) -> Line:
    detail = VatDetail(
        treatment=treatment,
        rate=None if rate is None else Decimal(rate),
        net=Decimal(net if net is not None else amount) - (Decimal(vat) if net is None else 0),
        vat=Decimal(vat),
        ship_from=ship_from,
        ship_to=ship_to,
        buyer_vat_id=buyer_vat_id,
        seller_vat_id=seller_vat_id,
        jurisdiction=jurisdiction,
        event_id=order_id,
        scheme=scheme,
        collection=collection,
    )
    return line(amount, category, posted=posted, transaction_type=transaction_type,
                amount_type="", description="", order_id=order_id,
                marketplace=marketplace, currency=currency, vat=detail)


def vat_report(lines: list[Line], key: str = "A1SELLER:2024-03") -> ParsedReport:
    numbered = [_renumber(ln, i + 2) for i, ln in enumerate(lines)]
    return ParsedReport(
        kind=Kind.VAT_TRANSACTIONS,
        layout="vat_92",
        key=key,
        currency="EUR",
        total=sum((ln.amount for ln in lines), Decimal("0.00")),
        period_start=datetime(2024, 3, 1, tzinfo=UTC),
        period_end=datetime(2024, 3, 31, tzinfo=UTC),
        deposit_date=None,
        marketplaces=sorted({ln.marketplace for ln in lines if ln.marketplace}),
        lines=numbered,
    )
