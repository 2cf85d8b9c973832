"""(transaction type, amount type, amount description) -> Category.

Amazon's vocabulary is open-ended (docs/report-formats.md#vocabulary), so classification never fails: what no rule
covers is `Category.UNMAPPED` and shows up for the user to map. Keys are matched without
regard to case or surrounding whitespace. A key part may be `*` (anything) or a glob such
as `fba*fee`; the most specific rule wins: more literal parts first, then transaction type
over amount type over description.

Sources of the values: V2 settlement (EN), V1 settlement rows as `settlement_v1` turns them
into V2 shape, Date Range reports in English and German (amount type = canonical English
column key), and the VAT Transactions Report (`TRANSACTION_TYPE`).
"""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from functools import lru_cache

from core.reports.model import Category as C

Key = tuple[str, str, str]
ANY = "*"

# Date Range money columns (canonical keys, see date_range.py) and their meaning.
DATE_RANGE_COLUMNS: dict[str, C] = {
    "product sales": C.PRODUCT_SALES,
    "product sales tax": C.PRODUCT_TAX,
    "sales tax collected": C.PRODUCT_TAX,
    "shipping credits": C.SHIPPING,
    "shipping credits tax": C.SHIPPING_TAX,
    "gift wrap credits": C.GIFT_WRAP,
    "giftwrap credits tax": C.GIFT_WRAP_TAX,
    "regulatory fee": C.PRODUCT_TAX,  # collected from the buyer, passed through like tax
    "tax on regulatory fee": C.PRODUCT_TAX,
    "promotional rebates": C.PROMOTION,
    "promotional rebates tax": C.PROMOTION,
    "marketplace withheld tax": C.MARKETPLACE_WITHHELD_TAX,
    "marketplace facilitator tax": C.MARKETPLACE_WITHHELD_TAX,
    "tcs-cgst": C.MARKETPLACE_WITHHELD_TAX,
    "tcs-sgst": C.MARKETPLACE_WITHHELD_TAX,
    "tcs-igst": C.MARKETPLACE_WITHHELD_TAX,
    "tds (section 194-o)": C.MARKETPLACE_WITHHELD_TAX,
    "selling fees": C.SELLING_FEE,
    "fba fees": C.FBA_FEE,
    "other transaction fees": C.OTHER_FEE,
}
DATE_RANGE_MONEY_COLUMNS = (*DATE_RANGE_COLUMNS, "other")

