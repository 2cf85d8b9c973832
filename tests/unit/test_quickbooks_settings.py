"""QuickBooks settings: defaults, validation per field, per-marketplace values, storage."""

from __future__ import annotations

import pytest

from core.quickbooks import messages as m
from core.quickbooks.settings import QuickBooksSettings, to_form, validate


def test_defaults_round_trip_through_the_form_and_storage():
    s = QuickBooksSettings()
    assert s.customer == "Amazon Summary" and s.add_fees and s.item_mode == "sku"
    assert validate(to_form(s)) == (s, {})
    assert QuickBooksSettings.from_dict(s.to_dict()) == s


@pytest.mark.parametrize("field, value, template", [
    ("customer", "", m.NAME_EMPTY),
    ("customer", "x" * 42, m.NAME_TOO_LONG),
    ("account.product", "Income:" + "y" * 32, m.NAME_TOO_LONG),
    ("account.product", "Income::Sales", m.NAME_EMPTY),
    ("item.shipping", "=1+1", m.NAME_FORMULA),
    ("deposit_account", 'Bank "main"', m.NAME_CHARACTERS),
    ("taxable_code", "TAXX", m.TAX_CODE),
    ("item_mode", "each", m.ITEM_MODE),
    ("add_fees", "maybe", m.YES_NO),
])
def test_each_wrong_field_gets_its_message(field, value, template):
    settings, errors = validate({**to_form(QuickBooksSettings()), field: value})
    assert settings is None and errors == {field: template}


def test_sub_accounts_and_31_characters_per_level_are_fine():
    settings, errors = validate({"account.product": "Income:" + "y" * 31, "item.product": "z" * 31})
    assert errors == {} and settings.account("product").endswith("y" * 31)


def test_marketplace_values_override_only_that_marketplace():
    s = QuickBooksSettings(marketplaces={"amazon.co.uk": {"taxable_code": "S", "account.sales_tax": "VAT Control"}})
    uk = s.for_marketplace("Amazon.co.uk")
    assert (uk.taxable_code, uk.account("sales_tax")) == ("S", "VAT Control")
    assert s.for_marketplace("Amazon.com").taxable_code == "Tax"


def test_service_stores_marketplace_values_that_differ(app):
    from core.quickbooks import service

    assert service.save_settings({"customer": "Amazon Sales Summary"}) == {}
    assert service.save_settings({"taxable_code": "S", "customer": "Amazon Sales Summary"}, "Amazon.co.uk") == {}
    stored = service.load_settings()
    assert stored.customer == "Amazon Sales Summary"
    assert dict(stored.marketplaces["amazon.co.uk"]) == {"taxable_code": "S"}
    assert service.save_settings({"customer": ""}) == {"customer": m.NAME_EMPTY}
    assert service.load_settings().customer == "Amazon Sales Summary"  # nothing changed
    service.reset_marketplace("Amazon.co.uk")
    assert service.load_settings().marketplaces == {}
