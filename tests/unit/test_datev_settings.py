"""Settings form parsing: every field validated, defaults kept, errors as N_ templates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.datev import messages as m
from core.datev.settings import DatevSettings, to_form, validate_settings


def test_empty_form_gives_the_defaults() -> None:
    settings, errors = validate_settings({})
    assert errors == {}
    assert settings == DatevSettings()
    assert settings.chart == "skr03" and settings.fee_vat_regime_switch == date(2024, 8, 1)


def test_a_full_form_round_trips_through_to_form() -> None:
    form = {
        "beraternummer": "29098", "mandantennummer": "55003", "fiscal_year_start_month": "7",
        "account_length": "5", "chart": "SKR04", "diktatkuerzel": "WD",
        "label_pattern": "AMZ {marketplace} {period}", "granularity": "order",
        "fee_vat_regime_switch": "2024-09-01", "fee_tax_key_before": "94",
        "fee_tax_key_after": "9", "revenue_source": "vat_report", "split_months": "false",
        "timezone": "Europe/Vienna", "exchange_rates": "GBP=1.17\nPLN 4,30",
    }
    settings, errors = validate_settings(form)
    assert errors == {}
    assert settings is not None
    assert settings.chart == "skr04" and settings.account_length == 5
    assert settings.exchange_rates == {"GBP": Decimal("1.17"), "PLN": Decimal("4.30")}
    assert settings.split_months is False
    again, _ = validate_settings(to_form(settings))
    assert again == settings
    assert DatevSettings.from_dict(settings.to_dict()) == settings


@pytest.mark.parametrize(
    ("field", "value", "template"),
    [
        ("beraternummer", "1000", m.BERATERNUMMER),
        ("beraternummer", "10000000", m.BERATERNUMMER),
        ("beraternummer", "12a", m.BERATERNUMMER),
        ("mandantennummer", "0", m.MANDANTENNUMMER),
        ("mandantennummer", "100000", m.MANDANTENNUMMER),
        ("fiscal_year_start_month", "13", m.FISCAL_YEAR_START_MONTH),
        ("account_length", "3", m.ACCOUNT_LENGTH),
        ("account_length", "9", m.ACCOUNT_LENGTH),
        ("chart", "skr05", m.CHART),
        ("diktatkuerzel", "am", m.DIKTATKUERZEL),
        ("diktatkuerzel", "AMX", m.DIKTATKUERZEL),
        ("label_pattern", "Amazon {shop}", m.LABEL_PATTERN_PLACEHOLDER),
        ("label_pattern", "Amazon {0}", m.LABEL_PATTERN_PLACEHOLDER),
        ("label_pattern", "Amazon Verkäufe {marketplace} {period} {key}", m.LABEL_PATTERN_LENGTH),
        ("granularity", "weekly", m.GRANULARITY),
        ("fee_vat_regime_switch", "31.02.2024", m.DATE_FORMAT),
        ("fee_vat_regime_switch", "20240801", m.DATE_FORMAT),
        ("fee_tax_key_before", "9a", m.TAX_KEY),
        ("fee_tax_key_after", "12345", m.TAX_KEY),
        ("revenue_source", "both", m.REVENUE_SOURCE),
        ("split_months", "maybe", m.YES_NO),
        ("timezone", "Mars/Olympus", m.TIMEZONE),
        ("timezone", "../etc/passwd", m.TIMEZONE),
        ("exchange_rates", "GBP", m.EXCHANGE_RATE_LINE),
        ("exchange_rates", "POUND=1.2", m.EXCHANGE_RATE_CURRENCY),
        ("exchange_rates", "EUR=1", m.EXCHANGE_RATE_EUR),
        ("exchange_rates", "GBP=0", m.EXCHANGE_RATE_RANGE),
        ("exchange_rates", "1 GBP = 0.85 USD", m.EXCHANGE_RATE_LINE),
        ("exchange_rates", "GBP=1.1234567", m.EXCHANGE_RATE_RANGE),
        ("exchange_rates", "JPY=10000", m.EXCHANGE_RATE_RANGE),
    ],
)
def test_each_field_is_validated(field: str, value: str, template: str) -> None:
    settings, errors = validate_settings({field: value})
    assert settings is None
    assert errors == {field: template}


def test_all_errors_are_reported_at_once() -> None:
    _, errors = validate_settings({"beraternummer": "1", "chart": "x", "timezone": "Nowhere/X"})
    assert set(errors) == {"beraternummer", "chart", "timezone"}


def test_empty_diktatkuerzel_is_allowed_and_label_is_cut_to_30() -> None:
    settings, errors = validate_settings({"diktatkuerzel": "", "label_pattern": "{key}"})
    assert errors == {} and settings is not None
    assert settings.render_label(key="x" * 40) == "x" * 30


def test_fee_tax_key_switches_on_the_day() -> None:
    settings = DatevSettings()
    assert settings.fee_tax_key(date(2024, 7, 31)) == "94"
    assert settings.fee_tax_key(date(2024, 8, 1)) == "9"


def test_settings_are_immutable() -> None:
    settings = DatevSettings(exchange_rates={"GBP": Decimal("1.17")})
    with pytest.raises(TypeError):
        settings.exchange_rates["GBP"] = Decimal("2")  # type: ignore[index]


@pytest.mark.parametrize("text,rates", [
    ("GBP=0.85", {"GBP": Decimal("0.85")}),
    ("1 EUR = 0,85 GBP", {"GBP": Decimal("0.85")}),
    ("1 eur = 4.30 pln\nSEK 11,2", {"PLN": Decimal("4.30"), "SEK": Decimal("11.2")}),
    # The other direction is turned round: 1 GBP = 1.17 EUR → 0.854701 GBP per EUR.
    ("1 GBP = 1.17 EUR", {"GBP": Decimal("0.854701")}),
])
def test_exchange_rates_in_every_direction(text: str, rates: dict) -> None:  # type: ignore[type-arg]
    settings, errors = validate_settings({"exchange_rates": text})
    assert errors == {} and settings is not None
    assert dict(settings.exchange_rates) == rates


def test_dates_in_german_form_round_trip() -> None:
    from datetime import date

    settings, errors = validate_settings({"fee_vat_regime_switch": "1.8.2024"})
    assert errors == {} and settings is not None
    assert settings.fee_vat_regime_switch == date(2024, 8, 1)
    assert to_form(settings)["fee_vat_regime_switch"] == "01.08.2024"
    assert DatevSettings.from_dict(settings.to_dict()) == settings