# Non-order events: V1 transaction types, V2 `other-transaction` descriptions, German
# Seller Central names. Matched as description (any type) and as type (any amount).
EVENTS: dict[str, C] = {
    "Current Reserve Amount": C.RESERVE_HELD,
    "Rücklage": C.RESERVE_HELD,
    "Previous Reserve Amount Balance": C.RESERVE_RELEASED,
    "Früherer Rücklagensaldo": C.RESERVE_RELEASED,
    "Payable to Amazon": C.CARRIED_BALANCE,
    "An Amazon zu zahlender Betrag": C.CARRIED_BALANCE,
    "Successful charge": C.CARD_CHARGE,
    "Failed charge": C.CARD_CHARGE,
    "Fehlgeschlagene Belastung": C.CARD_CHARGE,
    "Subscription Fee": C.SUBSCRIPTION,
    "Subscription": C.SUBSCRIPTION,
    "Abonnement": C.SUBSCRIPTION,
    "Abonnementgebühr": C.SUBSCRIPTION,
    "Storage Fee": C.STORAGE_FEE,
    "FBA Long-Term Storage Fee": C.STORAGE_FEE,
    "FBA storage fee": C.STORAGE_FEE,
    "FBA Long Term Storage Fee": C.STORAGE_FEE,
    "„Versand durch Amazon“-Lagergebühr": C.STORAGE_FEE,
    "Versand durch Amazon Lagergebühr": C.STORAGE_FEE,
    "Inbound Transportation Fee": C.OTHER_FEE,
    "Gebühr für eingehenden „Versand durch Amazon“-Transport": C.OTHER_FEE,
    "Inbound Defect Fee": C.OTHER_FEE,
    "FBA Inbound Placement Service Fee": C.OTHER_FEE,
    "Micro Deposit": C.OTHER_FEE,  # bank-account verification debit (-0.01)
    "Shipping label purchase": C.SHIPPING_LABEL,
    "Shipping label purchase for return": C.SHIPPING_LABEL,
    "WAREHOUSE_DAMAGE": C.REIMBURSEMENT,
    "WAREHOUSE_DAMAGE_EXCEPTION": C.REIMBURSEMENT,
    "WAREHOUSE_LOST": C.REIMBURSEMENT,
    "WAREHOUSE_LOST_MANUAL": C.REIMBURSEMENT,
    "REVERSAL_REIMBURSEMENT": C.REIMBURSEMENT,
    "COMPENSATED_CLAWBACK": C.REIMBURSEMENT,
    "MISSING_FROM_INBOUND": C.REIMBURSEMENT,
    "CUSTOMER_RETURN": C.REIMBURSEMENT,
    "CUSTOMER_SERVICE_ISSUE": C.REIMBURSEMENT,
    "FREE_REPLACEMENT_REFUND_ITEMS": C.REIMBURSEMENT,
    "INCORRECT_FEES_ITEMS": C.REIMBURSEMENT,
    "SAFE-T Reimbursement": C.REIMBURSEMENT,
    "FBA Inventory Reimbursement": C.REIMBURSEMENT,
    "Cost of Advertising": C.ADVERTISING,
    "Werbekosten": C.ADVERTISING,
    "Lightning Deal Fee": C.ADVERTISING,
    "LightningDealFee": C.ADVERTISING,
    "Vine Enrollment Fee": C.ADVERTISING,
    "Review Enrollment Fee": C.ADVERTISING,
    "SellerReviewEnrollmentPayment": C.ADVERTISING,
    "CouponRedemptionFee": C.ADVERTISING,
    "Coupon Redemption Fee": C.ADVERTISING,
    "Grade and Resell Fees": C.OTHER_FEE,
    "Grade and Resell Charge": C.OTHER_FEE,
    "Liquidations": C.PRODUCT_SALES,
    "Liquidations Adjustments": C.PRODUCT_SALES,
    "Income Tax Charged": C.MARKETPLACE_WITHHELD_TAX,
    "Commingling VAT": C.OTHER_FEE,
    "Fee Adjustment": C.OTHER_FEE,
    "Item Fee Adjustment": C.OTHER_FEE,
}

_ITEM_PRICE = {
    "Principal": C.PRODUCT_SALES,
    "Tax": C.PRODUCT_TAX,
    "Shipping": C.SHIPPING,
    "ShippingTax": C.SHIPPING_TAX,
    "GiftWrap": C.GIFT_WRAP,
    "GiftWrapTax": C.GIFT_WRAP_TAX,
    "RestockingFee": C.PRODUCT_SALES,  # kept by the seller on a refund
    "ReturnShipping": C.SHIPPING,
    "Goodwill": C.PROMOTION,
}

_ITEM_FEES = {
    "Commission": C.SELLING_FEE,
    "RefundCommission": C.SELLING_FEE,
    "DigitalServicesFee": C.SELLING_FEE,
    "DigitalServicesFeeFBA": C.SELLING_FEE,
    "ShippingHB": C.SELLING_FEE,
    "VariableClosingFee": C.SELLING_FEE,
    "FixedClosingFee": C.SELLING_FEE,
    "SalesTaxCollectionFee": C.SELLING_FEE,
    "fba*": C.FBA_FEE,  # FBAPerUnitFulfillmentFee, FBAWeightBasedFee, FBAPerOrder…
    "ShippingChargeback": C.OTHER_FEE,
    "GiftwrapChargeback": C.OTHER_FEE,
    "FBA transportation fee": C.OTHER_FEE,
}

SETTLEMENT_ORDER_TYPES = (
    "Order", "Refund", "Chargeback Refund", "Order_Retrocharge", "Refund_Retrocharge",
    "A-to-z Guarantee Claim", "GuaranteeClaim",
)

# Date Range transaction types (EN, DE) whose amounts are read per column.
DATE_RANGE_SPLIT_TYPES = (
    "Order", "Refund", "Chargeback Refund", "Liquidations", "Order_Retrocharge",
    "Refund_Retrocharge",
    "Bestellung", "Bestellung_Wiedereinzug", "Erstattung", "Erstattung_Wiedereinzug",
    "Erstattung durch Rückbuchung",
)

