"""Tax profiles per marketplace (docs/tax-rules.md §4): which defaults a settlement books by.

A settlement does not say where goods left from, so its revenue and fees book by the
marketplace's profile: `home` (amazon.de: the default rule table), `eu` (another EU
marketplace: revenue as an OSS distance sale from Germany) or `third_country` (revenue not
taxable in Germany, Amazon's fees reverse charge under § 13b Abs. 2 Nr. 1 UStG — never
German VAT). A profile the user has not confirmed is a default and is shown as one.

`default_profile(marketplace, day)` and `defaults_for(profile, chart, ...)` are the calls
other parts (SP-API marketplace discovery, the marketplace page) use.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType

from core.booking.rules import FEE_RULES
from core.booking.treatment import OSS_START, STANDARD_RATES, eu_member
from core.datev import accounts as acc
from core.datev.accounts import AccountRule, marketplace_key
from core.reports.model import Category

HOME, EU, THIRD_COUNTRY = "home", "eu", "third_country"
PROFILES = (HOME, EU, THIRD_COUNTRY)
HOME_COUNTRY = "DE"

# Domains whose last label is not the country code of the marketplace.
_COUNTRIES = {"amazon.com": "US", "amazon.co.uk": "GB", "amazon.co.jp": "JP",
              "amazon.co.za": "ZA", "amazon.com.be": "BE", "amazon.com.tr": "TR",
              "amazon.com.mx": "MX", "amazon.com.br": "BR", "amazon.com.au": "AU"}

REVENUE_RULES = (Category.PRODUCT_SALES, Category.SHIPPING, Category.GIFT_WRAP, Category.PROMOTION,
                 acc.REFUND)
# (SKR03, SKR04): "Leistungen eines im Ausland ansässigen Unternehmers 19 % VSt und 19 %
# USt" (automatic): § 13b Abs. 2 Nr. 1 UStG, UStVA Kz 84/85 and input tax Kz 67.
REVERSE_CHARGE_ABROAD = ("3125", "5925")
NOT_TAXABLE_THIRD = ("8338", "4338")
OSS_ACCOUNT = ("8320", "4320")


def marketplace_country(marketplace: str) -> str:
    """ "Amazon.co.uk" → "GB", "amazon.fr" → "FR"; "" when the name says no country."""
    key = marketplace_key(marketplace)
    if key in _COUNTRIES:
        return _COUNTRIES[key]
    last = key.rsplit(".", 1)[-1]
    return last.upper() if key.startswith("amazon.") and len(last) == 2 else ""


def default_profile(marketplace: str, day: date | None = None) -> str:
    """The profile a marketplace gets until the user confirms one.

    The empty name (the default rule set, fee rows without a marketplace) is home. A
    marketplace whose country is unknown is treated as a third country, so it is never
    booked with German VAT by default.
    """
    if not marketplace_key(marketplace):
        return HOME
    country = marketplace_country(marketplace)
    if country == HOME_COUNTRY:
        return HOME
    if country and eu_member(country, day or date.today()):
        return EU
    return THIRD_COUNTRY


def defaults_for(profile: str, chart: str, marketplace: str = "",
                 day: date | None = None) -> dict[str, AccountRule]:
    """The rules a profile sets over the default table (empty for home)."""
    return dict(profile_rules(profile, chart, marketplace, day))


def profile_rules(profile: str, chart: str, marketplace: str = "",
                  day: date | None = None) -> Mapping[str, AccountRule]:
    """`defaults_for` without the copy, for the booking loop (cached, read-only)."""
    oss = (day or date.today()) >= OSS_START
    return _defaults(profile, chart, marketplace_key(marketplace), oss)


@lru_cache(maxsize=256)
def _defaults(profile: str, chart: str, marketplace: str, oss: bool) -> Mapping[str, AccountRule]:
    return MappingProxyType(_build(profile, chart, marketplace, oss))


def _build(profile: str, chart: str, marketplace: str, oss: bool) -> dict[str, AccountRule]:
    column = 0 if chart == "skr03" else 1
    if profile == THIRD_COUNTRY:
        base = acc.default_rules(chart)
        revenue = AccountRule(
            NOT_TAXABLE_THIRD[column], "", "{marketplace} Umsatz nicht steuerbar",
            "{marketplace} Erstattung nicht steuerbar")
        rules = {key: revenue for key in REVENUE_RULES}  # deemed supplier: 8338 already
        for key in FEE_RULES:
            rules[key] = AccountRule(REVERSE_CHARGE_ABROAD[column], "", base[key].text)
        return rules
    if profile == EU:
        country = marketplace_country(marketplace)
        rate = STANDARD_RATES.get(country)
        rule = AccountRule(
            OSS_ACCOUNT[column], "240" if oss and rate else "",
            "{marketplace} Umsatz OSS {country} {rate} %",
            "{marketplace} Erstattung OSS {country} {rate} %",
            eu_country=country if rate else "", eu_rate=rate.quantize(Decimal("0.01"))
            if rate else None)
        return {key: rule for key in REVENUE_RULES}
    return {}


def describe(profile: str, chart: str, marketplace: str = "",
             day: date | None = None) -> dict[str, str]:
    """The accounts a profile books revenue and fees on, for the page and the CLI."""
    rules = acc.default_rules(chart) | defaults_for(profile, chart, marketplace, day)
    revenue, fee = rules[Category.PRODUCT_SALES], rules[Category.SELLING_FEE]
    fee_key = "94/9" if fee.tax_key is None else fee.tax_key or "—"
    return {"profile": profile, "revenue_account": revenue.account,
            "revenue_key": revenue.tax_key or "—", "fee_account": fee.account,
            "fee_key": fee_key}
