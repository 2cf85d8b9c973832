"""Account sets: which account, tax key and booking text each kind of Amazon money gets.

A rule key is a category name (product_sales, selling_fee, …) or one of the keys of its
own below (refund, deemed_supplier, clearing, debtor, the order-report tax treatments);
which line follows which rule is decided in core/booking/rules.py. The defaults and their
sources are in docs/datev.md; every rule can be overridden per marketplace and the set is
stored as JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from core.datev import messages as m
from core.message import Message

# -- rule keys of their own (the other keys are category names, see core/booking/rules.py) --
REFUND = "refund"  # revenue-side lines of a refund transaction
DEEMED_SUPPLIER = "deemed_supplier"  # Amazon collected and remits the VAT
CLEARING = "clearing"  # the Amazon balance, treated like a bank account
DEBTOR = "debtor"  # Amazon collective debtor (Amazon Order integration)
# Amazon Order (VAT Transactions Report) revenue per tax treatment.
DOMESTIC_19 = "domestic_19"
DOMESTIC_7 = "domestic_7"
OSS = "oss"
INTRA_EU_B2B = "intra_eu_b2b"
EXPORT = "export"
FOREIGN_DOMESTIC = "foreign_domestic"
EU_TAXED_HOME_19 = "eu_taxed_home_19"
EU_TAXED_HOME_7 = "eu_taxed_home_7"
THIRD_COUNTRY = "third_country"
VERBRINGEN_OUT = "verbringen_out"
VERBRINGEN_IN_19 = "verbringen_in_19"
VERBRINGEN_IN_7 = "verbringen_in_7"
VERBRINGEN_CLEARING = "verbringen_clearing"

TEXT_PLACEHOLDERS = ("marketplace", "country", "rate")
TEXT_LIMIT = 60


@dataclass(frozen=True)
class AccountRule:
    """Where one kind of money goes.

    `tax_key` None means "the fee regime decides by date" (94 before the switch, 9 after);
    "" means no key. The key belongs to this account (DATEV's Gegenkonto side). `text`
    may use {marketplace}, {country} and {rate}; `refund_text` is used for refunds booked
    through the same rule (order report, deemed-supplier orders) and falls back to `text`.
    `eu_country`/`eu_rate` fill DATEV's destination columns when the rule is an OSS
    account used from a settlement (e.g. amazon.fr revenue on 8320 with key 240).
    """

    account: str
    tax_key: str | None = ""
    text: str = ""
    refund_text: str = ""
    eu_country: str = ""
    eu_rate: Decimal | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "account": self.account,
            "tax_key": self.tax_key,
            "text": self.text,
            "refund_text": self.refund_text,
            "eu_country": self.eu_country,
            "eu_rate": None if self.eu_rate is None else f"{self.eu_rate:.2f}",
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> AccountRule:
        rate = data.get("eu_rate")
        tax_key = data.get("tax_key", "")
        return cls(
            account=str(data["account"]),
            tax_key=None if tax_key is None else str(tax_key),
            text=str(data.get("text", "")),
            refund_text=str(data.get("refund_text", "")),
            eu_country=str(data.get("eu_country", "")),
            eu_rate=None if rate in (None, "") else Decimal(str(rate)),
        )


def _r(account: str, text: str, tax_key: str | None = "", refund_text: str = "") -> AccountRule:
    return AccountRule(account=account, tax_key=tax_key, text=text, refund_text=refund_text)


FEE = None  # tax key from the fee regime setting

# (SKR03 account, SKR04 account, tax key, text, refund text) per rule.
_DEFAULTS: dict[str, tuple[str, str, str | None, str, str]] = {
    "product_sales": ("8400", "4400", "", "{marketplace} Umsatz", ""),
    "shipping": ("8400", "4400", "", "{marketplace} Umsatz", ""),
    "gift_wrap": ("8400", "4400", "", "{marketplace} Umsatz", ""),
    # Erlösschmälerungen 19 % (automatic): seller-funded coupons reduce revenue.
    "promotion": ("8720", "4720", "", "{marketplace} Aktionsrabatte", ""),
    # Same automatic revenue account, on the H side (docs/datev.md#accounts).
    REFUND: ("8400", "4400", "", "{marketplace} Erstattung", ""),
    # "Erlöse aus im Drittland steuerbaren Leistungen, im Inland nicht steuerbare
    # Umsätze" (automatic, no tax): UK/CH/IOSS sales where Amazon owes the VAT.
    DEEMED_SUPPLIER: (
        "8338",
        "4338",
        "",
        "{marketplace} Umsatz USt durch Amazon",
        "{marketplace} Erstattung USt durch Amazon",
    ),
    "selling_fee": ("4760", "6770", FEE, "{marketplace} Verkaufsgebühren", ""),
    "fba_fee": ("4730", "6740", FEE, "{marketplace} Versandgebühren FBA", ""),
    "storage_fee": ("4780", "6780", FEE, "Amazon Lagergebühren", ""),
    "shipping_label": ("4730", "6740", FEE, "Amazon Versandetiketten", ""),
    "other_fee": ("4760", "6770", FEE, "Amazon sonstige Gebühren", ""),
    "advertising": ("4600", "6600", FEE, "Amazon Werbekosten", ""),
    "subscription": ("4760", "6770", FEE, "Amazon Grundgebühr", ""),
    # Sonstige Vermögensgegenstände; 1385, which some tools propose, is a partner account in SKR03.
    "reserve_held": ("1500", "1300", "", "Amazon Rücklage einbehalten", ""),
    "reserve_released": ("1500", "1300", "", "Amazon Rücklage freigegeben", ""),
    "reimbursement": ("2742", "4970", "", "Amazon Erstattung Lagerschaden", ""),
    # A carried negative balance and a card charge settle what the previous payout
    # booking moved to money in transit, so they use the same account.
    "carried_balance": ("1360", "1460", "", "Amazon Saldovortrag", ""),
    "card_charge": ("1360", "1460", "", "Amazon Kartenbelastung", ""),
    "payout": ("1360", "1460", "", "Amazon Auszahlung", ""),
    "unmapped": ("1590", "1370", "", "Amazon ungeklärter Posten", ""),
    CLEARING: ("1210", "1810", "", "Amazon Verrechnungskonto", ""),
    DEBTOR: ("10000", "10000", "", "{marketplace} Sammeldebitor", ""),
    # The rate in the text is the one charged: 16 % / 5 % from 1 Jul to 31 Dec 2020.
    DOMESTIC_19: (
        "8400", "4400", "", "{marketplace} Umsatz {rate} %", "{marketplace} Erstattung {rate} %"
    ),
    DOMESTIC_7: (
        "8300", "4300", "", "{marketplace} Umsatz {rate} %", "{marketplace} Erstattung {rate} %"
    ),
    # Not automatic: the key (240/241) is set per booking from the ship-from country.
    OSS: (
        "8320",
        "4320",
        "",
        "{marketplace} Umsatz OSS {country} {rate} %",
        "{marketplace} Erstattung OSS {country} {rate} %",
    ),
    INTRA_EU_B2B: (
        "8125", "4125", "", "{marketplace} ig. Lieferung {country}",
        "{marketplace} Erstattung ig. Lieferung {country}",
    ),
    EXPORT: (
        "8120", "4120", "", "{marketplace} Ausfuhr {country}",
        "{marketplace} Erstattung Ausfuhr {country}",
    ),
    # Taxed in another EU state and declared there (docs/tax-rules.md case 7): "Erlöse aus
    # im anderen EU-Land steuerbaren Leistungen, im Inland nicht steuerbare Umsätze".
    FOREIGN_DOMESTIC: (
        "8339", "4339", "", "{marketplace} Umsatz {country} {rate} %",
        "{marketplace} Erstattung {country} {rate} %",
    ),
    # Cross-border B2C taxed in Germany (case 2): "Erlöse aus im Inland steuerpflichtigen
    # EU-Lieferungen 19 % / 7 %" (automatic).
    EU_TAXED_HOME_19: (
        "8315", "4315", "", "{marketplace} Umsatz EU {country} {rate} %",
        "{marketplace} Erstattung EU {country} {rate} %",
    ),
    EU_TAXED_HOME_7: (
        "8310", "4310", "", "{marketplace} Umsatz EU {country} {rate} %",
        "{marketplace} Erstattung EU {country} {rate} %",
    ),
    # Sold from stock outside the EU (case 9): "Erlöse aus im Drittland steuerbaren
    # Leistungen, im Inland nicht steuerbare Umsätze" (automatic, no German VAT).
    THIRD_COUNTRY: (
        "8338", "4338", "", "{marketplace} Umsatz {country} nicht steuerbar",
        "{marketplace} Erstattung {country} nicht steuerbar",
    ),
    # Verbringen (cases 12/13), booked only when the setting asks for it.
    VERBRINGEN_OUT: ("8125", "4125", "", "Verbringen nach {country}", ""),
    VERBRINGEN_IN_19: ("3425", "5425", "", "Verbringen aus {country} 19 %", ""),
    VERBRINGEN_IN_7: ("3420", "5420", "", "Verbringen aus {country} 7 %", ""),
    # No standard DATEV account exists for this; a free account to confirm.
    VERBRINGEN_CLEARING: ("1599", "1499", "", "Verrechnung Verbringen", ""),
}
RULE_KEYS: tuple[str, ...] = tuple(_DEFAULTS)

# DATEV automatic accounts (AM revenue, AV input tax): DATEV derives the tax itself, so a
# booking on them may carry no tax key except 40 (docs/datev.md#automatic-accounts); 87xx/47xx are
# the Erlösschmälerungen; 3300/3400 and 5300/5400 the Wareneingang accounts with input
# tax. 8320/4320 (OSS) are deliberately NOT automatic.
AUTOMATIC_ACCOUNTS: Mapping[str, frozenset[str]] = {
    "skr03": frozenset(
        ["8120", "8125", "8300", "8310", "8315", "8336", "8338", "8400", "3123", "3125",
         "3300", "3400", "3420", "3425"]
        + [str(n) for n in range(8700, 8800)]
    ),
    "skr04": frozenset(
        ["4120", "4125", "4300", "4310", "4315", "4336", "4338", "4400", "5923", "5925",
         "5300", "5400", "5420", "5425"]
        + [str(n) for n in range(4700, 4800)]
    ),
}


def is_automatic(account: str, chart: str, account_length: int = 4) -> bool:
    """Whether `account` is an automatic account; longer charts pad with trailing zeros."""
    if len(account) != account_length:
        return False
    return account[:4] in AUTOMATIC_ACCOUNTS.get(chart, frozenset()) and account[4:].strip(
        "0"
    ) == ""


def default_rules(chart: str, account_length: int = 4) -> dict[str, AccountRule]:
    """The default rule table for a chart, accounts padded to `account_length`."""
    column = 0 if chart == "skr03" else 1
    rules: dict[str, AccountRule] = {}
    for key, row in _DEFAULTS.items():
        account = row[column]
        # G/L accounts grow by trailing zeros, personal accounts keep one digit more.
        account = account.ljust(account_length + (1 if key == DEBTOR else 0), "0")
        rules[key] = _r(account, row[3], row[2], row[4])
    return rules


def _padded(rule: AccountRule, like: AccountRule) -> AccountRule:
    """A profile's 4-digit account grown to the length of the client's chart."""
    length = len(like.account)
    if len(rule.account) >= length:
        return rule
    return replace(rule, account=rule.account.ljust(length, "0"))


def marketplace_key(name: str) -> str:
    """"Amazon.de" and "amazon.de" are the same marketplace; "" is the default set."""
    return name.strip().lower()


@dataclass(frozen=True)
class AccountSet:
    """The rules for one seller: a complete default table plus per-marketplace overrides."""

    chart: str
    default: Mapping[str, AccountRule]
    marketplaces: Mapping[str, Mapping[str, AccountRule]] = field(default_factory=dict)
    # Tax profiles the user confirmed per marketplace (core.booking.profiles); a
    # marketplace not listed books by its default profile, shown as "please confirm".
    profiles: Mapping[str, str] = field(default_factory=dict)

    def rule(self, key: str, marketplace: str = "", day: date | None = None) -> AccountRule:
        """The user's rule for the marketplace, else its tax profile's, else the default."""
        mk = marketplace_key(marketplace)
        overrides = self.marketplaces.get(mk, {})
        if key in overrides:
            return overrides[key]
        if mk:
            # Imported here: profiles builds on this module's rules (a cycle at import time).
            from core.booking.profiles import profile_rules

            profile, _ = self.profile(mk, day)
            by_profile = profile_rules(profile, self.chart, mk, day)
            if key in by_profile:
                return _padded(by_profile[key], self.default[key])
        return self.default[key]

    def profile(self, marketplace: str, day: date | None = None) -> tuple[str, bool]:
        """(profile, confirmed by the user) of a marketplace."""
        from core.booking.profiles import default_profile  # a cycle at import time, see rule()

        mk = marketplace_key(marketplace)
        if mk in self.profiles:
            return self.profiles[mk], True
        return default_profile(mk, day), False

    def with_profile(self, marketplace: str, profile: str | None) -> AccountSet:
        """A copy with a marketplace's profile confirmed (None: back to its default)."""
        profiles = {k: v for k, v in self.profiles.items() if k != marketplace_key(marketplace)}
        if profile:
            profiles[marketplace_key(marketplace)] = profile
        return AccountSet(self.chart, self.default, self.marketplaces, profiles)

    def with_rule(self, key: str, rule: AccountRule, marketplace: str = "") -> AccountSet:
        """A copy with one rule replaced (for the settings page and tests)."""
        if not marketplace:
            return AccountSet(self.chart, {**self.default, key: rule}, self.marketplaces,
                              self.profiles)
        mk = marketplace_key(marketplace)
        changed = {**self.marketplaces.get(mk, {}), key: rule}
        return AccountSet(self.chart, self.default, {**self.marketplaces, mk: changed},
                          self.profiles)

    def to_dict(self) -> dict[str, object]:
        return {
            "chart": self.chart,
            "default": {k: r.to_dict() for k, r in sorted(self.default.items())},
            "marketplaces": {
                mk: {k: r.to_dict() for k, r in sorted(rules.items())}
                for mk, rules in sorted(self.marketplaces.items())
            },
            "profiles": dict(sorted(self.profiles.items())),
        }

    def overrides_dict(self, account_length: int = 4) -> dict[str, object]:
        """`to_dict` without the default rules that equal today's defaults: what is stored,
        so a later change of a default reaches every installation that did not change it."""
        defaults = default_rules(self.chart, account_length)
        data = self.to_dict()
        data["default"] = {k: r.to_dict() for k, r in sorted(self.default.items()) if defaults.get(k) != r}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object], account_length: int = 4) -> AccountSet:
        """Read a stored set; rules it does not hold (not changed by the user, or added to
        the app since) get today's defaults, padded to `account_length`."""
        try:
            chart = str(data["chart"])
            stored = data.get("default", {})
            markets = data.get("marketplaces", {})
            assert isinstance(stored, Mapping) and isinstance(markets, Mapping)
            default = default_rules(chart, account_length) | {
                k: AccountRule.from_dict(v) for k, v in stored.items() if k in _DEFAULTS
            }
            marketplaces = {
                marketplace_key(mk): {k: AccountRule.from_dict(v) for k, v in rules.items()}
                for mk, rules in markets.items()
            }
            stored_profiles = data.get("profiles", {})
            assert isinstance(stored_profiles, Mapping)
            profiles = {marketplace_key(mk): str(p) for mk, p in stored_profiles.items()}
        except (KeyError, TypeError, ValueError, AssertionError, InvalidOperation) as exc:
            raise AccountSetError(m.ACCOUNT_SET_FORMAT, detail=str(exc)) from exc
        return cls(chart, default, marketplaces, profiles)


