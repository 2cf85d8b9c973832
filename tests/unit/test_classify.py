"""The default rules cover every value named in docs/report-formats.md; unknown is UNMAPPED."""

from __future__ import annotations

import pytest

from core.reports.classify import DEFAULT_RULES, Classifier, classify
from core.reports.model import Category as C

CASES = [
    # Settlement V2 (real data and docs/report-formats.md#vocabulary)
    (("Order", "ItemPrice", "Principal"), C.PRODUCT_SALES),
    (("Order", "ItemPrice", "Tax"), C.PRODUCT_TAX),
    (("Order", "ItemPrice", "Shipping"), C.SHIPPING),
    (("Order", "ItemPrice", "ShippingTax"), C.SHIPPING_TAX),
    (("Order", "ItemPrice", "GiftWrap"), C.GIFT_WRAP),
    (("Order", "ItemPrice", "GiftWrapTax"), C.GIFT_WRAP_TAX),
    (("Order", "ItemFees", "Commission"), C.SELLING_FEE),
    (("Order", "ItemFees", "ShippingHB"), C.SELLING_FEE),
    (("Order", "ItemFees", "DigitalServicesFee"), C.SELLING_FEE),
    (("Order", "ItemFees", "VariableClosingFee"), C.SELLING_FEE),
    (("Order", "ItemFees", "FBAPerUnitFulfillmentFee"), C.FBA_FEE),
    (("Order", "ItemFees", "FBAWeightBasedFee"), C.FBA_FEE),
    (("Order", "ItemFees", "ShippingChargeback"), C.OTHER_FEE),
    (("Order", "ItemWithheldTax", "MarketplaceFacilitatorVAT-Principal"),
     C.MARKETPLACE_WITHHELD_TAX),
    (("Order", "ItemWithheldTax", "MarketplaceFacilitatorVAT-Shipping"),
     C.MARKETPLACE_WITHHELD_TAX),
    (("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"),
     C.MARKETPLACE_WITHHELD_TAX),
    (("Order", "Promotion", "Shipping"), C.PROMOTION),
    (("Order", "Promotion", "Principal"), C.PROMOTION),
    (("Refund", "ItemPrice", "Principal"), C.PRODUCT_SALES),
    (("Refund", "ItemFees", "Commission"), C.SELLING_FEE),
    (("Refund", "ItemFees", "RefundCommission"), C.SELLING_FEE),
    (("Chargeback Refund", "ItemPrice", "Principal"), C.PRODUCT_SALES),
    (("Chargeback Refund", "ItemFees", "RefundCommission"), C.SELLING_FEE),
    (("ServiceFee", "Cost of Advertising", "TransactionTotalAmount"), C.ADVERTISING),
    (("other-transaction", "other-transaction", "Subscription Fee"), C.SUBSCRIPTION),
    (("other-transaction", "other-transaction", "Shipping label purchase for return"),
     C.SHIPPING_LABEL),
    (("other-transaction", "other-transaction", "Current Reserve Amount"), C.RESERVE_HELD),
    (("other-transaction", "other-transaction", "Previous Reserve Amount Balance"),
     C.RESERVE_RELEASED),
    (("other-transaction", "other-transaction", "Payable to Amazon"), C.CARRIED_BALANCE),
    (("other-transaction", "other-transaction", "Successful charge"), C.CARD_CHARGE),
    (("other-transaction", "other-transaction", "Storage Fee"), C.STORAGE_FEE),
    (("other-transaction", "other-transaction", "FBA Long-Term Storage Fee"), C.STORAGE_FEE),
    (("other-transaction", "other-transaction", "Inbound Transportation Fee"), C.OTHER_FEE),
    (("other-transaction", "other-transaction", "Micro Deposit"), C.OTHER_FEE),
    (("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE"),
     C.REIMBURSEMENT),
    (("other-transaction", "FBA Inventory Reimbursement", "REVERSAL_REIMBURSEMENT"),
     C.REIMBURSEMENT),
    (("other-transaction", "other-transaction", "SAFE-T Reimbursement"), C.REIMBURSEMENT),
    (("other-transaction", "other-transaction", "Rücklage"), C.RESERVE_HELD),
    (("other-transaction", "other-transaction", "Früherer Rücklagensaldo"),
     C.RESERVE_RELEASED),
    (("other-transaction", "other-transaction", "Abonnement"), C.SUBSCRIPTION),
    (("other-transaction", "other-transaction", "Fehlgeschlagene Belastung"), C.CARD_CHARGE),
    (("other-transaction", "other-transaction", "„Versand durch Amazon“-Lagergebühr"),
     C.STORAGE_FEE),
    (("other-transaction", "other-transaction",
      "Gebühr für eingehenden „Versand durch Amazon“-Transport"), C.OTHER_FEE),
    (("Order", "Cost of Advertising", "x"), C.ADVERTISING),
    (("Lightning Deal Fee", "LightningDealFee", ""), C.ADVERTISING),
    (("Vine Enrollment Fee", "Vine Enrollment Fee", ""), C.ADVERTISING),
    (("CouponRedemptionFee", "CouponRedemptionFee", ""), C.ADVERTISING),
    (("Order", "ItemPrice", "RestockingFee"), C.PRODUCT_SALES),
    # V1 rows in V2 shape (settlement_v1.py)
    (("Order", "ShipmentFees", "FBA transportation fee"), C.OTHER_FEE),
    (("ServiceFee", "Cost of Advertising", "TaxAmount"), C.ADVERTISING),
    (("ServiceFee", "Cost of Advertising", "BaseAmount"), C.ADVERTISING),
    (("Order", "OrderFees", "FBAPerOrderFulfillmentFee"), C.FBA_FEE),
    (("Order", "MiscFees", ""), C.OTHER_FEE),
    # Date Range EN
    (("Order", "product sales", "Some product title"), C.PRODUCT_SALES),
    (("Order", "product sales tax", "t"), C.PRODUCT_TAX),
    (("Order", "sales tax collected", "t"), C.PRODUCT_TAX),
    (("Order", "shipping credits", "t"), C.SHIPPING),
    (("Order", "shipping credits tax", "t"), C.SHIPPING_TAX),
    (("Order", "gift wrap credits", "t"), C.GIFT_WRAP),
    (("Order", "giftwrap credits tax", "t"), C.GIFT_WRAP_TAX),
    (("Order", "promotional rebates", "t"), C.PROMOTION),
    (("Order", "marketplace withheld tax", "t"), C.MARKETPLACE_WITHHELD_TAX),
    (("Order", "marketplace facilitator tax", "t"), C.MARKETPLACE_WITHHELD_TAX),
    (("Order", "selling fees", "t"), C.SELLING_FEE),
    (("Order", "fba fees", "t"), C.FBA_FEE),
    (("Order", "other transaction fees", "t"), C.OTHER_FEE),
    (("Refund", "product sales", "t"), C.PRODUCT_SALES),
    (("Liquidations", "selling fees", "t"), C.SELLING_FEE),
    (("Transfer", "other", "To account ending in: 123"), C.PAYOUT),
    (("Service Fee", "other transaction fees", "Cost of Advertising"), C.ADVERTISING),
    (("Service Fee", "other", "Subscription Fee"), C.SUBSCRIPTION),
    (("FBA Inventory Fee", "other", "FBA storage fee"), C.STORAGE_FEE),
    (("FBA Inventory Fee", "other", "FBA Long-Term Storage Fee"), C.STORAGE_FEE),
    (("FBA Inventory Fee", "other", "FBA Inbound Placement Service Fee"), C.OTHER_FEE),
    (("Adjustment", "other", "FBA Inventory Reimbursement - Customer Return"),
     C.REIMBURSEMENT),
    # Date Range DE (types in German, columns as canonical keys)
    (("Bestellung", "product sales", "Titel"), C.PRODUCT_SALES),
    (("Bestellung_Wiedereinzug", "selling fees", "Titel"), C.SELLING_FEE),
    (("Erstattung", "product sales", "Titel"), C.PRODUCT_SALES),
    (("Erstattung_Wiedereinzug", "fba fees", "Titel"), C.FBA_FEE),
    (("Erstattung durch Rückbuchung", "product sales", "Titel"), C.PRODUCT_SALES),
    (("Servicegebühr", "other", "Werbekosten"), C.ADVERTISING),
    (("Servicegebühr", "other transaction fees", "Abonnementgebühr"), C.SUBSCRIPTION),
    (("Übertrag", "other", "An Konto mit der Endung: 123"), C.PAYOUT),
    (("Anpassung", "other",
      "Versand durch Amazon Erstattung für Lagerbestand -  Allgemeine Anpassung"),
     C.REIMBURSEMENT),
    (("Versand durch Amazon Lagergebühr", "other", "Lagergebühr"), C.STORAGE_FEE),
    (("Versand durch Amazon Lagergebühr", "other",
      "Frachtkosten für den Transport zum Amazon-Versandzentrum"), C.OTHER_FEE),
    (("Versand durch Amazon Lagergebühr", "other",
      "Gebühr für die Teilnahme am Amazon Transportpartner-Programm"), C.OTHER_FEE),
    (("Transaktionsgebühren für Versand durch Amazon", "other", "x"), C.FBA_FEE),
    # VAT Transactions Report
    (("SALE", "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL", "oss"), C.PRODUCT_SALES),
    (("REFUND", "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL", "domestic"), C.PRODUCT_SALES),
    (("RETURN", "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL", "not_taxable"), C.STOCK_MOVEMENT),
    (("FC_TRANSFER", "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL", "not_taxable"), C.STOCK_MOVEMENT),
    (("INBOUND", "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL", "not_taxable"), C.STOCK_MOVEMENT),
]


