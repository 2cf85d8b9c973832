"""Property tests: whatever a settlement holds, its batch balances and DATEV accepts it.

Random mixes of categories and signs, dates across month and year ends, foreign
currencies with and without a rate, negative totals, both charts, both granularities,
both revenue sources, fiscal years not starting in January.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.booking.dates import fiscal_year_start
from core.booking.payout import build_payout
from core.datev.accounts import default_account_set
from core.datev.batch import check_balanced
from core.datev.settings import DatevSettings
from core.datev.validate import validate
from core.reports.model import Category
from tests.unit.test_booking_helpers import CREATED_AT, line, settlement

START = datetime(2023, 11, 20, tzinfo=UTC)
CATEGORIES = [c for c in Category if c not in (Category.STOCK_MOVEMENT,)]
ORDERS = ["", "302-1234567-1234567", "028-7654321-7654321", "S01_odd id.with dots"]


@st.composite
def lines_strategy(draw: st.DrawFn, currency: str) -> list:  # type: ignore[type-arg]
    count = draw(st.integers(min_value=0, max_value=25))
    out = []
    for _ in range(count):
        cents = draw(st.integers(min_value=-500_000, max_value=500_000))
        out.append(line(
            Decimal(cents).scaleb(-2),
            draw(st.sampled_from(CATEGORIES)),
            posted=START + timedelta(minutes=draw(st.integers(0, 60 * 24 * 80))),
            transaction_type=draw(st.sampled_from(
                ["Order", "Refund", "Chargeback Refund", "other-transaction", "ServiceFee"])),
            order_id=draw(st.sampled_from(ORDERS)),
            marketplace=draw(st.sampled_from(["Amazon.de", "", "amazon.fr"])),
            currency=currency,
        ))
    return out


@st.composite
def scenario(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    currency = draw(st.sampled_from(["EUR", "EUR", "GBP", "PLN"]))
    rates = draw(st.sampled_from([{}, {"GBP": Decimal("1.17"), "PLN": Decimal("4.321987")}]))
    chart = draw(st.sampled_from(["skr03", "skr04"]))
    s = DatevSettings(
        chart=chart,
        granularity=draw(st.sampled_from(["daily", "order"])),
        revenue_source=draw(st.sampled_from(["settlement", "vat_report"])),
        split_months=draw(st.booleans()),
        fiscal_year_start_month=draw(st.sampled_from([1, 1, 4, 7, 12])),
        account_length=draw(st.sampled_from([4, 4, 6])),
        exchange_rates=rates,
    )
    lines = draw(lines_strategy(currency))
    deposit = START + timedelta(days=draw(st.integers(0, 90)), hours=draw(st.integers(0, 23)))
    report = settlement(lines, currency=currency, deposit=deposit,
                        marketplaces=draw(st.sampled_from([["Amazon.de"], [], ["Amazon.de", "Amazon.fr"]])))
    return report, s


@settings(max_examples=150, deadline=None)
@given(scenario())
def test_every_settlement_balances_and_validates(case) -> None:  # type: ignore[no-untyped-def]
    report, s = case
    accounts = default_account_set(s.chart, s.account_length)
    files = build_payout(report, s, accounts)
    clearing = accounts.rule("clearing").account
    assert check_balanced(files, clearing) == 0
    names = [f.filename for f in files]
    assert len(names) == len(set(names))
    for f in files:
        assert f.date_from.year == f.date_to.year
        fy = fiscal_year_start(f.date_from, s.fiscal_year_start_month)
        assert f.header.fiscal_year_start == fy
        assert all(f.date_from <= b.date <= f.date_to for b in f.bookings)
        if s.split_months:
            assert f.date_from.month == f.date_to.month
        assert validate(f.to_bytes(CREATED_AT)) == []
    booked_lines = sum(b.lines for f in files for b in f.bookings)
    assert booked_lines <= len(report.lines)
    expected_unmapped = sum(
        1 for ln in report.lines
        if ln.amount and ln.category in (Category.UNMAPPED, Category.INFORMATIONAL)
    )
    assert sum(len(f.unmapped) for f in files) == expected_unmapped


@st.composite
def vat_scenario(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    from core.reports.model import TaxTreatment
    from tests.unit.test_booking_helpers import vat_line, vat_report

    rows = []
    for i in range(draw(st.integers(0, 20))):
        treatment = draw(st.sampled_from(list(TaxTreatment)))
        cents = draw(st.integers(-300_000, 300_000))
        rows.append(vat_line(
            str(Decimal(cents).scaleb(-2)), treatment,
            rate=draw(st.sampled_from([None, "19.00", "7.00", "20.00", "5.50", "0.00"])),
            vat=str(Decimal(draw(st.integers(-9999, 9999))).scaleb(-4)),
            ship_from=draw(st.sampled_from(["DE", "PL", ""])),
            ship_to=draw(st.sampled_from(["DE", "FR", "IT", "CH", "GB", ""])),
            buyer_vat_id=draw(st.sampled_from(["", "FR54820509628", "x"])),
            seller_vat_id=draw(st.sampled_from(["", "PL5263144779"])),
            transaction_type=draw(st.sampled_from(["SALE", "REFUND", "RETURN", "FC_TRANSFER"])),
            order_id=f"302-0000000-{i:07d}",
            posted=START + timedelta(hours=draw(st.integers(0, 24 * 80))),
            currency=draw(st.sampled_from(["EUR", "GBP"])),
        ))
    s = DatevSettings(
        chart=draw(st.sampled_from(["skr03", "skr04"])),
        granularity=draw(st.sampled_from(["daily", "order"])),
        split_months=draw(st.booleans()),
        exchange_rates=draw(st.sampled_from([{}, {"GBP": Decimal("1.17")}])),
    )
    return vat_report(rows), s


@settings(max_examples=100, deadline=None)
@given(vat_scenario())
def test_every_order_report_validates(case) -> None:  # type: ignore[no-untyped-def]
    from core.booking.orders import build_orders

    report, s = case
    for f in build_orders(report, s, default_account_set(s.chart)):
        assert f.date_from.year == f.date_to.year
        assert validate(f.to_bytes(CREATED_AT)) == []
