"""The DATEV export settings, and turning the settings form's raw strings into them.

`validate_settings` is the only way the web layer should build a `DatevSettings` from
user input: it checks every field and answers with `N_` templates (see messages.py) per
field, so the form can show each error next to its input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.datev import messages as m

Chart = Literal["skr03", "skr04"]
Granularity = Literal["daily", "order"]
RevenueSource = Literal["settlement", "vat_report"]
DeemedFromHome = Literal["export", "not_taxable"]
Verbringen = Literal["list", "book"]

LABEL_PLACEHOLDERS = ("marketplace", "period", "key", "kind")
LABEL_LIMIT = 30
# The longest values a label placeholder realistically takes, to check a pattern once.
LABEL_EXAMPLE = {"marketplace": "DE", "period": "2024-03", "key": "12345678901", "kind": "Payout"}

TAX_KEY_RE = re.compile(r"^\d{1,4}$")
# DATEV's Kurs: foreign units per 1 EUR, up to four integer digits and six decimals
# (docs/tax-rules.md §7: a rate below 1, such as GBP 0,85, is written "0,85").
RATE_MIN = Decimal("0.000001")
RATE_MAX = Decimal("9999.999999")


@dataclass(frozen=True)
class DatevSettings:
    beraternummer: int = 1001
    mandantennummer: int = 1
    fiscal_year_start_month: int = 1  # the fiscal year always starts on day 1
    account_length: int = 4
    chart: Chart = "skr03"
    diktatkuerzel: str = "AM"
    label_pattern: str = "Amazon {marketplace} {period}"
    granularity: Granularity = "daily"
    # Amazon invoices fees from Luxembourg (reverse charge, 94) until this day and with
    # German VAT (9) from it on, for sellers established in Germany.
    fee_vat_regime_switch: date = date(2024, 8, 1)
    fee_tax_key_before: str = "94"
    fee_tax_key_after: str = "9"
    revenue_source: RevenueSource = "settlement"
    split_months: bool = True  # batches are always split at year ends regardless
    timezone: str = "Europe/Berlin"
    # Foreign currency units per 1 EUR, as DATEV's Kurs column wants it.
    exchange_rates: Mapping[str, Decimal] = field(default_factory=dict)
    # docs/tax-rules.md §3 settings: deemed-supplier sales leaving Germany, Verbringen.
    deemed_from_home: DeemedFromHome = "export"
    verbringen: Verbringen = "list"

    def __post_init__(self) -> None:
        # A read-only copy, so a frozen settings object cannot change behind a batch.
        rates = MappingProxyType(dict(sorted(self.exchange_rates.items())))
        object.__setattr__(self, "exchange_rates", rates)

    def fee_tax_key(self, day: date) -> str:
        return self.fee_tax_key_after if day >= self.fee_vat_regime_switch else self.fee_tax_key_before

    def rate_for(self, currency: str) -> Decimal | None:
        return self.exchange_rates.get(currency)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def render_label(self, **values: str) -> str:
        return self.label_pattern.format(**values)[:LABEL_LIMIT]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able values (dates ISO, decimals as strings) for storage."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, date):
                value = value.isoformat()
            elif f.name == "exchange_rates":
                value = {cur: str(rate) for cur, rate in value.items()}
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> DatevSettings:
        """Inverse of `to_dict`; raises ValueError for stored data that no longer fits."""
        settings, errors = validate_settings(to_form(data))
        if settings is None:
            raise ValueError(f"stored DATEV settings are invalid: {sorted(errors)}")
        return settings


def to_form(data: Mapping[str, object] | DatevSettings) -> dict[str, str]:
    """Settings (or their stored dict) as the raw strings the settings form shows."""
    if isinstance(data, DatevSettings):
        data = data.to_dict()
    form: dict[str, str] = {}
    for key, value in data.items():
        if key == "fee_vat_regime_switch" and isinstance(value, str):
            day = parse_day(value)
            form[key] = day.strftime("%d.%m.%Y") if day else value  # TT.MM.JJJJ, as typed
        elif key == "exchange_rates" and isinstance(value, Mapping):
            form[key] = "\n".join(f"{cur}={rate}" for cur, rate in value.items())
        elif isinstance(value, bool):
            form[key] = "true" if value else "false"
        else:
            form[key] = str(value)
    return form


def validate_settings(
    values: Mapping[str, str],
) -> tuple[DatevSettings | None, dict[str, str]]:
    """Parse the settings form's raw strings; keys that are missing keep their defaults.

    Returns `(settings, {})`, or `(None, {field: template})` with one `N_` English
    template per wrong field (no placeholders, translate and show it next to the input).
    A checkbox such as `split_months` must be sent as "true"/"false" — an absent key
    means "keep the default", not "off".
    """
    parsed, errors = _parse(values)
    if errors:
        return None, errors
    return DatevSettings(**parsed), {}


def _parse(values: Mapping[str, str]) -> tuple[dict[str, object], dict[str, str]]:
    parsed: dict[str, object] = {}
    errors: dict[str, str] = {}

    def raw(name: str) -> str | None:
        value = values.get(name)
        return None if value is None else str(value).strip()

    def integer(name: str, low: int, high: int, template: str) -> None:
        text = raw(name)
        if text is None:
            return
        if re.fullmatch(r"\d{1,9}", text) and low <= int(text) <= high:
            parsed[name] = int(text)
        else:
            errors[name] = template

    def choice(name: str, allowed: tuple[str, ...], template: str) -> None:
        text = raw(name)
        if text is None:
            return
        if text.lower() in allowed:
            parsed[name] = text.lower()
        else:
            errors[name] = template

    integer("beraternummer", 1001, 9_999_999, m.BERATERNUMMER)
    integer("mandantennummer", 1, 99_999, m.MANDANTENNUMMER)
    integer("fiscal_year_start_month", 1, 12, m.FISCAL_YEAR_START_MONTH)
    integer("account_length", 4, 8, m.ACCOUNT_LENGTH)
    choice("chart", ("skr03", "skr04"), m.CHART)
    choice("granularity", ("daily", "order"), m.GRANULARITY)
    choice("revenue_source", ("settlement", "vat_report"), m.REVENUE_SOURCE)
    choice("deemed_from_home", ("export", "not_taxable"), m.DEEMED_FROM_HOME)
    choice("verbringen", ("list", "book"), m.VERBRINGEN_SETTING)

    if (text := raw("diktatkuerzel")) is not None:
        if re.fullmatch(r"[A-Z]{2}|", text):
            parsed["diktatkuerzel"] = text
        else:
            errors["diktatkuerzel"] = m.DIKTATKUERZEL

    if (text := raw("label_pattern")) is not None:
        error = _check_label_pattern(text)
        if error:
            errors["label_pattern"] = error
        else:
            parsed["label_pattern"] = text

    if (text := raw("fee_vat_regime_switch")) is not None:
        day = parse_day(text)
        if day is None:
            errors["fee_vat_regime_switch"] = m.DATE_FORMAT
        else:
            parsed["fee_vat_regime_switch"] = day

    for name in ("fee_tax_key_before", "fee_tax_key_after"):
        if (text := raw(name)) is not None:
            if TAX_KEY_RE.fullmatch(text):
                parsed[name] = text
            else:
                errors[name] = m.TAX_KEY

    if (text := raw("split_months")) is not None:
        flag = text.lower()
        if flag in ("1", "true", "yes", "on"):
            parsed["split_months"] = True
        elif flag in ("0", "false", "no", "off", ""):
            parsed["split_months"] = False
        else:
            errors["split_months"] = m.YES_NO

    if (text := raw("timezone")) is not None:
        try:
            if not text or text.startswith(("/", ".")):
                raise ZoneInfoNotFoundError(text)
            ZoneInfo(text)
            parsed["timezone"] = text
        except (ZoneInfoNotFoundError, ValueError):
            errors["timezone"] = m.TIMEZONE

    if (text := raw("exchange_rates")) is not None:
        rates, error = _parse_rates(text)
        if error:
            errors["exchange_rates"] = error
        else:
            parsed["exchange_rates"] = rates

    return parsed, errors


def parse_day(text: str) -> date | None:
    """A date typed as TT.MM.JJJJ (German) or YYYY-MM-DD; None if it is neither."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        found = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return None
    return None


