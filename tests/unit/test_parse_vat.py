"""VAT Transactions Report: 92-column (tab and comma) and the newer OSS-era layout."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core.reports import Category, Kind, ReportError, parse, stream
from core.reports import TaxTreatment as T
from core.reports.vat import treatment
from tests.helpers import REPORTS

FIXTURES = REPORTS
REAL_SAMPLES = Path("/work/shared/samples/public")
D = Decimal


def load(name: str):
    return parse((FIXTURES / name).read_bytes(), name)


def facts(report):
    return [(line.transaction_type, line.amount, line.vat.treatment, line.vat.rate,
             line.vat.net, line.vat.vat, line.category) for line in report.lines]


def test_92_columns_tab():
    report = load("vat_92_tab.txt")
    assert (report.kind, report.layout) == (Kind.VAT_TRANSACTIONS, "vat_92")
    assert report.key == "A1SELLER0DE42:2020-01"
    assert report.currency == "EUR" and report.total == D("8.988") and report.reconciles
    assert report.period_start == datetime(2020, 1, 1, tzinfo=UTC)
    assert report.period_end.date() == date(2020, 1, 31)
    assert report.deposit_date is None
    assert report.marketplaces == ["Amazon.de"]
    assert facts(report) == [
        ("SALE", D("19.992"), T.DOMESTIC, D("19.00"), D("16.80"), D("3.192"),
         Category.PRODUCT_SALES),
        ("SALE", D("8.988"), T.DOMESTIC, D("7.00"), D("8.40"), D("0.588"),
         Category.PRODUCT_SALES),
        ("REFUND", D("-19.992"), T.DOMESTIC, D("19.00"), D("-16.80"), D("-3.192"),
         Category.PRODUCT_SALES),
        # Goods coming back; the money is the REFUND row.
        ("RETURN", D("0"), T.NOT_TAXABLE, None, D("0"), D("0"), Category.STOCK_MOVEMENT),
        ("FC_TRANSFER", D("0"), T.NOT_TAXABLE, None, D("0"), D("0"), Category.STOCK_MOVEMENT),
        ("INBOUND", D("0"), T.NOT_TAXABLE, None, D("0"), D("0"), Category.STOCK_MOVEMENT),
    ]
    assert {str(k): v for k, v in report.category_totals().items()} == {
        "product_sales": D("8.988"), "stock_movement": D("0")}
    first = report.lines[0]
    assert first.posted == datetime(2020, 1, 3, tzinfo=UTC)
    assert first.order_id == "302-0000001-0000001" and first.sku == "KAFFEE-500G"
    assert first.vat.seller_vat_id == "DE123456789" and first.vat.jurisdiction == "GERMANY"
    assert first.extra["VAT_INV_NUMBER"] == "INV-DE-1"
    assert report.lines[4].order_id == "" and report.lines[4].vat.event_id == "4771817619"


def test_92_columns_comma_with_quoted_cells_and_no_final_newline():
    data = (FIXTURES / "vat_92_comma.csv").read_bytes()
    assert not data.endswith(b"\n") and b'"Th\xc3\xa9 vert, 100 g"' in data
    report = parse(data, "vat.csv")
    assert report.layout == "vat_92" and report.key == "A1SELLER0DE42:2020-02"
    assert report.total == D("176.988") and len(report.lines) == 4
    assert report.marketplaces == ["Amazon.de", "Amazon.fr"]
    assert [line.vat.treatment for line in report.lines] == [
        T.FOREIGN_DOMESTIC, T.OSS, T.INTRA_EU_B2B, T.DOMESTIC]
    assert report.lines[0].extra["ITEM_DESCRIPTION"] == "Thé vert, 100 g"
    assert report.lines[2].vat.buyer_vat_id == "ATU12345678" and report.lines[2].quantity == 8


def test_oss_layout():
    report = load("vat_oss_tab.txt")
    assert report.layout == "vat_oss" and report.key == "A2SELLER0DE77:2026-03"
    assert report.total == D("522.60") and len(report.lines) == 10
    assert report.period_end == datetime(2026, 3, 31, 23, 59, 59, tzinfo=UTC)
    assert [(line.vat.treatment, line.vat.rate, line.amount, line.vat.ship_to)
            for line in report.lines] == [
        (T.OSS, D("20.00"), D("60.00"), "FR"),
        (T.OSS, D("22.00"), D("12.20"), "IT"),
        (T.OSS, D("20.00"), D("-60.00"), "FR"),
        (T.DOMESTIC, D("19.00"), D("119.00"), "DE"),
        (T.DOMESTIC, D("7.00"), D("21.40"), "DE"),
        (T.INTRA_EU_B2B, D("0.00"), D("300.00"), "FR"),
        (T.EXPORT, D("0.00"), D("40.00"), "CH"),
        (T.DEEMED_SUPPLIER, D("20.00"), D("30.00"), "GB"),
        (T.NOT_TAXABLE, None, D("0.0"), "PL"),
        (T.NOT_TAXABLE, None, D("0.0"), "DE"),
    ]
    assert report.lines[0].vat.scheme == "UNION-OSS"
    assert report.lines[7].vat.collection == "MARKETPLACE"
    assert report.lines[0].extra.get("PROGRAM_TYPE") is None  # empty cells are not kept
    assert {str(k): v for k, v in report.category_totals().items()} == {
        "product_sales": D("522.60"), "stock_movement": D("0.0")}


def test_key_and_total_known_after_streaming():
    s = stream((FIXTURES / "vat_oss_tab.txt").read_bytes(), "vat.txt")
    assert s.kind is Kind.VAT_TRANSACTIONS and s.layout == "vat_oss"
    assert s.key is None and s.total is None
    assert sum(1 for _ in s) == 10
    assert s.key == "A2SELLER0DE77:2026-03" and s.total == D("522.60") and s.reconciles


@pytest.mark.parametrize(("args", "expected"), [
    (("SALE", "DE", "DE", "", D(19), D(19), "GERMANY"), T.DOMESTIC),
    (("SALE", "PL", "DE", "", D(19), D(19), "GERMANY"), T.DOMESTIC),
    (("SALE", "DE", "FR", "", D(2), D(20), "FRANCE", "UNION-OSS", "SELLER"), T.OSS),
    (("SALE", "DE", "FR", "", D(2), D(20)), T.OSS),
    (("SALE", "CZ", "AT", "", D(2), D(21), "CZECH REPUBLIC"), T.FOREIGN_DOMESTIC),
    (("SALE", "FR", "FR", "", D(2), D(20), "FRANCE"), T.FOREIGN_DOMESTIC),
    (("SALE", "DE", "AT", "ATU12345678", D(0), D(0)), T.INTRA_EU_B2B),
    (("SALE", "DE", "AT", "ATU1", D(0), D(0)), None),  # no shape, no rate: undecided
    (("SALE", "DE", "CH", "", D(0), D(0)), T.EXPORT),
    (("SALE", "DE", "US", "", D(0), None), T.EXPORT),
    (("SALE", "GB", "GB", "", D(4), D(20)), T.FOREIGN_DOMESTIC),  # third country, 2024
    (("SALE", "DE", "GB", "", D(4), D(20), "", "UK_VOEC-DOMESTIC", "MARKETPLACE"),
     T.DEEMED_SUPPLIER),
    (("SALE", "DE", "NO", "", D(4), D(25), "", "DEEMED_RESELLER-IOSS"), T.DEEMED_SUPPLIER),
    (("FC_TRANSFER", "DE", "PL"), T.NOT_TAXABLE),
    (("INBOUND", "CN", "DE"), T.NOT_TAXABLE),
    (("RETURN", "PL", "DE"), T.NOT_TAXABLE),
])
def test_treatment_summary_stored_with_the_line(args, expected):
    from core.booking.treatment import RowFacts

    assert treatment(RowFacts(*args), date(2024, 3, 1)) is expected


def test_mixed_currencies_are_kept_per_line():
    # A pan-EU seller's month holds EUR and PLN (or SEK, GBP) rows side by side.
    data = (FIXTURES / "vat_92_comma.csv").read_bytes().replace(b",EUR,", b",PLN,", 1)
    report = parse(data, "vat.csv")
    assert report.currency == "EUR/PLN"
    assert [line.currency for line in report.lines].count("PLN") == 1
    assert {line.currency for line in report.lines} == {"EUR", "PLN"}


def test_missing_columns_are_named():
    data = (FIXTURES / "vat_92_tab.txt").read_bytes().replace(
        b"TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL", b"TOTAL_X", 1)
    with pytest.raises(ReportError) as caught:
        parse(data, "vat.txt")
    assert caught.value.code == "unknown_layout"
    assert "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL" in str(caught.value)


def test_trailing_empty_cells_may_be_missing_but_a_cut_last_row_is_truncated():
    data = (FIXTURES / "vat_92_tab.txt").read_bytes()
    lines = data.split(b"\r\n")
    lines[1] = lines[1].rstrip(b"\t")  # like the real sample: 88 of 92 cells
    assert parse(b"\r\n".join(lines), "vat.txt").total == D("8.988")
    cut = data.rstrip(b"\r\n")
    cut = cut[: cut.rfind(b"\t", 0, len(cut) - 60)]
    with pytest.raises(ReportError) as caught:
        parse(cut, "vat.txt")
    assert caught.value.code == "truncated"


def test_bad_period_and_bad_date():
    data = (FIXTURES / "vat_92_tab.txt").read_bytes()
    with pytest.raises(ReportError) as caught:
        parse(data.replace(b"2020-JAN", b"2020-XYZ", 2), "vat.txt")
    assert caught.value.code == "bad_date" and caught.value.params["column"] == "ACTIVITY_PERIOD"
    with pytest.raises(ReportError) as caught:
        parse(data.replace(b"03-01-2020", b"33-01-2020"), "vat.txt")
    assert caught.value.code == "bad_date" and caught.value.line == 2


@pytest.mark.skipif(not REAL_SAMPLES.is_dir(), reason="shared real samples not available")
@pytest.mark.parametrize(("name", "key", "lines"), [
    ("vat-transactions-report_2020-01_tab_de-refund-small.txt", "A2SC1XXXXXX99C:2020-01", 1),
    ("vat-transactions-report_2019-06_tab_de-fr-it-es_excerpt.txt",
     "A2SC0NLSYTA68B:2019-06", 152),
    ("vat-transactions-report_2020-01_comma-csv_fictional-bond-store.csv",
     "A2SB1NLSCTA007:2020-01", 285),
])
def test_real_vat_samples(name, key, lines):
    report = parse((REAL_SAMPLES / name).read_bytes(), name)
    assert report.key == key and len(report.lines) == lines and report.unmapped() == {}
