"""DATEV details of issue 9 (docs/tax-rules.md §7): quoting, EU rate digits, batch label."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.datev import extf
from core.datev.booking import Booking
from core.datev.text import format_percent_field, label_field
from core.datev.validate import validate
from tests.unit.test_booking_helpers import CREATED_AT

HEADER = extf.Header(1001, 1, date(2024, 1, 1), 4, date(2024, 3, 1), date(2024, 3, 31),
                     'Amazon: "FR" 2024/03 ÄÖÜ €', "AM", "skr03")


def test_eu_rate_has_two_integer_digits() -> None:
    assert format_percent_field(Decimal("5.5")) == "05,50"
    assert format_percent_field(Decimal(20)) == "20,00"


def test_label_keeps_only_allowed_characters() -> None:
    assert label_field('Amazon: "FR" 2024/03 ÄÖÜ €') == "Amazon- -FR- 2024/03 ÄÖÜ -"
    assert len(label_field("x" * 40)) == 30


def test_empty_text_fields_are_written_as_empty_quotes_and_pass_the_validator() -> None:
    booking = Booking(amount=Decimal("10.00"), side="S", account="10000",
                      contra_account="8320", date=date(2024, 3, 5), document="A-1",
                      text="OSS FR", tax_key="240", eu_country="FR", eu_rate=Decimal("5.5"))
    data = extf.render(HEADER, [booking], CREATED_AT)
    assert validate(data) == []
    header, _, row = data.decode("cp1252").split("\r\n")[:3]
    assert '"Amazon- -FR- 2024/03 ÄÖÜ -"' in header
    fields = row.split(";")
    assert fields[extf.COL_BASE_CURRENCY] == '""' and fields[extf.COL_DOCUMENT_2] == '""'
    assert fields[extf.COL_ORIGIN_VAT_ID] == '""'
    assert fields[extf.COL_EU_RATE] == "05,50" and fields[extf.COL_TAX_KEY] == '"240"'
    assert fields[extf.COL_RATE] == ""  # numbers stay bare when empty
