"""docs/tax-rules.md §3 as a table: every case, with its date-dependent variants."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.booking.treatment import (
    Case,
    RowFacts,
    TaxSettings,
    decide,
    eu_member,
    german_rates,
    vat_id_country,
)
from core.datev.accounts import default_rules

D = Decimal
JAN_2024 = date(2024, 1, 15)
DOC = (Path(__file__).parent.parent.parent / "docs" / "tax-rules.md").read_text()


def sale(depart: str, arrive: str, rate: str | None = "19", vat: str = "19", **kw) -> RowFacts:  # type: ignore[no-untyped-def]
    return RowFacts(depart=depart, arrive=arrive, rate=None if rate is None else D(rate),
                    vat=D(vat), **kw)


# (id, facts, day, case, rule, SKR03, SKR04, BU, col 40, col 41, col 123, notices)
CASES = [
    ("domestic 19", sale("DE", "DE", jurisdiction="GERMANY"), JAN_2024,
     Case.DOMESTIC, "domestic_19", "8400", "4400", "", "", None, "", ()),
    ("domestic 7", sale("DE", "DE", "7", "7"), JAN_2024,
     Case.DOMESTIC, "domestic_7", "8300", "4300", "", "", None, "", ()),
    ("domestic 16 % in 2020", sale("DE", "DE", "16", "16"), date(2020, 8, 3),
     Case.DOMESTIC, "domestic_19", "8400", "4400", "", "", None, "", ()),
    ("domestic 5 % in 2020", sale("DE", "DE", "5", "5"), date(2020, 12, 31),
     Case.DOMESTIC, "domestic_7", "8300", "4300", "", "", None, "", ()),
    ("19 % charged in the 16 % half-year", sale("DE", "DE"), date(2020, 9, 1),
     Case.DOMESTIC, "domestic_19", "8400", "4400", "", "", None, "", ("rate_not_for_date",)),
    ("German buyer id stays domestic", sale("DE", "DE", buyer_vat_id="DE123456789"), JAN_2024,
     Case.DOMESTIC, "domestic_19", "8400", "4400", "", "", None, "", ()),
    ("DE to AT under the threshold", sale("DE", "AT", jurisdiction="GERMANY"), JAN_2024,
     Case.EU_TAXED_HOME, "eu_taxed_home_19", "8315", "4315", "", "", None, "", ()),
    ("PL stock to German consumer", sale("PL", "DE", jurisdiction="GERMANY"), JAN_2024,
     Case.EU_TAXED_HOME, "eu_taxed_home_19", "8315", "4315", "", "", None, "", ()),
    ("PL stock to German consumer 7 %", sale("PL", "DE", "7", "7"), JAN_2024,
     Case.EU_TAXED_HOME, "eu_taxed_home_7", "8310", "4310", "", "", None, "", ()),
    ("OSS from Germany", sale("DE", "FR", "20", "10", jurisdiction="FRANCE"), JAN_2024,
     Case.OSS_FROM_HOME, "oss", "8320", "4320", "240", "FR", D("20.00"), "", ()),
    ("OSS from Germany, no jurisdiction column", sale("DE", "IT", "22", "9"), date(2021, 7, 1),
     Case.OSS_FROM_HOME, "oss", "8320", "4320", "240", "IT", D("22.00"), "", ()),
    ("OSS from PL stock", sale("PL", "IT", "22", "9", jurisdiction="ITALY",
                               seller_vat_id="PL5263144779"), JAN_2024,
     Case.OSS_FROM_ABROAD, "oss", "8320", "4320", "241", "IT", D("22.00"), "PL5263144779", ()),
    ("OSS from CZ stock without the seller's id", sale("CZ", "AT", "20", "3",
                                                       jurisdiction="AUSTRIA"), JAN_2024,
     Case.OSS_FROM_ABROAD, "oss", "8320", "4320", "241", "AT", D("20.00"), "CZ", ()),
    ("distance sale before OSS", sale("DE", "FR", "20", "10", jurisdiction="FRANCE"),
     date(2021, 6, 30),
     Case.DISTANCE_SALE_PRE_OSS, "oss", "8320", "4320", "", "FR", D("20.00"), "", ()),
    ("intra-EU B2B from Germany", sale("DE", "FR", "0", "0", buyer_vat_id="FR 54820509628"),
     JAN_2024,
     Case.INTRA_EU_B2B, "intra_eu_b2b", "8125", "4125", "", "FR54820509628", None, "", ()),
    ("intra-EU B2B Greek id", sale("DE", "GR", "0", "0", buyer_vat_id="EL094259216"), JAN_2024,
     Case.INTRA_EU_B2B, "intra_eu_b2b", "8125", "4125", "", "EL094259216", None, "", ()),
    ("PL to DE B2B is the Polish return", sale("PL", "DE", "0", "0",
                                                 buyer_vat_id="DE123456789"), JAN_2024,
     Case.FOREIGN_EU, "foreign_domestic", "8339", "4339", "", "", None, "", ()),
    ("CZ to FR B2B is the Czech return", sale("CZ", "FR", "0", "0",
                                                buyer_vat_id="FR54820509628"), JAN_2024,
     Case.FOREIGN_EU, "foreign_domestic", "8339", "4339", "", "", None, "", ()),
    ("German id on a DE to AT sale with VAT", sale("DE", "AT", jurisdiction="GERMANY",
                                                    buyer_vat_id="DE123456789"), JAN_2024,
     Case.EU_TAXED_HOME, "eu_taxed_home_19", "8315", "4315", "", "", None, "",
     ("german_vat_id",)),
    ("B2B id but VAT charged books by the VAT", sale("DE", "FR", "20", "20",
                                                      jurisdiction="FRANCE",
                                                      buyer_vat_id="FR54820509628"), JAN_2024,
     Case.OSS_FROM_HOME, "oss", "8320", "4320", "240", "FR", D("20.00"), "",
     ("b2b_but_vat_charged",)),
    ("invalid id, 20 % GB VAT on GB to ES (2019)", sale("GB", "ES", "20", "20",
                                                         jurisdiction="UNITED KINGDOM",
                                                         buyer_vat_id="ES123"),
     date(2019, 5, 2),
     Case.FOREIGN_EU, "foreign_domestic", "8339", "4339", "", "", None, "", ("vat_id_shape",)),
    ("foreign domestic PL", sale("PL", "PL", "23", "23"), JAN_2024,
     Case.FOREIGN_EU, "foreign_domestic", "8339", "4339", "", "", None, "", ()),
    ("FR to IT taxed in IT before OSS", sale("FR", "IT", "22", "22", jurisdiction="ITALY"),
     date(2020, 1, 10),
     Case.FOREIGN_EU, "foreign_domestic", "8339", "4339", "", "", None, "", ()),
    ("PL to AT taxed in PL", sale("PL", "AT", "23", "23", jurisdiction="POLAND"),
     date(2020, 1, 10),
     Case.FOREIGN_EU, "foreign_domestic", "8339", "4339", "", "", None, "", ()),
    ("GB to GB in 2020 is a foreign EU sale", sale("GB", "GB", "20", "20"), date(2020, 11, 2),
     Case.FOREIGN_EU, "foreign_domestic", "8339", "4339", "", "", None, "", ()),
    ("GB to GB in 2021 is a third-country sale", sale("GB", "GB", "20", "20"),
     date(2021, 2, 1),
     Case.THIRD_COUNTRY, "third_country", "8338", "4338", "", "", None, "", ()),
    ("US to US", sale("US", "US", None, "0"), JAN_2024,
     Case.THIRD_COUNTRY, "third_country", "8338", "4338", "", "", None, "", ()),
    ("export DE to CH", sale("DE", "CH", "0", "0"), JAN_2024,
     Case.EXPORT, "export", "8120", "4120", "", "", None, "", ()),
    ("DE to GB in 2020 is an EU distance sale", sale("DE", "GB", "19", "19",
                                                     jurisdiction="GERMANY"),
     date(2020, 2, 3),
     Case.EU_TAXED_HOME, "eu_taxed_home_19", "8315", "4315", "", "", None, "", ()),
    ("DE to GB in 2021 is an export", sale("DE", "GB", "0", "0"), date(2021, 3, 3),
     Case.EXPORT, "export", "8120", "4120", "", "", None, "", ()),
    ("DE to XI in 2021 stays in the EU", sale("DE", "XI", "20", "5", jurisdiction="XI"),
     date(2021, 8, 3),
     Case.OSS_FROM_HOME, "oss", "8320", "4320", "240", "XI", D("20.00"), "", ()),
    ("export from PL stock", sale("PL", "CH", "0", "0"), JAN_2024,
     Case.FOREIGN_EU, "foreign_domestic", "8339", "4339", "", "", None, "", ()),
    ("deemed supplier DE to GB (VOEC)", sale("DE", "GB", "20", "20", collection="MARKETPLACE",
                                             scheme="UK_VOEC-IMPORT"), JAN_2024,
     Case.DEEMED_SUPPLIER_EXPORT, "export", "8120", "4120", "", "", None, "",
     ("export_proof",)),
    ("deemed supplier GB to GB", sale("GB", "GB", "20", "20", collection="MARKETPLACE"),
     JAN_2024,
     Case.DEEMED_SUPPLIER_ABROAD, "deemed_supplier", "8338", "4338", "", "", None, "", ()),
    ("deemed supplier PL to GB (VOEC)", sale("PL", "GB", "20", "20", collection="MARKETPLACE"),
     JAN_2024,
     Case.DEEMED_SUPPLIER_ABROAD, "foreign_domestic", "8339", "4339", "", "", None, "", ()),
    ("deemed supplier DE to CH under IOSS-like scheme", sale("DE", "CH", "8.1", "8",
                                                             scheme="DEEMED_RESELLER-CH"),
     date(2025, 2, 1),
     Case.DEEMED_SUPPLIER_EXPORT, "export", "8120", "4120", "", "", None, "",
     ("export_proof",)),
    ("Verbringen DE to PL (listed)", RowFacts("FC_TRANSFER", "DE", "PL",
                                              seller_arrive_vat_id="PL5263144779"), JAN_2024,
     Case.VERBRINGEN_OUT, "", "", "", "", "PL5263144779", None, "", ()),
    ("Verbringen PL to DE (listed)", RowFacts("FC_TRANSFER", "PL", "DE"), JAN_2024,
     Case.VERBRINGEN_IN, "", "", "", "", "", None, "", ()),
    ("transfer PL to CZ", RowFacts("FC_TRANSFER", "PL", "CZ"), JAN_2024,
     Case.TRANSFER_ABROAD, "", "", "", "", "", None, "", ()),
    ("transfer DE to GB in 2021", RowFacts("FC_TRANSFER", "DE", "GB"), JAN_2024,
     Case.TRANSFER_ABROAD, "", "", "", "", "", None, "", ()),
    ("customer return", RowFacts("RETURN", "PL", "DE"), JAN_2024,
     Case.NOT_A_SUPPLY, "", "", "", "", "", None, "", ()),
    ("refund is the sale's case", sale("DE", "FR", "20", "-10", transaction_type="REFUND",
                                       jurisdiction="FRANCE"), JAN_2024,
     Case.OSS_FROM_HOME, "oss", "8320", "4320", "240", "FR", D("20.00"), "", ()),
    ("no country", sale("", "DE"), JAN_2024,
     Case.UNKNOWN, "unmapped", "1590", "1370", "", "", None, "", ("missing_country",)),
    ("10 % is no German rate", sale("DE", "DE", "10", "10"), JAN_2024,
     Case.UNKNOWN, "unmapped", "1590", "1370", "", "", None, "", ("unknown_rate",)),
]


@pytest.mark.parametrize(
    "facts,day,case,rule,skr03,skr04,key,eu_country,eu_rate,origin,notices",
    [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_case_table(facts, day, case, rule, skr03, skr04, key, eu_country, eu_rate, origin,
                    notices) -> None:  # type: ignore[no-untyped-def]
    t = decide(facts, day)
    assert (t.case, t.rule, t.tax_key, t.eu_country, t.eu_rate, t.origin_vat_id, t.notices) == (
        case, rule, key, eu_country, eu_rate, origin, notices)
    if rule:
        assert default_rules("skr03")[rule].account == skr03
        assert default_rules("skr04")[rule].account == skr04


def test_every_case_is_in_the_document_and_the_table() -> None:
    tested = {c[3] for c in CASES}
    for case in Case:
        assert f"`{case.value}`" in DOC, case
        assert case in tested, case


def test_the_document_names_the_accounts_the_defaults_use() -> None:
    table = [line for line in DOC.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(table) == len(Case)
    for c in CASES:
        if c[4] and c[4] != "unmapped":
            row = next(line for line in table if f"`{c[3].value}`" in line)
            assert c[5] in row and c[6] in row, (c[0], row)


def test_deemed_supplier_from_germany_can_be_not_taxable() -> None:
    t = decide(sale("DE", "GB", "20", "20", collection="MARKETPLACE"), JAN_2024,
               TaxSettings(deemed_from_home="not_taxable"))
    assert (t.case, t.rule, t.net_only) == (Case.DEEMED_SUPPLIER_ABROAD, "deemed_supplier", True)


def test_verbringen_booked_when_asked() -> None:
    book = TaxSettings(verbringen="book")
    out = decide(RowFacts("FC_TRANSFER", "DE", "FR"), JAN_2024, book)
    assert (out.rule, out.eu_country, out.notices) == ("verbringen_out", "FR",
                                                       ("own_vat_id_missing",))
    assert decide(RowFacts("FC_TRANSFER", "IT", "DE", rate=D("7")), JAN_2024, book).rule == \
        "verbringen_in_7"
    assert default_rules("skr03")["verbringen_out"].account == "8125"
    assert default_rules("skr04")["verbringen_in_19"].account == "5425"


@pytest.mark.parametrize("code,day,member", [
    ("GB", date(2020, 12, 31), True), ("GB", date(2021, 1, 1), False),
    ("XI", date(2020, 12, 31), False), ("XI", date(2021, 1, 1), True),
    ("EL", JAN_2024, True), ("CH", JAN_2024, False), ("MC", JAN_2024, True),
])
def test_eu_membership_by_date(code: str, day: date, member: bool) -> None:
    assert eu_member(code, day) is member


def test_german_rates_by_date() -> None:
    assert german_rates(date(2020, 6, 30)) == (D(19), D(7))
    assert german_rates(date(2020, 7, 1)) == (D(16), D(5))
    assert german_rates(date(2021, 1, 1)) == (D(19), D(7))


@pytest.mark.parametrize("vat_id,country", [
    ("ATU12345678", "AT"), ("AT12345678", ""), ("DE 123 456 789", "DE"), ("DE12345678", ""),
    ("FR54820509628", "FR"), ("NL123456789B01", "NL"), ("NL123456789", ""),
    ("ESX1234567X", "ES"), ("IE1234567WA", "IE"), ("EL094259216", "GR"),
    ("GB123456789", "GB"), ("XI123456789", "XI"), ("PL5263144779", "PL"), ("", ""),
    ("US123456789", ""),
])
def test_vat_id_shapes(vat_id: str, country: str) -> None:
    assert vat_id_country(vat_id) == country