def default_account_set(chart: str = "skr03", account_length: int = 4) -> AccountSet:
    return AccountSet(chart, default_rules(chart, account_length))


def sha256_json(data: object) -> str:
    """sha256 of canonical JSON: the same content always gives the same fingerprint."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AccountSetError(Message, ValueError):
    code = "account_set_format"

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = params
        super().__init__(self.message())


@dataclass(frozen=True)
class AccountProblem(Message):
    """One thing wrong with an account set, for the settings page."""

    rule: str
    marketplace: str
    field: str
    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def code(self) -> str:  # type: ignore[override]
        return f"account_{self.field}"


def check_account_set(accounts: AccountSet, account_length: int = 4) -> list[AccountProblem]:
    """Everything in an account set that would give a batch DATEV rejects."""
    problems: list[AccountProblem] = []
    tables = [("", accounts.default)] + sorted(accounts.marketplaces.items())
    for marketplace, rules in tables:
        if not marketplace:
            for key in _DEFAULTS:
                if key not in rules:
                    problems.append(AccountProblem(key, "", "account", m.ACCOUNT_MISSING_RULE,
                                                   {"rule": key}))
        for key, rule in sorted(rules.items()):
            problems += _check_rule(key, marketplace, rule, accounts.chart, account_length)
    return problems


def _check_rule(
    key: str, marketplace: str, rule: AccountRule, chart: str, length: int
) -> list[AccountProblem]:
    def problem(field_name: str, template: str, **params: object) -> AccountProblem:
        return AccountProblem(key, marketplace, field_name, template, {"rule": key, **params})

    if key not in _DEFAULTS:
        return [problem("account", m.ACCOUNT_UNKNOWN_RULE)]
    out: list[AccountProblem] = []
    if not (re.fullmatch(r"\d+", rule.account) and len(rule.account) in (length, length + 1)):
        out.append(problem("account", m.ACCOUNT_DIGITS, account=rule.account, length=length))
    if rule.tax_key:
        if not re.fullmatch(r"\d{1,4}", rule.tax_key):
            out.append(problem("tax_key", m.ACCOUNT_TAX_KEY_FORMAT, tax_key=rule.tax_key))
        elif rule.tax_key != "40" and is_automatic(rule.account, chart, length):
            out.append(problem("tax_key", m.ACCOUNT_TAX_KEY_AUTOMATIC,
                               account=rule.account, tax_key=rule.tax_key))
        if rule.tax_key in ("240", "241") and key != OSS and not (rule.eu_country and rule.eu_rate):
            out.append(problem("eu_country", m.ACCOUNT_OSS_FIELDS, tax_key=rule.tax_key))
    for text_field in ("text", "refund_text"):
        template = getattr(rule, text_field)
        names = re.findall(r"{([^{}]*)}", template)
        if any(n not in TEXT_PLACEHOLDERS for n in names):
            out.append(problem(text_field, m.ACCOUNT_TEXT_PLACEHOLDER))
            continue
        example = render_text(template, "Amazon.com.be", "BE", Decimal("21.00"))
        if len(example) > TEXT_LIMIT:
            out.append(problem(text_field, m.ACCOUNT_TEXT_LENGTH, text=example))
    if rule.eu_country and not re.fullmatch(r"[A-Z]{2}", rule.eu_country):
        out.append(problem("eu_country", m.ACCOUNT_EU_COUNTRY))
    if rule.eu_rate is not None and not (Decimal(0) <= rule.eu_rate < Decimal(100)):
        out.append(problem("eu_rate", m.ACCOUNT_EU_RATE))
    return out


def render_text(template: str, marketplace: str, country: str = "", rate: Decimal | None = None) -> str:
    """Fill a booking-text template; unknown placeholders stay visible rather than fail."""
    if rate is None:  # no rate known: leave out "{rate} %" rather than print a bare "%"
        template = re.sub(r"\s*{rate}\s*%?", "", template)
    rate_text = "" if rate is None else format_percent(rate)
    values = {"marketplace": marketplace, "country": country, "rate": rate_text}
    text = re.sub(r"{(\w+)}", lambda mt: values.get(mt.group(1), mt.group(0)), template)
    return " ".join(text.split())


def format_percent(rate: Decimal) -> str:
    """19.00 → "19", 5.50 → "5,5": how a rate reads in a German booking text."""
    text = f"{rate.normalize():f}" if rate == rate.to_integral() else f"{rate:f}".rstrip("0")
    return text.rstrip(".").replace(".", ",")
