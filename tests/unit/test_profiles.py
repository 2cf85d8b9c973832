"""Tax profiles per marketplace (docs/tax-rules.md §4) and foreign-currency settlements."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.booking.payout import build_payout
from core.booking.profiles import (
    EU,
    HOME,
    THIRD_COUNTRY,
    default_profile,
    defaults_for,
    describe,
)
from core.datev.accounts import default_account_set
from core.datev.batch import check_balanced
from core.datev.settings import DatevSettings
from core.datev.validate import validate
from core.reports.model import Category
from tests.unit.test_booking_helpers import CREATED_AT, line, settlement

D = Decimal
GERMAN_VAT_KEYS = {"2", "3", "8", "9"}
GERMAN_VAT_REVENUE = {"8400", "8300", "4400", "4300", "8315", "8310", "4315", "4310"}


@pytest.mark.parametrize("marketplace,day,profile", [
    ("Amazon.de", None, HOME), ("", None, HOME), ("amazon.fr", None, EU),
    ("Amazon.com.be", None, EU), ("amazon.pl", None, EU), ("Amazon.co.uk", date(2020, 12, 31), EU),
    ("Amazon.co.uk", date(2021, 1, 1), THIRD_COUNTRY), ("Amazon.ca", None, THIRD_COUNTRY),
    ("Amazon.com", None, THIRD_COUNTRY), ("amazon.co.jp", None, THIRD_COUNTRY),
    ("amazon.com.mx", None, THIRD_COUNTRY), ("amazon.com.br", None, THIRD_COUNTRY),
    ("amazon.com.au", None, THIRD_COUNTRY), ("amazon.ae", None, THIRD_COUNTRY),
    ("amazon.sa", None, THIRD_COUNTRY), ("amazon.in", None, THIRD_COUNTRY),
    ("amazon.sg", None, THIRD_COUNTRY), ("amazon.com.tr", None, THIRD_COUNTRY),
    ("Non-Amazon", None, THIRD_COUNTRY),
])
def test_default_profile(marketplace: str, day: date | None, profile: str) -> None:
    assert default_profile(marketplace, day) == profile


def test_profile_defaults_per_chart() -> None:
    assert defaults_for(HOME, "skr03") == {}
    third = defaults_for(THIRD_COUNTRY, "skr04")
    assert (third["product_sales"].account, third["product_sales"].tax_key) == ("4338", "")
    assert (third["selling_fee"].account, third["selling_fee"].tax_key) == ("5925", "")
    assert third["advertising"].account == "5925"
    fr = defaults_for(EU, "skr03", "amazon.fr", date(2024, 5, 1))["product_sales"]
    assert (fr.account, fr.tax_key, fr.eu_country, fr.eu_rate) == ("8320", "240", "FR", D("20.00"))
    # Before the OSS there is no key 240.
    assert defaults_for(EU, "skr03", "amazon.fr", date(2021, 6, 1))["product_sales"].tax_key == ""
    assert describe(THIRD_COUNTRY, "skr03")["fee_account"] == "3125"


def ca_settlement():  # type: ignore[no-untyped-def]
    """An Amazon.ca settlement in CAD (own fixture, shaped like the real CA files)."""
    posted = datetime(2024, 5, 6, 15, 0, tzinfo=UTC)
    rows = [
        ("Order", "ItemPrice", "Principal", "49.99", Category.PRODUCT_SALES),
        ("Order", "ItemPrice", "Shipping", "5.49", Category.SHIPPING),
        ("Order", "ItemPrice", "Tax", "7.21", Category.PRODUCT_TAX),
        ("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "-7.21",
         Category.MARKETPLACE_WITHHELD_TAX),
        ("Order", "ItemFees", "Commission", "-7.50", Category.SELLING_FEE),
        ("Order", "ItemFees", "FBAPerUnitFulfillmentFee", "-6.13", Category.FBA_FEE),
        ("Refund", "ItemPrice", "Principal", "-19.99", Category.PRODUCT_SALES),
        ("Refund", "ItemFees", "Commission", "3.00", Category.SELLING_FEE),
        ("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", "-12.34",
         Category.ADVERTISING),
        ("Subscription Fee", "other-transaction", "Subscription Fee", "-29.99",
         Category.SUBSCRIPTION),
    ]
    lines = [line(amount, category, posted=posted, transaction_type=tt, amount_type=at,
                  description=desc, marketplace="" if tt in ("ServiceFee", "Subscription Fee")
                  else "Amazon.ca", order_id="702-0000000-0000001", currency="CAD")
             for tt, at, desc, amount, category in rows]
    # Real CA files also name "Non-Amazon CA" (multi-channel orders): the ads and the
    # subscription without a marketplace still follow the settlement's Amazon.ca profile.
    lines.append(line("10.00", Category.PRODUCT_SALES, posted=posted, marketplace="Non-Amazon CA",
                      order_id="702-0000000-0000002", currency="CAD"))
    return settlement(lines, key="98765", currency="CAD",
                      marketplaces=["Amazon.ca", "Non-Amazon CA"],
                      deposit=datetime(2024, 5, 20, 8, 0, tzinfo=UTC))


@pytest.mark.parametrize("chart", ["skr03", "skr04"])
def test_amazon_ca_settlement_has_no_german_vat(chart: str) -> None:
    settings = DatevSettings(chart=chart, exchange_rates={"CAD": D("1.4713")})
    files = build_payout(ca_settlement(), settings, default_account_set(chart))
    bookings = [b for f in files for b in f.bookings]
    assert bookings and all(validate(f.to_bytes(CREATED_AT)) == [] for f in files)
    assert not [b for b in bookings if b.tax_key in GERMAN_VAT_KEYS or b.tax_key == "94"]
    assert not [b for b in bookings if b.contra_account in GERMAN_VAT_REVENUE]
    fees = {b.contra_account for b in bookings if b.rule in (
        "selling_fee", "fba_fee", "advertising", "subscription")}
    assert fees == {"3125" if chart == "skr03" else "5925"}
    clearing = "1210" if chart == "skr03" else "1810"
    assert check_balanced(files, clearing) == 0
    assert check_balanced(files, clearing, base=True) == 0  # the EUR side nets too
    assert all(b.base_amount is not None and b.rate == D("1.4713") for b in bookings)
    notices = [n for f in files for n in f.notices if n.code == "profile_default"]
    assert [n.params["marketplace"] for n in notices] == ["Amazon.ca", "Non-Amazon CA"]
    assert "please confirm" in notices[0].message()


def test_a_confirmed_profile_is_used_without_a_notice() -> None:
    accounts = default_account_set("skr03").with_profile("amazon.ca", HOME)
    files = build_payout(ca_settlement(), DatevSettings(), accounts)
    contras = {b.contra_account for f in files for b in f.bookings}
    assert "4760" in contras and "3125" not in contras  # the user's explicit choice wins
    assert [n.params["marketplace"] for f in files for n in f.notices
            if n.code == "profile_default"] == ["Non-Amazon CA"]


@pytest.mark.parametrize("seed", range(20))
def test_clearing_account_nets_in_eur_for_any_amounts_and_rate(seed: int) -> None:
    rnd = random.Random(seed)
    rate = D(rnd.choice(["0.85", "0.853917", "1.4713", "4.3012", "11.2", "160.5"]))
    lines = [line(D(rnd.randint(-9999, 9999)) / 100, rnd.choice(
        [Category.PRODUCT_SALES, Category.SELLING_FEE, Category.FBA_FEE, Category.ADVERTISING,
         Category.RESERVE_HELD]), marketplace="Amazon.co.uk", currency="GBP",
        posted=datetime(2024, 3, rnd.randint(1, 28), 12, tzinfo=UTC),
        order_id=f"{rnd.randint(0, 9)}") for _ in range(rnd.randint(1, 40))]
    report = settlement(lines, currency="GBP", marketplaces=["Amazon.co.uk"],
                        deposit=datetime(2024, 4, 2, tzinfo=UTC))
    files = build_payout(report, DatevSettings(exchange_rates={"GBP": rate}),
                         default_account_set())
    assert check_balanced(files, "1210") == 0
    assert check_balanced(files, "1210", base=True) == 0
    bookings = [b for f in files for b in f.bookings]
    assert all(b.base_amount for b in bookings)  # every booking carries its EUR amount
    for b in bookings:  # each within a cent (two for the one that takes tiny remainders)
        assert abs(b.base_amount - b.amount / rate) < D("0.02")
