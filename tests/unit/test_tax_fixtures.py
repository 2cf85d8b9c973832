"""Own VAT report fixtures through parser and Amazon Order batch (issue 9's findings).

A German seller's mixed month books every sale on the account docs/tax-rules.md names;
golden SKR03/SKR04 files keep the whole batch byte-exact (UPDATE_GOLDEN=1 to regenerate,
then review the diff row by row).
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from core import batches, booking_settings, vat_months
from core.booking.orders import build_orders
from core.datev.accounts import default_account_set
from core.datev.settings import DatevSettings
from core.datev.validate import validate
from core.db import db, init_db
from core.imports import import_bytes
from core.models import Report
from core.reports import Category, parse
from tests.unit.test_booking_helpers import CREATED_AT
from tests.unit.vat_fixtures import MIXED_MONTH, row, tsv

GOLDEN = Path(__file__).parents[1] / "fixtures" / "datev"
D = Decimal


def orders(data: bytes, chart: str = "skr03", **settings):  # type: ignore[no-untyped-def]
    s = DatevSettings(chart=chart, **settings)
    files = build_orders(parse(data, "vat.txt"), s, default_account_set(chart))
    for f in files:
        assert validate(f.to_bytes(CREATED_AT)) == [], f.filename
    return files


@pytest.mark.parametrize("chart", ["skr03", "skr04"])
def test_mixed_month_books_every_sale_on_its_documented_account(chart: str) -> None:
    files = orders(tsv([r for r, _, _ in MIXED_MONTH]), chart, granularity="order",
                   exchange_rates={"GBP": D("0.85")})
    by_document: dict[str, set[str]] = {}
    for b in (b for f in files for b in f.bookings):
        by_document.setdefault(b.document, set()).add(b.contra_account)
    for r, skr03, skr04 in MIXED_MONTH:
        expected = skr03 if chart == "skr03" else skr04
        if expected:
            assert by_document[r["TRANSACTION_EVENT_ID"]] == {expected}, r
    booked = {b.document for f in files for b in f.bookings}
    assert "302-0000001-0000001" in booked  # the RETURN row added nothing to it
    notices = [n.message() for f in files for n in f.notices]
    assert any("DE → PL (Verbringen), value 300.00 EUR, your VAT id PL5263144779, for UStVA "
               "Kz 41, ZM" in n for n in notices)
    assert any("CZ → DE (Verbringen)" in n and "Kz 89/93" in n for n in notices)
    assert any("ES123" in n for n in notices)  # invalid id with VAT: loud
    assert any("proof of export" in n for n in notices)


@pytest.mark.parametrize("chart", ["skr03", "skr04"])
def test_mixed_month_golden_file(chart: str) -> None:
    (f,) = orders(tsv([r for r, _, _ in MIXED_MONTH]), chart, exchange_rates={"GBP": D("0.85")})
    data = f.to_bytes(CREATED_AT)
    golden = GOLDEN / f"mixed_month_{chart}.csv"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes()


def test_mixed_month_b2b_from_poland_never_reaches_the_german_zm() -> None:
    files = orders(tsv([r for r, _, _ in MIXED_MONTH]))
    zm = [b for f in files for b in f.bookings if b.contra_account == "8125"]
    assert [(b.amount, b.eu_country) for b in zm] == [(D("200.00"), "ATU12345678")]


def test_uk_and_reduced_german_rates_in_2020() -> None:
    files = orders(tsv([
        row("02-11-2020", "SALE", "202-1", "GB", "GB", "50.00", "0.2", "10.00",
            marketplace="amazon.co.uk", jurisdiction="UNITED KINGDOM"),
        row("03-11-2020", "SALE", "202-2", "DE", "GB", "100.00", "0.16", "16.00",
            marketplace="amazon.co.uk", jurisdiction="GERMANY"),
        row("04-11-2020", "SALE", "302-3", "DE", "DE", "100.00", "0.16", "16.00"),
        row("04-11-2020", "SALE", "302-4", "DE", "DE", "100.00", "0.05", "5.00"),
    ]), granularity="order")
    got = {b.document: (b.contra_account, b.text) for f in files for b in f.bookings}
    assert got == {
        "202-1": ("8339", "Amazon.co.uk Umsatz GB 20 %"),  # GB was in the EU in 2020
        "202-2": ("8315", "Amazon.co.uk Umsatz EU GB 16 %"),  # not an export in 2020
        "302-3": ("8400", "Amazon.de Umsatz 16 %"),
        "302-4": ("8300", "Amazon.de Umsatz 5 %"),
    }


def test_gb_to_gb_from_2021_is_not_an_export() -> None:
    files = orders(tsv([row("02-02-2021", "SALE", "202-1", "GB", "GB", "50.00", "0.2", "10.00",
                            marketplace="amazon.co.uk")]))
    assert [b.contra_account for f in files for b in f.bookings] == ["8338"]


def test_no_oss_key_before_july_2021() -> None:
    files = orders(tsv([
        row("30-06-2021", "SALE", "402-1", "DE", "FR", "100.00", "0.2", "20.00",
            jurisdiction="FRANCE"),
        row("01-07-2021", "SALE", "402-2", "DE", "FR", "100.00", "0.2", "20.00",
            jurisdiction="FRANCE"),
    ]), granularity="order")
    keys = {b.document: (b.contra_account, b.tax_key, b.eu_country) for f in files
            for b in f.bookings}
    assert keys == {"402-1": ("8320", "", "FR"), "402-2": ("8320", "240", "FR")}


def test_verbringen_booked_when_the_setting_asks() -> None:
    files = orders(tsv([
        row("13-03-2024", "FC_TRANSFER", "", "DE", "PL", "300.00", arrival_vat="PL5263144779"),
        row("13-03-2024", "FC_TRANSFER", "", "CZ", "DE", "100.00", "0.19"),
    ]), verbringen="book")
    got = [(b.side, b.account, b.contra_account, b.amount, b.eu_country)
           for f in files for b in f.bookings]
    assert sorted(got) == sorted([
        ("S", "1599", "8125", D("300.00"), "PL5263144779"),
        ("H", "1599", "3425", D("100.00"), ""),
    ])


# -- overlapping reports ------------------------------------------------------------------

@pytest.fixture
def database(tmp_path):  # type: ignore[no-untyped-def]
    init_db(tmp_path / "settlebook.sqlite3")
    with db.connection_context():
        yield


def _quarter_rows() -> list[dict[str, str]]:
    return [row(f"{day:02d}-{month:02d}-2024", "SALE", f"302-{month}-{day}", "DE", "DE",
                "100.00", "0.19", "19.00") for month in (1, 2, 3) for day in (5, 20)]


def _booked(report_id: int) -> Decimal:
    files, written, error = batches.compute(report_id, booking_settings.load_settings(),
                                            booking_settings.load_accounts(), CREATED_AT)
    assert error is None and all(w.ok for w in written)
    return sum((b.amount if b.side == "S" else -b.amount for f in files for b in f.bookings),
               D(0))


def test_quarterly_and_monthly_reports_book_each_month_once(database) -> None:  # type: ignore[no-untyped-def]
    quarter = _quarter_rows()
    q = import_bytes(tsv(quarter), "q1.txt").report_id
    jan = import_bytes(tsv([r for r in quarter if "-01-" in r["TRANSACTION_COMPLETE_DATE"]]),
                       "jan.txt").report_id
    assert Report.get_by_id(q).key == "A1SELLER0DE42:2024-01..2024-03"
    assert Report.get_by_id(jan).key == "A1SELLER0DE42:2024-01"
    # Default: the monthly report books January, the quarterly one February and March.
    assert (_booked(q), _booked(jan)) == (D("476.00"), D("238.00"))
    assert vat_months.skipped_months(Report.get_by_id(q)) == {"2024-01": "A1SELLER0DE42:2024-01"}
    # The user lets the quarterly report book January: the monthly one books nothing.
    batches.build(q)
    batches.build(jan)
    vat_months.choose("A1SELLER0DE42", "2024-01", "A1SELLER0DE42:2024-01..2024-03")
    assert Report.get_by_id(q).batch_status == "outdated"
    assert (_booked(q), _booked(jan)) == (D("714.00"), D("0"))
    notes = [n for f in batches.compute(jan, booking_settings.load_settings(), booking_settings.load_accounts(),
                                        CREATED_AT)[0] for n in f.notices]
    assert notes == []  # nothing to book at all: no file, no notice
    # Either way the three months are booked exactly once in total.
    assert _booked(q) + _booked(jan) == D("714.00")


def test_deleting_the_monthly_report_outdates_the_quarterly_one(database) -> None:  # type: ignore[no-untyped-def]
    from core.imports import delete_report

    quarter = _quarter_rows()
    q = import_bytes(tsv(quarter), "q1.txt").report_id
    jan = import_bytes(tsv(quarter[:2]), "jan.txt").report_id
    batches.build(q)
    assert _booked(q) == D("476.00")
    delete_report(jan)
    assert Report.get_by_id(q).batch_status == "outdated"
    assert _booked(q) == D("714.00")  # January is the quarterly report's again


def test_other_eu_marketplace_settlement_books_oss_by_its_profile() -> None:
    from datetime import UTC, datetime

    from core.booking.payout import build_payout
    from tests.unit.test_booking_helpers import line, settlement

    def fr(day: datetime):  # type: ignore[no-untyped-def]
        lines = [line("120.00", Category.PRODUCT_SALES, posted=day, marketplace="Amazon.fr")]
        return settlement(lines, marketplaces=["Amazon.fr"], deposit=day)

    for day, key in ((datetime(2024, 3, 5, tzinfo=UTC), "240"),
                     (datetime(2020, 3, 5, tzinfo=UTC), "")):
        files = build_payout(fr(day), DatevSettings(), default_account_set())
        (sale,) = [b for f in files for b in f.bookings if b.rule == "product_sales"]
        assert (sale.contra_account, sale.tax_key, sale.eu_country, sale.eu_rate) == (
            "8320", key, "FR", D("20.00"))
        assert all(validate(f.to_bytes(CREATED_AT)) == [] for f in files)