# Date Range transaction types whose whole row means one thing, whatever column holds it.
DATE_RANGE_TYPES: dict[str, C] = {
    "Transfer": C.PAYOUT,
    "Übertrag": C.PAYOUT,
    "Adjustment": C.REIMBURSEMENT,
    "Anpassung": C.REIMBURSEMENT,
    "Service Fee": C.OTHER_FEE,
    "Servicegebühr": C.OTHER_FEE,
    "FBA Inventory Fee": C.STORAGE_FEE,
    "Versand durch Amazon Lagergebühr": C.STORAGE_FEE,
    "Transaktionsgebühren für Versand durch Amazon": C.FBA_FEE,
    "FBA Transaction fees": C.FBA_FEE,
    "FBA Customer Return Fee": C.FBA_FEE,
    "Deal Fee": C.ADVERTISING,
    "Lightning Deal Fee": C.ADVERTISING,
    "Coupon Fee": C.ADVERTISING,
    "Debt": C.CARD_CHARGE,
    "Amazon Fees": C.OTHER_FEE,
}

# Descriptions that refine a whole-row type.
DATE_RANGE_DESCRIPTIONS: dict[tuple[str, str], C] = {
    ("Service Fee", "Cost of Advertising"): C.ADVERTISING,
    ("Service Fee", "Subscription Fee"): C.SUBSCRIPTION,
    ("Service Fee", "Subscription"): C.SUBSCRIPTION,
    ("Servicegebühr", "Werbekosten"): C.ADVERTISING,
    ("Servicegebühr", "Abonnementgebühr"): C.SUBSCRIPTION,
    ("Servicegebühr", "Abonnement"): C.SUBSCRIPTION,
    ("FBA Inventory Fee", "*inbound*"): C.OTHER_FEE,
    ("FBA Inventory Fee", "*transport*"): C.OTHER_FEE,
    ("Versand durch Amazon Lagergebühr",
     "Frachtkosten für den Transport zum Amazon-Versandzentrum"): C.OTHER_FEE,
    ("Versand durch Amazon Lagergebühr",
     "Gebühr für die Teilnahme am Amazon Transportpartner-Programm"): C.OTHER_FEE,
    ("Versand durch Amazon Lagergebühr", "*transport*"): C.OTHER_FEE,
    ("Adjustment", "FBA Inventory Reimbursement*"): C.REIMBURSEMENT,
    ("Anpassung", "Versand durch Amazon Erstattung*"): C.REIMBURSEMENT,
}

VAT_TYPES: dict[str, C] = {
    "SALE": C.PRODUCT_SALES,
    "REFUND": C.PRODUCT_SALES,
    # Goods coming back; the money is the REFUND row (docs/tax-rules.md case 15).
    "RETURN": C.STOCK_MOVEMENT,
    "LIQUIDATION_SALE": C.PRODUCT_SALES,
    "LIQUIDATION_REFUND": C.PRODUCT_SALES,
    "FC_TRANSFER": C.STOCK_MOVEMENT,
    "INBOUND": C.STOCK_MOVEMENT,
    "DONATION": C.STOCK_MOVEMENT,
    "COMMINGLING_BUY": C.STOCK_MOVEMENT,
    "COMMINGLING_SELL": C.STOCK_MOVEMENT,
}
VAT_AMOUNT_TYPE = "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL"


