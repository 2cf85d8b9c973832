"""Which report is this? Decided from the content (header line), never the file name.

- settlement flat file: tab-separated header with `settlement-id` and `transaction-type`;
  V2 has `amount-type`/`amount`, V1 has `price-type`, `item-related-fee-amount`, … ;
- VAT Transactions Report: header with `TRANSACTION_TYPE` and `UNIQUE_ACCOUNT_IDENTIFIER`
  / `TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL`, tab- or comma-separated;
- Date Range report: quoted CSV whose header (after a preamble of notes) has
  `date/time`, `settlement id`, `type` or the German equivalents.
"""

from __future__ import annotations

import csv

from core.reports import errors
from core.reports.classify import Classifier
from core.reports.date_range import DateRangeReader, header_language, looks_like_date_range_header
from core.reports.decode import Text, open_text
from core.reports.reader import Reader
from core.reports.settlement import SettlementV2Reader, is_settlement_header
from core.reports.settlement_v1 import SettlementV1Reader
from core.reports.vat import VatReader

# How far to look for a Date Range header below its preamble of notes.
PREAMBLE_LINES = 40
V1_MARKERS = ("price-type", "price-amount", "item-related-fee-amount", "other-amount",
              "shipment-fee-amount", "order-fee-amount", "misc-fee-amount")
VAT_MARKERS = ("UNIQUE_ACCOUNT_IDENTIFIER", "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL",
               "ACTIVITY_PERIOD", "TRANSACTION_EVENT_ID")


def _csv_cells(line: str) -> list[str]:
    try:
        row = next(csv.reader([line]), [])
    except csv.Error:
        return []
    return [cell.strip() for cell in row]


def open_reader(data: bytes, filename: str | None, classify: Classifier) -> tuple[Reader, Text]:
    text = open_text(data, filename)
    numbered = enumerate(text.lines(), start=1)
    seen = 0
    for line_no, line in numbered:
        if not line.strip():
            continue
        seen += 1
        first = line.lstrip("\ufeff").strip()
        if seen == 1:
            reader = _from_first_line(first, line_no, numbered, text, filename, classify)
            if reader is not None:
                return reader, text
        if _date_range_header(first, filename) is not None:
            return DateRangeReader(text, filename, classify), text
        if seen >= PREAMBLE_LINES:
            break
    raise errors.not_a_report_text(filename, PREAMBLE_LINES)


def _from_first_line(first, line_no, numbered, text, filename, classify) -> Reader | None:
    if first.startswith("<"):
        head = text.data[:4096]
        if b"AmazonEnvelope" in head or b"SettlementReport" in head:
            raise errors.unsupported_xml(filename)
        raise errors.not_a_report_text(filename, 1)
    if "\t" in first:
        cells = [cell.strip().lower() for cell in first.split("\t")]
        if is_settlement_header(cells):
            has_v2 = "amount-type" in cells or "amount" in cells
            if not has_v2 and any(marker in cells for marker in V1_MARKERS):
                return SettlementV1Reader(numbered, cells, line_no, text.data, filename,
                                          classify)
            return SettlementV2Reader(numbered, cells, line_no, text.data, filename,
                                      classify)
    upper = first.upper()
    if "TRANSACTION_TYPE" in upper and any(marker in upper for marker in VAT_MARKERS):
        return VatReader(text, first, line_no, filename, classify)
    return None


def _date_range_header(line: str, filename: str | None = None) -> str | None:
    """The language when `line` is a Date Range header row, else None; a header in a
    language settlebook does not read is an error that says so."""
    if "," not in line:
        return None
    cells = _csv_cells(line)
    language = header_language(cells)
    if language is None and looks_like_date_range_header(cells):
        raise errors.unsupported_language(filename, cells[0])
    return language