@pytest.mark.parametrize(("key", "expected"), CASES, ids=[" / ".join(k) for k, _ in CASES])
def test_default_rules(key, expected):
    assert classify(*key) is expected


def test_matching_ignores_case_and_surrounding_whitespace():
    assert classify("  order ", "ITEMPRICE", "principal\t") is C.PRODUCT_SALES
    assert classify("OTHER-TRANSACTION", "Other-Transaction", " current reserve amount ") \
        is C.RESERVE_HELD


def test_unknown_combination_is_unmapped():
    assert classify("Brand New", "Thing", "Nobody Knows") is C.UNMAPPED
    assert classify("", "", "") is C.UNMAPPED


def test_overrides_win_and_accept_strings_and_wildcards():
    overrides = {("Order", "ItemPrice", "Principal"): "other_fee",
                 ("Brand New", "*", "*"): C.ADVERTISING}
    assert classify("Order", "ItemPrice", "Principal", overrides) is C.OTHER_FEE
    assert classify("brand new", "x", "y", overrides) is C.ADVERTISING
    assert classify("Order", "ItemPrice", "Tax", overrides) is C.PRODUCT_TAX


def test_rules_are_well_formed():
    assert all(len(key) == 3 and isinstance(value, C) for key, value in DEFAULT_RULES.items())
    assert C.UNMAPPED not in DEFAULT_RULES.values()


def test_classifier_caches_per_instance():
    classifier = Classifier({("a", "b", "c"): C.PAYOUT})
    assert classifier("a", "b", "c") is C.PAYOUT
    assert classifier("a", "b", "c") is C.PAYOUT
    assert Classifier()("a", "b", "c") is C.UNMAPPED
