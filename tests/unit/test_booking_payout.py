"""Amazon Payout batches: periods, currencies, granularity, debtor mode and the edge cases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core.booking.errors import BookingError
from core.booking.payout import build_payout
from core.datev import accounts as acc
from core.datev.accounts import AccountRule, default_account_set
from core.datev.batch import BatchFile, check_balanced
from core.datev.settings import DatevSettings
from core.datev.validate import validate
from core.reports.model import Category
from tests.unit.test_booking_helpers import CREATED_AT, ORDER, line, settlement, worked_example


def build(report, **settings) -> list[BatchFile]:  # type: ignore[no-untyped-def]
    s = DatevSettings(**settings)
    files = build_payout(report, s, default_account_set(s.chart))
    for f in files:
        assert validate(f.to_bytes(CREATED_AT)) == [], f.filename
    return files


def bookings(files: list[BatchFile]):  # type: ignore[no-untyped-def]
    return [b for f in files for b in f.bookings]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_sale_late_on_31_march_utc_lands_in_april() -> None:
    report = settlement([
        line("50.00", Category.PRODUCT_SALES, posted=utc(2024, 3, 31, 23, 30)),
        line("20.00", Category.PRODUCT_SALES, posted=utc(2024, 3, 30, 12, 0)),
    ], deposit=utc(2024, 4, 2, 8))
    files = build(report)
    assert [f.filename for f in files] == [
        "EXTF_Buchungsstapel_payout_123_202403.csv",
        "EXTF_Buchungsstapel_payout_123_202404.csv",
    ]
    assert (files[0].date_from, files[0].date_to) == (date(2024, 3, 30), date(2024, 3, 30))
    assert (files[1].date_from, files[1].date_to) == (date(2024, 4, 1), date(2024, 4, 2))
    assert [b.amount for b in files[1].bookings] == [Decimal("50.00"), Decimal("70.00")]
    assert check_balanced(files, "1210") == 0
    assert check_balanced(files[:1], "1210") == Decimal("20.00")  # balanced over the set


def test_without_month_split_a_settlement_is_still_split_at_the_year_end() -> None:
    report = settlement([
        line("10.00", Category.PRODUCT_SALES, posted=utc(2023, 12, 20, 12)),
        line("10.00", Category.PRODUCT_SALES, posted=utc(2023, 11, 28, 12)),
        line("5.00", Category.PRODUCT_SALES, posted=utc(2024, 1, 3, 12)),
    ], deposit=utc(2024, 1, 5, 8))
    files = build(report, split_months=False)
    assert [(f.date_from, f.date_to) for f in files] == [
        (date(2023, 11, 28), date(2023, 12, 20)), (date(2024, 1, 3), date(2024, 1, 5)),
    ]
    assert files[0].header.fiscal_year_start == date(2023, 1, 1)


def test_a_fiscal_year_from_july_splits_at_1_july() -> None:
    report = settlement([
        line("10.00", Category.PRODUCT_SALES, posted=utc(2024, 6, 20, 12)),
        line("5.00", Category.PRODUCT_SALES, posted=utc(2024, 7, 3, 12)),
    ], deposit=utc(2024, 7, 5, 8))
    files = build(report, split_months=False, fiscal_year_start_month=7)
    assert [f.header.fiscal_year_start for f in files] == [date(2023, 7, 1), date(2024, 7, 1)]


def test_files_never_exceed_the_row_limit() -> None:
    lines = [line("1.00", Category.PRODUCT_SALES, order_id=f"302-0000000-000000{i}")
             for i in range(7)]
    s = DatevSettings(granularity="order")
    files = build_payout(settlement(lines), s, default_account_set(), max_rows=3)
    assert [len(f.bookings) for f in files] == [3, 3, 2]
    assert [f.filename[-12:] for f in files] == ["202403_1.csv", "202403_2.csv", "202403_3.csv"]
    assert check_balanced(files, "1210") == 0


def test_per_order_granularity_uses_order_ids_for_order_lines_only() -> None:
    files = build(worked_example(), granularity="order")
    documents = {(b.rule, b.document) for b in bookings(files)}
    assert (Category.PRODUCT_SALES, ORDER) in documents
    assert (Category.SELLING_FEE, ORDER) in documents
    assert (Category.ADVERTISING, "123") in documents and (Category.PAYOUT, "123") in documents


def test_order_ids_are_made_datev_safe() -> None:
    report = settlement([line("1.00", Category.PRODUCT_SALES, order_id="S01_2345.678 9")])
    data = build(report, granularity="order")[0].to_bytes(CREATED_AT)
    assert b'"S01-2345-678-9"' in data


def test_vat_report_mode_books_revenue_against_the_amazon_debtor() -> None:
    rows = [(b.contra_account, b.side, b.amount, b.tax_key)
            for b in bookings(build(worked_example(), revenue_source="vat_report"))]
    assert rows[:2] == [("10000", "S", Decimal("119.00"), ""), ("10000", "H", Decimal("11.90"), "")]
    assert ("4760", "H", Decimal("16.65"), "94") in rows


def test_deemed_supplier_orders_book_on_the_deemed_supplier_account() -> None:
    mf = "302-1111111-1111111"
    report = settlement([
        line("100.00", Category.PRODUCT_SALES, order_id=mf, marketplace="Amazon.co.uk"),
        line("20.00", Category.PRODUCT_TAX, order_id=mf, description="Tax",
             marketplace="Amazon.co.uk"),
        line("-20.00", Category.MARKETPLACE_WITHHELD_TAX, order_id=mf,
             amount_type="ItemWithheldTax", description="MarketplaceFacilitatorVAT-Principal",
             marketplace="Amazon.co.uk"),
        line("50.00", Category.PRODUCT_SALES, order_id=ORDER, marketplace="Amazon.co.uk"),
        line("-5.00", Category.PRODUCT_SALES, order_id=mf, transaction_type="Refund",
             marketplace="Amazon.co.uk"),
        line("1.00", Category.MARKETPLACE_WITHHELD_TAX, order_id=mf, transaction_type="Refund",
             marketplace="Amazon.co.uk"),
    ], currency="EUR", marketplaces=["Amazon.co.uk"])
    rows = [(b.contra_account, b.side, b.amount, b.text) for b in bookings(build(report))]
    # Amazon.co.uk since 2021 has the third-country profile: never 8400 (German VAT).
    assert rows[:3] == [
        ("8338", "S", Decimal("50.00"), "Amazon.co.uk Umsatz nicht steuerbar"),
        ("8338", "S", Decimal("100.00"), "Amazon.co.uk Umsatz USt durch Amazon"),
        ("8338", "H", Decimal("4.00"), "Amazon.co.uk Erstattung USt durch Amazon"),
    ]


def test_a_negative_total_reverses_the_payout() -> None:
    report = settlement([line("-30.00", Category.STORAGE_FEE, amount_type="other-transaction",
                              description="Storage Fee", marketplace="")])
    rows = [(b.side, b.account, b.contra_account, b.amount) for b in bookings(build(report))]
    assert rows == [("H", "1210", "4780", Decimal("30.00")),
                    ("S", "1210", "1360", Decimal("30.00"))]


def test_zero_total_has_no_payout_and_zero_groups_no_booking() -> None:
    report = settlement([
        line("10.00", Category.SELLING_FEE), line("-10.00", Category.SELLING_FEE),
        line("0.00", Category.INFORMATIONAL),
    ])
    assert build(report) == []


def test_unmapped_lines_go_to_the_suspense_account_and_are_reported() -> None:
    report = settlement([
        line("100.00", Category.PRODUCT_SALES),
        line("-7.50", Category.UNMAPPED, transaction_type="NewThing", amount_type="Fee",
             description="Mystery"),
    ])
    files = build(report)
    suspense = [b for b in bookings(files) if b.contra_account == "1590"]
    assert [(b.side, b.amount, b.text) for b in suspense] == [
        ("H", Decimal("7.50"), "Amazon ungeklärter Posten")
    ]
    (notice,) = files[0].unmapped
    assert notice.line == 3
    assert "NewThing / Fee / Mystery" in notice.message()
    assert "1590" in notice.message()
    assert check_balanced(files, "1210") == 0


def test_foreign_currency_with_and_without_rate() -> None:
    report = settlement([line("117.00", Category.PRODUCT_SALES, currency="GBP",
                              marketplace="Amazon.co.uk")], currency="GBP",
                        marketplaces=["Amazon.co.uk"])
    with_rate = bookings(build(report, exchange_rates={"GBP": Decimal("1.17")}))
    assert {(b.currency, b.rate, b.base_amount) for b in with_rate} == {
        ("GBP", Decimal("1.17"), Decimal("100.00"))
    }
    data = build(report, exchange_rates={"GBP": Decimal("1.17")})[0].to_bytes(CREATED_AT)
    assert b'117,00;"S";"GBP";1,17;100,00;"EUR";' in data
    without = bookings(build(report))
    assert {(b.currency, b.rate, b.base_amount) for b in without} == {("GBP", None, None)}


def test_rules_per_marketplace_and_automatic_fee_accounts() -> None:
    accounts = default_account_set().with_rule(
        Category.SELLING_FEE, AccountRule("3123", None, "Amazon Gebühren §13b")
    ).with_rule(acc.CLEARING, AccountRule("1211"), marketplace="Amazon.de")
    files = build_payout(worked_example(), DatevSettings(), accounts)
    fee = next(b for f in files for b in f.bookings if b.rule == Category.SELLING_FEE)
    assert (fee.account, fee.contra_account, fee.tax_key) == ("1211", "3123", "")
    assert validate(files[0].to_bytes(CREATED_AT)) == []
    assert check_balanced(files, "1211") == 0


def test_oss_rule_on_a_settlement_carries_the_eu_columns() -> None:
    rule = AccountRule("8320", "240", "{marketplace} Umsatz OSS {country}", eu_country="FR",
                       eu_rate=Decimal("20.00"))
    accounts = default_account_set().with_rule(Category.PRODUCT_SALES, rule, "Amazon.fr")
    report = settlement([line("120.00", Category.PRODUCT_SALES, marketplace="Amazon.fr")],
                        marketplaces=["Amazon.fr"])
    files = build_payout(report, DatevSettings(), accounts)
    sale = files[0].bookings[0]
    assert (sale.contra_account, sale.tax_key, sale.eu_country, sale.eu_rate, sale.text) == (
        "8320", "240", "FR", Decimal("20.00"), "Amazon.fr Umsatz OSS FR")
    assert validate(files[0].to_bytes(CREATED_AT)) == []


def test_a_report_that_does_not_add_up_is_refused() -> None:
    report = settlement([line("10.00", Category.PRODUCT_SALES)], total=Decimal("9.99"))
    with pytest.raises(BookingError) as caught:
        build_payout(report, DatevSettings(), default_account_set())
    assert caught.value.code == "not_reconciled"
    assert "10.00" in caught.value.message() and "9.99" in caught.value.message()


def test_fractions_of_a_cent_are_refused() -> None:
    report = settlement([line("10.005", Category.PRODUCT_SALES)])
    with pytest.raises(BookingError) as caught:
        build_payout(report, DatevSettings(), default_account_set())
    assert caught.value.code == "amount_precision"


def test_an_unbalanced_clearing_account_is_an_error_not_rounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import core.booking.payout as payout

    monkeypatch.setattr(payout, "_payout_booking", lambda *args: [])
    with pytest.raises(BookingError) as caught:
        build_payout(worked_example(), DatevSettings(), default_account_set())
    assert caught.value.code == "clearing_not_balanced"
    assert "83.89" in caught.value.message()


def test_lines_without_a_date_use_the_period_end() -> None:
    report = settlement([line("10.00", Category.RESERVE_RELEASED, posted=None)])
    assert {b.date for b in bookings(build(report))} == {date(2024, 3, 18)}


def test_batch_files_read_back_from_bytes() -> None:
    files = build(worked_example(), granularity="order")
    again = BatchFile.from_bytes(files[0].to_bytes(CREATED_AT), files[0].filename)
    assert again.bookings == files[0].bookings
    assert again.header == files[0].header


def test_build_batch_dispatches_and_write_checked_validates() -> None:
    from core.booking.build import build_batch, write_checked
    from core.reports.model import Kind
    from tests.unit.test_booking_helpers import vat_report

    (written,) = write_checked(build_batch(worked_example(), DatevSettings(),
                                           default_account_set()), CREATED_AT)
    assert written.ok and written.filename.endswith("_202403.csv")
    assert build_batch(vat_report([]), DatevSettings(), default_account_set()) == []
    report = worked_example()
    report.kind = Kind.DATE_RANGE
    with pytest.raises(BookingError):
        build_batch(report, DatevSettings(), default_account_set())
