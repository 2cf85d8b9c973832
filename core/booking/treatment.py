"""How one VAT Transactions Report row is taxed for a seller established in Germany.

The single home of the case table in docs/tax-rules.md §3: `decide(facts, day, settings)`
is pure (plain values in, a `Treatment` out) and every case there is a parametrised test in
tests/unit/test_treatment.py. EU membership, German rates and the OSS start are decided by
the transaction date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

HOME = "DE"
UK_LEFT = date(2021, 1, 1)  # GB outside the EU VAT area from this day; XI stays for goods
OSS_START = date(2021, 7, 1)
REDUCED_2020 = (date(2020, 7, 1), date(2020, 12, 31))

EU_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
# Amazon and VIES spell Greece EL; Monaco belongs to the French VAT area.
_ALIASES = {"EL": "GR", "UK": "GB", "MC": "FR"}

# Standard rates of the EU marketplaces' countries (current; used for settlement defaults).
STANDARD_RATES = {
    "AT": Decimal(20), "BE": Decimal(21), "DE": Decimal(19), "ES": Decimal(21),
    "FR": Decimal(20), "IE": Decimal(23), "IT": Decimal(22), "NL": Decimal(21),
    "PL": Decimal(23), "SE": Decimal(25), "GB": Decimal(20),
}

# VAT id shapes per country prefix (EU Commission, VIES FAQ "VAT number format").
VAT_ID_SHAPES = {
    "AT": r"U\d{8}", "BE": r"[01]\d{9}", "BG": r"\d{9,10}", "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}", "DE": r"\d{9}", "DK": r"\d{8}", "EE": r"\d{9}", "EL": r"\d{9}",
    "GR": r"\d{9}", "ES": r"[A-Z0-9]\d{7}[A-Z0-9]", "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}", "HR": r"\d{11}", "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W]", "IT": r"\d{11}", "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}", "LV": r"\d{11}", "MT": r"\d{8}", "NL": r"\d{9}B\d{2}", "PL": r"\d{10}",
    "PT": r"\d{9}", "RO": r"\d{2,10}", "SE": r"\d{12}", "SI": r"\d{8}", "SK": r"\d{10}",
    "XI": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}", "GB": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",
}

TRANSFER_TYPES = frozenset({"FC_TRANSFER"})
NO_SUPPLY_TYPES = frozenset({"RETURN", "INBOUND", "LIQUIDATION_RETURN", "COMMINGLING_BUY"})
REFUND_TYPES = frozenset({"REFUND", "LIQUIDATION_REFUND", "COMMINGLING_REFUND"})
_DEEMED_SCHEMES = ("VOEC", "DEEMED", "IOSS", "REGULATED_MARKETPLACE")
_JURISDICTIONS = {
    "AUSTRIA": "AT", "BELGIUM": "BE", "BULGARIA": "BG", "CYPRUS": "CY",
    "CZECH REPUBLIC": "CZ", "CZECHIA": "CZ", "GERMANY": "DE", "DENMARK": "DK",
    "ESTONIA": "EE", "GREECE": "GR", "SPAIN": "ES", "FINLAND": "FI", "FRANCE": "FR",
    "CROATIA": "HR", "HUNGARY": "HU", "IRELAND": "IE", "ITALY": "IT", "LITHUANIA": "LT",
    "LUXEMBOURG": "LU", "LATVIA": "LV", "MALTA": "MT", "NETHERLANDS": "NL", "POLAND": "PL",
    "PORTUGAL": "PT", "ROMANIA": "RO", "SWEDEN": "SE", "SLOVENIA": "SI", "SLOVAKIA": "SK",
    "UNITED KINGDOM": "GB", "NORTHERN IRELAND": "XI", "SWITZERLAND": "CH", "NORWAY": "NO",
}


class Case(StrEnum):
    """The rows of docs/tax-rules.md §3, in order."""

    DOMESTIC = "domestic"
    EU_TAXED_HOME = "eu_taxed_home"
    OSS_FROM_HOME = "oss_from_home"
    OSS_FROM_ABROAD = "oss_from_abroad"
    DISTANCE_SALE_PRE_OSS = "distance_sale_pre_oss"
    INTRA_EU_B2B = "intra_eu_b2b"
    FOREIGN_EU = "foreign_eu"
    EXPORT = "export"
    THIRD_COUNTRY = "third_country"
    DEEMED_SUPPLIER_EXPORT = "deemed_supplier_export"
    DEEMED_SUPPLIER_ABROAD = "deemed_supplier_abroad"
    VERBRINGEN_OUT = "verbringen_out"
    VERBRINGEN_IN = "verbringen_in"
    TRANSFER_ABROAD = "transfer_abroad"
    NOT_A_SUPPLY = "not_a_supply"
    UNKNOWN = "unknown"


# Account-set rule keys (core.datev.accounts) per case; "" = listed, never booked.
# Domestic and EU-taxed-at-home pick the 19 % or 7 % rule by rate.
CASE_RULES: dict[Case, str] = {
    Case.DOMESTIC: "domestic_19",
    Case.EU_TAXED_HOME: "eu_taxed_home_19",
    Case.OSS_FROM_HOME: "oss",
    Case.OSS_FROM_ABROAD: "oss",
    Case.DISTANCE_SALE_PRE_OSS: "oss",
    Case.INTRA_EU_B2B: "intra_eu_b2b",
    Case.FOREIGN_EU: "foreign_domestic",
    Case.EXPORT: "export",
    Case.THIRD_COUNTRY: "third_country",
    Case.DEEMED_SUPPLIER_EXPORT: "export",
    Case.DEEMED_SUPPLIER_ABROAD: "deemed_supplier",
    Case.VERBRINGEN_OUT: "verbringen_out",
    Case.VERBRINGEN_IN: "verbringen_in_19",
    Case.TRANSFER_ABROAD: "",
    Case.NOT_A_SUPPLY: "",
    Case.UNKNOWN: "unmapped",
}
# What the German returns get, for the companion list and the docs test.
RETURNS: dict[Case, str] = {
    Case.DOMESTIC: "UStVA Kz 81/86",
    Case.EU_TAXED_HOME: "UStVA Kz 81/86",
    Case.OSS_FROM_HOME: "OSS",
    Case.OSS_FROM_ABROAD: "OSS",
    Case.DISTANCE_SALE_PRE_OSS: "",
    Case.INTRA_EU_B2B: "UStVA Kz 41, ZM",
    Case.FOREIGN_EU: "UStVA Kz 45",
    Case.EXPORT: "UStVA Kz 43",
    Case.THIRD_COUNTRY: "UStVA Kz 45",
    Case.DEEMED_SUPPLIER_EXPORT: "UStVA Kz 43",
    Case.DEEMED_SUPPLIER_ABROAD: "UStVA Kz 45",
    Case.VERBRINGEN_OUT: "UStVA Kz 41, ZM",
    Case.VERBRINGEN_IN: "UStVA Kz 89/93, Kz 61",
    Case.TRANSFER_ABROAD: "",
    Case.NOT_A_SUPPLY: "",
    Case.UNKNOWN: "",
}


@dataclass(frozen=True)
class RowFacts:
    """What one report row says, as plain values (countries ISO-2, rate in percent)."""

    transaction_type: str = "SALE"
    depart: str = ""
    arrive: str = ""
    buyer_vat_id: str = ""
    vat: Decimal = Decimal(0)
    rate: Decimal | None = None
    jurisdiction: str = ""
    scheme: str = ""
    collection: str = ""
    seller_vat_id: str = ""  # the seller's id used for this transaction
    seller_depart_vat_id: str = ""
    seller_arrive_vat_id: str = ""


@dataclass(frozen=True)
class TaxSettings:
    """The choices docs/tax-rules.md §3 makes settings, with their documented defaults."""

    deemed_from_home: str = "export"  # or "not_taxable"
    verbringen: str = "list"  # or "book"


@dataclass(frozen=True)
class Treatment:
    case: Case
    rule: str  # account-set rule key; "" = listed only
    tax_key: str = ""
    eu_country: str = ""  # DATEV col 40: destination country or buyer / own VAT id
    eu_rate: Decimal | None = None  # col 41
    origin_vat_id: str = ""  # col 123
    taxed_in: str = ""  # country whose VAT applies
    rate: Decimal | None = None
    net_only: bool = False  # Amazon keeps the VAT: book the net
    notices: tuple[str, ...] = ()

    @property
    def returns(self) -> str:
        return RETURNS[self.case]

    @property
    def booked(self) -> bool:
        return bool(self.rule)


def country(code: str) -> str:
    code = code.strip().upper()
    return _ALIASES.get(code, code)


def eu_member(code: str, day: date) -> bool:
    """In the EU VAT area on `day` (for goods): GB until 2020, XI from 2021."""
    code = country(code)
    if code == "GB":
        return day < UK_LEFT
    if code == "XI":
        return day >= UK_LEFT
    return code in EU_STATES


def german_rates(day: date) -> tuple[Decimal, Decimal]:
    """(standard, reduced) German VAT rate on `day`."""
    if REDUCED_2020[0] <= day <= REDUCED_2020[1]:
        return Decimal(16), Decimal(5)
    return Decimal(19), Decimal(7)


def clean_vat_id(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9+*]", "", value).upper()


def vat_id_country(value: str) -> str:
    """The country of a VAT id whose shape fits its prefix, else ""."""
    cleaned = clean_vat_id(value)
    prefix, rest = cleaned[:2], cleaned[2:]
    shape = VAT_ID_SHAPES.get(prefix)
    if shape and re.fullmatch(f"(?:{shape})", rest):
        return country(prefix)
    return ""


def jurisdiction_code(name: str) -> str:
    name = name.strip().upper()
    if len(name) == 2:
        return country(name)
    return _JURISDICTIONS.get(name, "")


def decide(facts: RowFacts, day: date, settings: TaxSettings | None = None) -> Treatment:
    """The case, account rule, key and EU columns of one row on `day` (its tax date)."""
    settings = settings or TaxSettings()
    kind = facts.transaction_type.strip().upper()
    depart, arrive = country(facts.depart), country(facts.arrive)
    if kind in TRANSFER_TYPES:
        return _transfer(facts, depart, arrive, day, settings)
    if kind in NO_SUPPLY_TYPES:
        return Treatment(Case.NOT_A_SUPPLY, "")
    if not depart or not arrive:
        return Treatment(Case.UNKNOWN, CASE_RULES[Case.UNKNOWN], notices=("missing_country",))

    rate = None if facts.rate is None else facts.rate.quantize(Decimal("0.01"))
    charged = facts.vat != 0 or bool(rate)
    notices: list[str] = []
    if _deemed(facts):
        return _deemed_supplier(depart, arrive, rate, day, settings)

    depart_eu, arrive_eu = eu_member(depart, day), eu_member(arrive, day)
    taxed_in = jurisdiction_code(facts.jurisdiction)

    # Same country first: GB → GB is never an export (issue 9, first finding).
    if depart == arrive:
        if depart == HOME:
            return _domestic(Case.DOMESTIC, rate, day, notices)
        if depart_eu:
            return Treatment(Case.FOREIGN_EU, CASE_RULES[Case.FOREIGN_EU], taxed_in=depart,
                             rate=rate)
        return Treatment(Case.THIRD_COUNTRY, CASE_RULES[Case.THIRD_COUNTRY], taxed_in=depart,
                         rate=rate)

    if not depart_eu:
        # Sold from stock outside the EU (to anywhere): taxed abroad, never in Germany.
        return Treatment(Case.THIRD_COUNTRY, CASE_RULES[Case.THIRD_COUNTRY], taxed_in=depart,
                         rate=rate)
    if not arrive_eu:
        if depart == HOME:
            return Treatment(Case.EXPORT, CASE_RULES[Case.EXPORT], rate=rate)
        return Treatment(Case.FOREIGN_EU, CASE_RULES[Case.FOREIGN_EU], taxed_in=depart,
                         rate=rate)

    # Inside the EU, across a border.
    buyer_country = vat_id_country(facts.buyer_vat_id) if facts.buyer_vat_id else ""
    if facts.buyer_vat_id.strip():
        if not buyer_country:
            notices.append("vat_id_shape")
        elif buyer_country == depart:
            # An id of the departure state (a German id for goods leaving Germany) never
            # makes an intra-EU supply (§ 6a Abs. 1 Nr. 2 UStG, Art. 138 MwStSystRL).
            notices.append("german_vat_id" if depart == HOME else "vat_id_of_departure")
        elif charged:
            notices.append("b2b_but_vat_charged")
        else:
            buyer_id = clean_vat_id(facts.buyer_vat_id)
            if depart == HOME:
                return Treatment(Case.INTRA_EU_B2B, CASE_RULES[Case.INTRA_EU_B2B],
                                 eu_country=buyer_id[:15], rate=rate)
            # Intra-EU supply from the foreign warehouse: that state's return and ZM.
            return Treatment(Case.FOREIGN_EU, CASE_RULES[Case.FOREIGN_EU], taxed_in=depart,
                             rate=rate)

    # B2C (or B2B that is taxed): where the VAT was charged decides.
    if not taxed_in:
        taxed_in = arrive if day >= OSS_START else ""
        if not taxed_in:
            notices.append("no_jurisdiction")
            taxed_in = depart  # before OSS, under the threshold: taxed where it left
    if taxed_in == HOME:
        return _domestic(Case.EU_TAXED_HOME, rate, day, notices)
    if taxed_in == arrive:
        if not rate:  # a distance sale without VAT cannot be right
            return Treatment(Case.UNKNOWN, CASE_RULES[Case.UNKNOWN],
                             notices=(*notices, "no_rate"))
        if day < OSS_START:
            if depart == HOME:
                return Treatment(Case.DISTANCE_SALE_PRE_OSS, CASE_RULES[Case.OSS_FROM_HOME],
                                 eu_country=arrive, eu_rate=rate, taxed_in=arrive, rate=rate,
                                 notices=tuple(notices))
            return Treatment(Case.FOREIGN_EU, CASE_RULES[Case.FOREIGN_EU], taxed_in=arrive,
                             rate=rate, notices=tuple(notices))
        if depart == HOME:
            return Treatment(Case.OSS_FROM_HOME, CASE_RULES[Case.OSS_FROM_HOME], tax_key="240",
                             eu_country=arrive, eu_rate=rate, taxed_in=arrive, rate=rate,
                             notices=tuple(notices))
        origin = (clean_vat_id(facts.seller_vat_id)
                  if vat_id_country(facts.seller_vat_id) == depart else depart)
        return Treatment(Case.OSS_FROM_ABROAD, CASE_RULES[Case.OSS_FROM_HOME], tax_key="241",
                         eu_country=arrive, eu_rate=rate, origin_vat_id=origin[:15],
                         taxed_in=arrive, rate=rate, notices=tuple(notices))
    # Taxed in the departure state (or a third state): declared there.
    return Treatment(Case.FOREIGN_EU, CASE_RULES[Case.FOREIGN_EU], taxed_in=taxed_in,
                     rate=rate, notices=tuple(notices))


def _deemed(facts: RowFacts) -> bool:
    scheme = facts.scheme.upper()
    return facts.collection.strip().upper() == "MARKETPLACE" or any(
        word in scheme for word in _DEEMED_SCHEMES)


def _deemed_supplier(depart: str, arrive: str, rate: Decimal | None, day: date,
                     settings: TaxSettings) -> Treatment:
    if depart == HOME and settings.deemed_from_home == "export":
        return Treatment(Case.DEEMED_SUPPLIER_EXPORT, CASE_RULES[Case.DEEMED_SUPPLIER_EXPORT],
                         taxed_in=arrive, rate=rate, net_only=True,
                         notices=("export_proof",))
    # Leaving another EU state (PL → GB), the seller's supply is taxable there, not in a
    # third country: "im anderen EU-Land steuerbar" (8339), still Kz 45.
    leaves_eu_state = depart != HOME and eu_member(depart, day)
    rule = CASE_RULES[Case.FOREIGN_EU] if leaves_eu_state else CASE_RULES[Case.DEEMED_SUPPLIER_ABROAD]
    return Treatment(Case.DEEMED_SUPPLIER_ABROAD, rule, taxed_in=arrive, rate=rate, net_only=True)


def _domestic(case: Case, rate: Decimal | None, day: date, notices: list[str]) -> Treatment:
    standard, reduced = german_rates(day)
    known = {Decimal(19), Decimal(16), Decimal(7), Decimal(5)}
    if rate is None or rate.normalize() not in {r.normalize() for r in known}:
        return Treatment(Case.UNKNOWN, CASE_RULES[Case.UNKNOWN],
                         notices=(*notices, "no_rate" if rate is None else "unknown_rate"))
    if rate.normalize() not in (standard.normalize(), reduced.normalize()):
        notices.append("rate_not_for_date")
    full = rate.normalize() in (Decimal(19), Decimal(16))
    base = "domestic" if case == Case.DOMESTIC else "eu_taxed_home"
    return Treatment(case, f"{base}_{19 if full else 7}", taxed_in=HOME, rate=rate,
                     notices=tuple(notices))


def _transfer(facts: RowFacts, depart: str, arrive: str, day: date,
              settings: TaxSettings) -> Treatment:
    """Own goods moved between warehouses (docs/tax-rules.md cases 12–14)."""
    booked = settings.verbringen == "book"
    if depart == HOME and eu_member(arrive, day) and arrive != HOME:
        own = clean_vat_id(facts.seller_arrive_vat_id)
        return Treatment(Case.VERBRINGEN_OUT, CASE_RULES[Case.VERBRINGEN_OUT] if booked else "",
                         eu_country=(own or arrive)[:15], taxed_in=arrive, rate=facts.rate,
                         notices=() if own else ("own_vat_id_missing",))
    if arrive == HOME and eu_member(depart, day) and depart != HOME:
        seven = facts.rate is not None and facts.rate.normalize() in (Decimal(7), Decimal(5))
        rule = ("verbringen_in_7" if seven else "verbringen_in_19") if booked else ""
        return Treatment(Case.VERBRINGEN_IN, rule, taxed_in=HOME, rate=facts.rate)
    return Treatment(Case.TRANSFER_ABROAD, "")