def _check_label_pattern(pattern: str) -> str | None:
    names = re.findall(r"{([^{}]*)}", pattern)
    if any(name not in LABEL_PLACEHOLDERS for name in names):
        return m.LABEL_PATTERN_PLACEHOLDER
    try:
        example = pattern.format(**LABEL_EXAMPLE)
    except (ValueError, IndexError, KeyError):
        return m.LABEL_PATTERN_PLACEHOLDER
    if len(example) > LABEL_LIMIT:
        return m.LABEL_PATTERN_LENGTH
    return None


def _parse_rates(text: str) -> tuple[dict[str, Decimal], str | None]:
    """Rates as foreign units per 1 EUR: "GBP=0.85", "GBP 0,85", "1 EUR = 0.85 GBP".

    "1 GBP = 1.17 EUR" (the other direction) is accepted too and turned round, to six
    decimals as DATEV's Kurs takes them.
    """
    rates: dict[str, Decimal] = {}
    number = r"([0-9]+(?:[.,][0-9]+)?)"
    for raw_line in re.split(r"[\n;]", text):
        line = raw_line.strip()
        if not line:
            continue
        invert = False
        if found := re.fullmatch(rf"1\s*EUR\s*=\s*{number}\s*([A-Za-z]{{3}})", line, re.I):
            amount, currency = found.group(1), found.group(2)
        elif found := re.fullmatch(rf"1\s*([A-Za-z]{{3}})\s*=\s*{number}\s*EUR", line, re.I):
            currency, amount, invert = found.group(1), found.group(2), True
        elif found := re.fullmatch(rf"([^\s=:]+)\s*[=:\s]\s*{number}", line):
            currency, amount = found.group(1), found.group(2)
        else:
            return {}, m.EXCHANGE_RATE_LINE
        currency = currency.upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            return {}, m.EXCHANGE_RATE_CURRENCY
        if currency == "EUR":
            return {}, m.EXCHANGE_RATE_EUR
        try:
            rate = Decimal(amount.replace(",", "."))
            if invert and rate:
                rate = (1 / rate).quantize(Decimal("0.000001"))
        except InvalidOperation:
            return {}, m.EXCHANGE_RATE_LINE
        exponent = rate.as_tuple().exponent
        if (
            not rate.is_finite()
            or not RATE_MIN <= rate <= RATE_MAX
            or (isinstance(exponent, int) and exponent < -6)
        ):
            return {}, m.EXCHANGE_RATE_RANGE
        rates[currency] = rate
    return rates, None
