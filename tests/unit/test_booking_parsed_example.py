"""End to end: the worked example as an Amazon file, parsed, booked, written, validated.

The fixture (owned by the parser work) is dated 2026, after the fee regime switch, so
the fees carry tax key 9 instead of the 94 of the 2024 golden files.
"""

from __future__ import annotations

import pytest

from core.booking.payout import build_payout
from core.datev.accounts import default_account_set
from core.datev.settings import DatevSettings
from core.datev.validate import validate
from tests.helpers import REPORTS
from tests.unit.test_booking_helpers import CREATED_AT

FIXTURE = REPORTS / "settlement_v2_de_worked_example.txt"


@pytest.mark.skipif(not FIXTURE.exists(), reason="parser fixture not there yet")
def test_parsed_worked_example_books_as_the_table() -> None:
    from core.reports import parse

    report = parse(FIXTURE.read_bytes(), FIXTURE.name)
    (batch,) = build_payout(report, DatevSettings(), default_account_set())
    rows = [
        (f"{b.amount:.2f}".replace(".", ","), b.side, b.account, b.contra_account, b.tax_key,
         f"{b.date:%d%m}", b.document, b.text)
        for b in batch.bookings
    ]
    assert rows == [
        ("119,00", "S", "1210", "8400", "", "0503", "123", "Amazon.de Umsatz"),
        ("11,90", "H", "1210", "8400", "", "0503", "123", "Amazon.de Erstattung"),
        ("16,65", "H", "1210", "4760", "9", "0503", "123", "Amazon.de Verkaufsgebühren"),
        ("3,35", "H", "1210", "4730", "9", "0503", "123", "Amazon.de Versandgebühren FBA"),
        ("10,00", "H", "1210", "4600", "9", "0503", "123", "Amazon Werbekosten"),
        ("20,00", "H", "1210", "1500", "", "0503", "123", "Amazon Rücklage einbehalten"),
        ("15,00", "S", "1210", "1500", "", "0503", "123", "Amazon Rücklage freigegeben"),
        ("11,79", "S", "1210", "2742", "", "0503", "123", "Amazon Erstattung Lagerschaden"),
        ("83,89", "H", "1210", "1360", "", "1803", "123", "Amazon Auszahlung"),
    ]
    assert batch.filename == "EXTF_Buchungsstapel_payout_123_202603.csv"
    assert validate(batch.to_bytes(CREATED_AT)) == []


VAT_FIXTURE = FIXTURE.parent / "vat_oss_tab.txt"


@pytest.mark.skipif(not VAT_FIXTURE.exists(), reason="parser fixture not there yet")
def test_parsed_vat_report_books_and_validates() -> None:
    from core.booking.orders import build_orders
    from core.reports import parse

    report = parse(VAT_FIXTURE.read_bytes(), VAT_FIXTURE.name)
    files = build_orders(report, DatevSettings(), default_account_set())
    assert files and all(validate(f.to_bytes(CREATED_AT)) == [] for f in files)
    bookings = [b for f in files for b in f.bookings]
    assert any(b.contra_account == "8320" and b.tax_key in ("240", "241") and b.eu_country
               for b in bookings)
    assert {b.account for b in bookings} == {"10000"}
    assert sum(len(f.listed) for f in files) >= 1
