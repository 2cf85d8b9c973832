"""Default account sets, per-marketplace overrides, storage round trip and checks."""

from __future__ import annotations

from decimal import Decimal

from core.datev import accounts as acc
from core.datev import messages as m
from core.datev.accounts import (
    AccountRule,
    AccountSet,
    check_account_set,
    default_account_set,
    is_automatic,
    render_text,
    sha256_json,
)
from core.reports.model import Category


def test_defaults_follow_docs_datev() -> None:
    skr03, skr04 = default_account_set("skr03"), default_account_set("skr04")
    expected = {
        acc.CLEARING: ("1210", "1810"), Category.PAYOUT: ("1360", "1460"),
        Category.RESERVE_HELD: ("1500", "1300"), acc.DEBTOR: ("10000", "10000"),
        acc.OSS: ("8320", "4320"), acc.INTRA_EU_B2B: ("8125", "4125"),
        acc.EXPORT: ("8120", "4120"), acc.DOMESTIC_19: ("8400", "4400"),
        acc.DOMESTIC_7: ("8300", "4300"), Category.REIMBURSEMENT: ("2742", "4970"),
        Category.SELLING_FEE: ("4760", "6770"), Category.ADVERTISING: ("4600", "6600"),
        acc.DEEMED_SUPPLIER: ("8338", "4338"), Category.UNMAPPED: ("1590", "1370"),
    }
    for key, (a03, a04) in expected.items():
        assert skr03.rule(key).account == a03, key
        assert skr04.rule(key).account == a04, key
    assert skr03.rule(Category.SELLING_FEE).tax_key is None  # from the fee regime
    assert check_account_set(skr03) == [] and check_account_set(skr04) == []


def test_automatic_accounts() -> None:
    for account in ("8400", "8300", "8125", "8120", "8338", "8720", "3123"):
        assert is_automatic(account, "skr03")
    for account in ("4400", "4125", "4720", "5923"):
        assert is_automatic(account, "skr04")
    assert not is_automatic("8320", "skr03") and not is_automatic("4320", "skr04")
    assert not is_automatic("4760", "skr03")
    assert is_automatic("84000", "skr03", 5) and not is_automatic("84001", "skr03", 5)


def test_longer_account_length_pads_defaults() -> None:
    accounts = default_account_set("skr03", account_length=6)
    assert accounts.rule(acc.CLEARING).account == "121000"
    assert accounts.rule(acc.DEBTOR).account == "1000000"
    assert check_account_set(accounts, account_length=6) == []


def test_marketplace_overrides_fall_back_to_default() -> None:
    fr = AccountRule("8320", "240", "{marketplace} Umsatz OSS", eu_country="FR",
                     eu_rate=Decimal("20.00"))
    accounts = default_account_set().with_rule(Category.PRODUCT_SALES, fr, marketplace="Amazon.fr")
    assert accounts.rule(Category.PRODUCT_SALES, "amazon.fr") == fr
    assert accounts.rule(Category.PRODUCT_SALES, "Amazon.de").account == "8400"
    assert accounts.rule(Category.SELLING_FEE, "Amazon.fr").account == "4760"


def test_round_trip_and_stable_fingerprint() -> None:
    accounts = default_account_set().with_rule(
        acc.CLEARING, AccountRule("1211", "", "Amazon FR"), marketplace="amazon.fr"
    )
    stored = accounts.to_dict()
    again = AccountSet.from_dict(stored)
    assert again == accounts
    assert sha256_json(again.to_dict()) == sha256_json(accounts.to_dict())
    assert sha256_json(accounts.to_dict()) != sha256_json(default_account_set().to_dict())
    assert len(sha256_json(accounts.to_dict())) == 64


def test_from_dict_fills_rules_added_later() -> None:
    stored = default_account_set().to_dict()
    del stored["default"][acc.OSS]  # type: ignore[index]
    assert AccountSet.from_dict(stored).rule(acc.OSS).account == "8320"


def test_check_reports_broken_rules() -> None:
    accounts = (
        default_account_set()
        .with_rule(Category.PRODUCT_SALES, AccountRule("8400", "3", "x"))
        .with_rule(Category.SELLING_FEE, AccountRule("476", "94", "x"))
        .with_rule(Category.PROMOTION, AccountRule("8720", "", "{shop}"))
        .with_rule(Category.ADVERTISING, AccountRule("4600", "9x", "x"))
        .with_rule(Category.SHIPPING, AccountRule("8320", "240", "x"))
        .with_rule(acc.REFUND, AccountRule("8400", "", "a" * 61))
    )
    found = {(p.rule, p.template) for p in check_account_set(accounts)}
    assert found == {
        (Category.PRODUCT_SALES, m.ACCOUNT_TAX_KEY_AUTOMATIC),
        (Category.SELLING_FEE, m.ACCOUNT_DIGITS),
        (Category.PROMOTION, m.ACCOUNT_TEXT_PLACEHOLDER),
        (Category.ADVERTISING, m.ACCOUNT_TAX_KEY_FORMAT),
        (Category.SHIPPING, m.ACCOUNT_OSS_FIELDS),
        (acc.REFUND, m.ACCOUNT_TEXT_LENGTH),
    }


def test_render_text() -> None:
    assert render_text("{marketplace} Umsatz", "Amazon.de") == "Amazon.de Umsatz"
    assert render_text("{marketplace} OSS {country} {rate} %", "Amazon.de", "FR",
                       Decimal("20.00")) == "Amazon.de OSS FR 20 %"
    assert render_text("x {rate} %", "", "", Decimal("5.50")) == "x 5,5 %"


def test_render_text_without_a_rate_drops_the_percent() -> None:
    assert render_text("{marketplace} Umsatz {country} {rate} %", "Amazon.it", "IT") == (
        "Amazon.it Umsatz IT")


def test_from_dict_fills_missing_rules_with_the_configured_account_length() -> None:
    stored = default_account_set("skr03", 6).to_dict()
    del stored["default"][acc.OSS]  # type: ignore[index]
    accounts = AccountSet.from_dict(stored, 6)
    assert accounts.rule(acc.OSS).account == "832000"
    assert check_account_set(accounts, 6) == []


def test_only_rules_that_differ_from_the_defaults_are_stored() -> None:
    changed = AccountRule("4610", None, "Werbung")
    accounts = default_account_set("skr04", 5).with_rule(Category.ADVERTISING, changed)
    stored = accounts.overrides_dict(5)
    assert list(stored["default"]) == [Category.ADVERTISING]  # type: ignore[arg-type]
    assert AccountSet.from_dict(stored, 5) == accounts