def _build_rules() -> dict[Key, C]:
    rules: dict[Key, C] = {}
    # Settlement V2 (and V1 rows turned into the same shape).
    for description, category in _ITEM_PRICE.items():
        rules[(ANY, "ItemPrice", description)] = category
    for description, category in _ITEM_FEES.items():
        rules[(ANY, "ItemFees", description)] = category
    rules[(ANY, "ItemFees", ANY)] = C.OTHER_FEE
    rules[(ANY, "Promotion", ANY)] = C.PROMOTION
    rules[(ANY, "ItemWithheldTax", ANY)] = C.MARKETPLACE_WITHHELD_TAX
    rules[(ANY, "ItemWithheldTax", "MarketplaceFacilitator*")] = C.MARKETPLACE_WITHHELD_TAX
    rules[(ANY, "ShipmentFees", ANY)] = C.OTHER_FEE
    rules[(ANY, "OrderFees", ANY)] = C.OTHER_FEE
    rules[(ANY, "OrderFees", "fba*")] = C.FBA_FEE
    rules[(ANY, "MiscFees", ANY)] = C.OTHER_FEE
    rules[(ANY, "OtherFees", ANY)] = C.OTHER_FEE
    rules[("ServiceFee", "Cost of Advertising", "TransactionTotalAmount")] = C.ADVERTISING
    rules[("ServiceFee", "Cost of Advertising", ANY)] = C.ADVERTISING
    rules[(ANY, "Cost of Advertising", ANY)] = C.ADVERTISING
    rules[(ANY, "Refund for Advertiser", ANY)] = C.ADVERTISING
    rules[("ServiceFee", ANY, ANY)] = C.OTHER_FEE
    rules[(ANY, "FBA Inventory Reimbursement", ANY)] = C.REIMBURSEMENT
    for amount_type in ("CouponRedemptionFee", "LightningDealFee", "Vine Enrollment Fee",
                        "Review Enrollment Fee", "Grade and Resell Charge",
                        "Item Fee Adjustment"):
        rules[(ANY, amount_type, ANY)] = EVENTS[amount_type]
    for event, category in EVENTS.items():
        rules[("other-transaction", "other-transaction", event)] = category
        rules[(ANY, ANY, event)] = category
        if event not in DATE_RANGE_SPLIT_TYPES:  # their columns keep their own meaning
            rules[(event, ANY, ANY)] = category
    # Date Range reports: per money column, refined by whole-row types.
    for column, category in DATE_RANGE_COLUMNS.items():
        rules[(ANY, column, ANY)] = category
    for tt, category in DATE_RANGE_TYPES.items():
        rules[(tt, ANY, ANY)] = category
        for column in DATE_RANGE_MONEY_COLUMNS:
            rules[(tt, column, ANY)] = category
    for (tt, description), category in DATE_RANGE_DESCRIPTIONS.items():
        for column in DATE_RANGE_MONEY_COLUMNS:
            rules[(tt, column, description)] = category
    # VAT Transactions Report.
    for tt, category in VAT_TYPES.items():
        rules[(tt, VAT_AMOUNT_TYPE, ANY)] = category
    return rules


DEFAULT_RULES: dict[Key, C] = _build_rules()


def normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _norm_key(key: Key) -> Key:
    return (normalise(key[0]), normalise(key[1]), normalise(key[2]))


class _Layer:
    """One rule table: exact keys in a dict, patterns ordered by specificity."""

    def __init__(self, table: Mapping[Key, C | str]) -> None:
        self.exact: dict[Key, C] = {}
        patterns: dict[Key, C] = {}
        for key, category in table.items():
            normal = _norm_key(key)
            if any("*" in part or "?" in part or "[" in part for part in normal):
                patterns[normal] = C(category)
            else:
                self.exact[normal] = C(category)
        self.patterns = sorted(patterns.items(), key=lambda item: _specificity(item[0]),
                               reverse=True)

    def match(self, key: Key) -> C | None:
        category = self.exact.get(key)
        if category is not None:
            return category
        for pattern, value in self.patterns:
            if all(p == ANY or fnmatchcase(k, p) for k, p in zip(key, pattern, strict=False)):
                return value
        return None


class Classifier:
    """Defaults plus user overrides (which win), with a per-instance cache."""

    def __init__(self, overrides: Mapping[Key, C | str] | None = None,
                 rules: Mapping[Key, C] | None = None) -> None:
        self._layers = [_Layer(overrides or {}),
                        _Layer(rules if rules is not None else DEFAULT_RULES)]
        self.cache: dict[Key, C] = {}

    def __call__(self, tt: str, at: str, ad: str) -> C:
        raw = (tt, at, ad)
        try:
            return self.cache[raw]
        except KeyError:
            pass
        key = _norm_key(raw)
        category = C.UNMAPPED
        for layer in self._layers:
            found = layer.match(key)
            if found is not None:
                category = found
                break
        if len(self.cache) > 10_000:
            self.cache.clear()
        self.cache[raw] = category
        return category


def _specificity(key: Key) -> tuple[int, int]:
    literal = sum(part != ANY for part in key)
    weight = sum(w * (2 if "*" not in part else 1 if part != ANY else 0)
                 for w, part in zip((9, 3, 1), key, strict=True))
    return literal, weight


@lru_cache(maxsize=1)
def _default_classifier() -> Classifier:
    return Classifier()


def classify(tt: str, at: str, ad: str,
             overrides: Mapping[Key, C | str] | None = None) -> C:
    """The category of one combination; user `overrides` win over the defaults.

    Overrides use the same key shape as DEFAULT_RULES (globs allowed). An unknown
    combination is `Category.UNMAPPED`, never an error.
    """
    if overrides:
        return Classifier(overrides)(tt, at, ad)
    return _default_classifier()(tt, at, ad)


def make_classifier(overrides: Mapping[Key, C | str] | None = None) -> Classifier:
    return Classifier(overrides) if overrides else _default_classifier()
