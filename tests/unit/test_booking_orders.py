"""Amazon Order batches from the VAT Transactions Report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.booking.errors import BookingError
from core.booking.orders import build_orders, listed_lines
from core.datev.accounts import default_account_set
from core.datev.batch import BatchFile
from core.datev.settings import DatevSettings
from core.datev.validate import validate
from core.reports.model import Category, TaxTreatment
from tests.unit.test_booking_helpers import CREATED_AT, ORDER, vat_line, vat_report, worked_example

T = TaxTreatment


def build(report, **settings) -> list[BatchFile]:  # type: ignore[no-untyped-def]
    s = DatevSettings(**settings)
    files = build_orders(report, s, default_account_set(s.chart))
    for f in files:
        assert validate(f.to_bytes(CREATED_AT)) == [], f.filename
    return files


def rows(files: list[BatchFile]) -> list[tuple[object, ...]]:
    return [
        (b.amount, b.side, b.account, b.contra_account, b.tax_key, b.eu_country, b.eu_rate,
         b.origin_vat_id, b.text)
        for f in files for b in f.bookings
    ]


def test_domestic_oss_b2b_export_and_deemed_supplier() -> None:
    report = vat_report([
        vat_line("119.00", T.DOMESTIC, vat="19.00"),
        vat_line("107.00", T.DOMESTIC, rate="7.00", vat="7.00", order_id="302-0000000-0000002"),
        vat_line("60.00", T.OSS, rate="20.00", vat="10.00", ship_to="FR",
                 order_id="302-0000000-0000003"),
        vat_line("50.00", T.OSS, rate="22.00", vat="9.02", ship_from="PL", ship_to="IT",
                 seller_vat_id="PL5263144779", order_id="302-0000000-0000004"),
        vat_line("200.00", T.INTRA_EU_B2B, rate="0.00", ship_to="FR",
                 buyer_vat_id="FR 54820509628", order_id="302-0000000-0000005"),
        vat_line("80.00", T.EXPORT, rate="0.00", ship_to="CH", order_id="302-0000000-0000006"),
        vat_line("120.00", T.DEEMED_SUPPLIER, rate="20.00", vat="20.00", ship_from="GB",
                 ship_to="GB", collection="MARKETPLACE", marketplace="amazon.co.uk",
                 order_id="302-0000000-0000007"),
    ])
    # Sorted like the rules table: deemed-supplier revenue sits with the payout rules.
    assert rows(build(report)) == [
        (Decimal("100.00"), "S", "10000", "8338", "", "", None, "",
         "Amazon.co.uk Umsatz USt durch Amazon"),
        (Decimal("119.00"), "S", "10000", "8400", "", "", None, "", "Amazon.de Umsatz 19 %"),
        (Decimal("107.00"), "S", "10000", "8300", "", "", None, "", "Amazon.de Umsatz 7 %"),
        (Decimal("60.00"), "S", "10000", "8320", "240", "FR", Decimal("20.00"), "",
         "Amazon.de Umsatz OSS FR 20 %"),
        (Decimal("50.00"), "S", "10000", "8320", "241", "IT", Decimal("22.00"), "PL5263144779",
         "Amazon.de Umsatz OSS IT 22 %"),
        (Decimal("200.00"), "S", "10000", "8125", "", "FR54820509628", None, "",
         "Amazon.de ig. Lieferung FR"),
        (Decimal("80.00"), "S", "10000", "8120", "", "", None, "", "Amazon.de Ausfuhr CH"),
    ]


def test_the_design_example_oss_row_is_written_with_eu_columns() -> None:
    report = vat_report([vat_line("60.00", T.OSS, rate="20.00", vat="10.00", ship_to="FR")])
    data = build(report)[0].to_bytes(CREATED_AT).decode("cp1252")
    row = data.split("\r\n")[2].split(";")
    assert row[:11] == ["60,00", '"S"', '"EUR"', "", "", '""', "10000", "8320", '"240"', "0503",
                        '"A1SELLER-2024-03"']
    assert (row[39], row[40]) == ('"FR"', "20,00")


def test_refunds_are_reversed_and_summed_per_day_and_treatment() -> None:
    report = vat_report([
        vat_line("119.00", T.DOMESTIC, vat="19.00"),
        vat_line("59.50", T.DOMESTIC, vat="9.50", order_id="302-0000000-0000002"),
        vat_line("-11.90", T.DOMESTIC, vat="-1.90", transaction_type="REFUND"),
        vat_line("-60.00", T.OSS, rate="20.00", vat="-10.00", ship_to="FR",
                 transaction_type="REFUND"),
    ])
    assert [(r[0], r[1], r[3], r[4], r[8]) for r in rows(build(report))] == [
        (Decimal("178.50"), "S", "8400", "", "Amazon.de Umsatz 19 %"),
        (Decimal("11.90"), "H", "8400", "", "Amazon.de Erstattung 19 %"),
        (Decimal("60.00"), "H", "8320", "240", "Amazon.de Erstattung OSS FR 20 %"),
    ]


def test_per_order_granularity() -> None:
    report = vat_report([
        vat_line("119.00", T.DOMESTIC, vat="19.00"),
        vat_line("59.50", T.DOMESTIC, vat="9.50", order_id="302-0000000-0000002"),
    ])
    documents = [b.document for f in build(report, granularity="order") for b in f.bookings]
    assert documents == ["302-0000000-0000002", ORDER]  # sorted by document


def test_stock_movements_are_listed_not_booked() -> None:
    moved = vat_line("0", T.NOT_TAXABLE, rate=None, ship_from="DE", ship_to="PL",
                     transaction_type="FC_TRANSFER", category=Category.STOCK_MOVEMENT)
    report = vat_report([vat_line("119.00", T.DOMESTIC, vat="19.00"), moved])
    files = build(report)
    assert len(files[0].bookings) == 1
    (notice,) = files[0].listed
    assert "Verbringen" in notice.message() and "DE → PL" in notice.message()
    assert "UStVA Kz 41, ZM" in notice.message()
    assert build(vat_report([moved])) == []
    assert [n.line for n in listed_lines(vat_report([moved]))] == [2]


def test_rows_without_a_usable_treatment_go_to_suspense_with_a_notice() -> None:
    report = vat_report([
        vat_line("110.00", T.DOMESTIC, rate="10.00", vat="10.00"),
        vat_line("50.00", T.OSS, rate=None, ship_to="FR"),
    ])
    files = build(report)
    assert {b.contra_account for b in files[0].bookings} == {"1590"}
    assert len(files[0].unmapped) == 2


def test_vat_amounts_with_four_decimals_are_rounded_after_summing() -> None:
    report = vat_report([
        vat_line("10.0049", T.DEEMED_SUPPLIER, net="10.0049", vat="2.0", ship_from="GB",
                 ship_to="GB", collection="MARKETPLACE"),
        vat_line("10.0049", T.DEEMED_SUPPLIER, net="10.0049", vat="2.0", ship_from="GB",
                 ship_to="GB", collection="MARKETPLACE", order_id="302-0000000-0000002"),
    ])
    assert [b.amount for f in build(report) for b in f.bookings] == [Decimal("20.01")]


def test_month_split_and_foreign_currency() -> None:
    from datetime import UTC, datetime

    report = vat_report([
        vat_line("120.00", T.FOREIGN_DOMESTIC, rate="20.00", vat="20.00", ship_from="PL",
                 ship_to="PL", currency="PLN", posted=datetime(2024, 3, 31, 22, 30, tzinfo=UTC)),
    ])
    files = build(report, exchange_rates={"PLN": Decimal("4.30")})
    assert files[0].filename == "EXTF_Buchungsstapel_orders_A1SELLER-2024-03_202404.csv"
    (b,) = files[0].bookings
    assert (b.currency, b.rate, b.base_amount, b.contra_account) == (
        "PLN", Decimal("4.30"), Decimal("27.91"), "8339")


def test_a_settlement_is_not_an_order_report() -> None:
    with pytest.raises(BookingError) as caught:
        build_orders(worked_example(), DatevSettings(), default_account_set())
    assert caught.value.code == "wrong_kind"


@pytest.mark.parametrize("chart", ["skr03", "skr04"])
def test_skr04_accounts(chart: str) -> None:
    report = vat_report([vat_line("60.00", T.OSS, rate="20.00", vat="10.00", ship_to="FR")])
    (b,) = [b for f in build(report, chart=chart) for b in f.bookings]
    assert (b.account, b.contra_account) == (("10000", "8320") if chart == "skr03"
                                             else ("10000", "4320"))
