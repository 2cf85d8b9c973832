"""The monthly Amazon VAT Transactions Report (`GET_VAT_TRANSACTION_DATA`).

Tab- or comma-separated (docs/report-formats.md#vat-transactions), one Line per row: `amount` is
TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL as in the file (refunds negative), and `vat` holds the
tax facts with a treatment decided from the row (`treatment()`). Layouts: the 2019/2020
92-column one (`vat_92`) and newer ones with TAX_REPORTING_SCHEME /
TAX_COLLECTION_RESPONSIBILITY (`vat_oss`); columns are read by name, unknown ones go to
`Line.extra`. Dot decimals, dates `DD-MM-YYYY`, rates as fractions (`0.19` -> 19.00 %).

Rows without VAT columns (sellers outside the VAT Calculation Service) get `vat = 0`,
`net = amount` and `rate = None`: the tax has to be derived by whoever books them.
The natural key `"<UNIQUE_ACCOUNT_IDENTIFIER>:<YYYY-MM>"` (first account id, earliest
ACTIVITY_PERIOD), the period and the total are only known once all rows are read.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from core.booking.treatment import Case, RowFacts, decide
from core.reports import errors
from core.reports.classify import VAT_AMOUNT_TYPE, Classifier
from core.reports.dates import BadDate, DateParser
from core.reports.decode import Text
from core.reports.model import Kind, Line, TaxTreatment, VatDetail
from core.reports.numbers import BadNumber, NumberFormat, parse_quantity
from core.reports.reader import Columns, Reader, fit_row, marketplace_name

REQUIRED = ("UNIQUE_ACCOUNT_IDENTIFIER", "ACTIVITY_PERIOD", "TRANSACTION_TYPE",
            "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL", "TRANSACTION_CURRENCY_CODE")
NOT_TAXABLE_TYPES = frozenset({"FC_TRANSFER", "INBOUND"})
MONTHS = {name: number for number, name in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}
# Columns a Line or VatDetail models; every other non-empty cell goes to Line.extra.
MODELLED = frozenset({
    "TRANSACTION_TYPE", "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL", "TOTAL_ACTIVITY_VALUE_AMT_VAT_EXCL",
    "TOTAL_ACTIVITY_VALUE_VAT_AMT", "PRICE_OF_ITEMS_VAT_RATE_PERCENT",
    "TRANSACTION_CURRENCY_CODE", "MARKETPLACE", "SALES_CHANNEL", "SELLER_SKU", "QTY",
    "TRANSACTION_EVENT_ID", "TRANSACTION_COMPLETE_DATE", "SALE_DEPART_COUNTRY",
    "SALE_ARRIVAL_COUNTRY", "BUYER_VAT_NUMBER", "TRANSACTION_SELLER_VAT_NUMBER",
    "TAXABLE_JURISDICTION", "TAX_REPORTING_SCHEME", "TAX_COLLECTION_RESPONSIBILITY",
})
_DATE_COLUMNS = ("TRANSACTION_COMPLETE_DATE", "TAX_CALCULATION_DATE",
                 "TRANSACTION_DEPART_DATE", "TRANSACTION_ARRIVAL_DATE")
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_ZERO = Decimal("0")


_TREATMENTS = {
    Case.DOMESTIC: TaxTreatment.DOMESTIC, Case.EU_TAXED_HOME: TaxTreatment.DOMESTIC,
    Case.OSS_FROM_HOME: TaxTreatment.OSS, Case.OSS_FROM_ABROAD: TaxTreatment.OSS,
    Case.DISTANCE_SALE_PRE_OSS: TaxTreatment.OSS, Case.INTRA_EU_B2B: TaxTreatment.INTRA_EU_B2B,
    Case.FOREIGN_EU: TaxTreatment.FOREIGN_DOMESTIC,
    Case.THIRD_COUNTRY: TaxTreatment.FOREIGN_DOMESTIC, Case.EXPORT: TaxTreatment.EXPORT,
    Case.DEEMED_SUPPLIER_EXPORT: TaxTreatment.DEEMED_SUPPLIER,
    Case.DEEMED_SUPPLIER_ABROAD: TaxTreatment.DEEMED_SUPPLIER,
    Case.VERBRINGEN_OUT: TaxTreatment.NOT_TAXABLE, Case.VERBRINGEN_IN: TaxTreatment.NOT_TAXABLE,
    Case.TRANSFER_ABROAD: TaxTreatment.NOT_TAXABLE, Case.NOT_A_SUPPLY: TaxTreatment.NOT_TAXABLE,
}


def treatment(facts: RowFacts, day: date) -> TaxTreatment | None:
    """The stored summary of a row's treatment; the booking decides again with settings
    (core.booking.treatment is the one home of the rules). None: undecidable."""
    return _TREATMENTS.get(decide(facts, day).case)


class VatReader(Reader):
    kind = Kind.VAT_TRANSACTIONS
    total_is_sum = True

    def __init__(self, text: Text, first: str, header_no: int, filename: str | None,
                 classify: Classifier) -> None:
        self.filename = filename
        self.classify = classify
        self.text = text
        self.delimiter = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") \
            else ","
        header = self._header_cells(first)
        self.cols = Columns([name.upper() for name in header])
        missing = self.cols.missing(REQUIRED)
        if missing:
            raise errors.unknown_layout(filename, header_no, errors.UNKNOWN_LAYOUT_VAT, missing)
        self.header_no = header_no
        self.layout = "vat_oss" if ("TAX_REPORTING_SCHEME" in self.cols
                                    or "TAX_COLLECTION_RESPONSIBILITY" in self.cols) \
            else "vat_92"
        self.numbers = NumberFormat("," if self.delimiter == ";" else ".")
        self.dates = DateParser()
        self.seller = ""
        self.currencies: set[str] = set()
        self.months: set[tuple[int, int]] = set()
        self.required_width = max(self.cols.index[name] for name in REQUIRED) + 1
        self.last_padded = 0

    def _header_cells(self, first: str) -> list[str]:
        if self.delimiter == "\t":
            return [cell.strip().strip('"') for cell in first.split("\t")]
        try:
            return [cell.strip() for cell in next(csv.reader([first],
                                                             delimiter=self.delimiter))]
        except (csv.Error, StopIteration):
            return []

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows after the header, as stripped cells with their physical line number."""
        width, filename = len(self.cols.names), self.filename
        if self.delimiter == "\t":
            for line_no, line in enumerate(self.text.lines(), start=1):
                if line_no <= self.header_no or not line.strip():
                    continue
                cells = [cell.strip() for cell in line.split("\t")]
                if len(cells) != width:
                    cells = self._fit(cells, line_no)
                yield line_no, [c[1:-1] if len(c) > 1 and c[0] == c[-1] == '"' else c
                                for c in cells]
            self._check_end()
            return
        reader = csv.reader(self.text.raw_lines(), delimiter=self.delimiter, strict=True)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                self._check_end()
                return
            except csv.Error as problem:
                raise errors.csv_problem(filename, reader.line_num, problem) from None
            line_no = reader.line_num
            if line_no <= self.header_no or not row or not any(cell.strip() for cell in row):
                continue
            cells = [cell.strip() for cell in row]
            if len(cells) != width:
                cells = self._fit(cells, line_no)
            yield line_no, cells

    def _fit(self, cells: list[str], line_no: int) -> list[str]:
        """Real files omit trailing empty cells (seen: 88 of 92), so short rows are padded
        as long as they reach the required columns; a short row at the very end of a file
        without a final newline is a cut-off file (checked in `_check_end`)."""
        width = len(self.cols.names)
        if len(cells) > width or len(cells) < self.required_width:
            return fit_row(cells, width, self.filename, line_no)
        self.last_padded = line_no
        return cells + [""] * (width - len(cells))

    def _check_end(self) -> None:
        data = self.text.data
        if self.last_padded and not data.rstrip(b" \t").endswith((b"\n", b"\r")):
            last_line = data.count(b"\n") + 1
            if self.last_padded >= last_line:
                raise errors.short_row(self.filename, self.last_padded, 0,
                                       len(self.cols.names))

    def _number(self, text: str, line_no: int, column: str) -> Decimal:
        try:
            return self.numbers.parse(text)
        except BadNumber:
            raise errors.bad_number(self.filename, line_no, column, text) from None

    def _month(self, text: str, line_no: int) -> tuple[int, int]:
        year, _, month = text.upper().partition("-")
        if not (len(year) == 4 and year.isdigit() and year.isascii()) or month not in MONTHS:
            raise errors.bad_period(self.filename, line_no, "ACTIVITY_PERIOD", text)
        return int(year), MONTHS[month]

    def _rate(self, cells: list[str], line_no: int) -> Decimal | None:
        """The item VAT rate in percent (shipping's if the item has none); None if blank."""
        rate = None
        for column in ("PRICE_OF_ITEMS_VAT_RATE_PERCENT", "SHIP_CHARGE_VAT_RATE_PERCENT"):
            at = self.cols.get(column)
            if at is None or not cells[at]:
                continue
            value = self._number(cells[at], line_no, column)
            # Amazon writes fractions (0.19); a value above 1 already is a percentage.
            value = value * _HUNDRED if abs(value) <= 1 else value
            if not -_HUNDRED <= value <= _HUNDRED:  # a rate is a percentage, never 30 digits
                raise errors.bad_number(self.filename, line_no, column, cells[at])
            rate = value.quantize(_CENT)
            if rate:
                break
        return rate

    def lines(self) -> Iterator[Line]:
        g = self.cols.index.get
        col = self.cols.index
        names = self.cols.names
        extra_at = [(name, i) for i, name in enumerate(names) if name not in MODELLED]

        def get(cells: list[str], *columns: str) -> str:
            for column in columns:
                at = g(column)
                if at is not None and cells[at]:
                    return cells[at]
            return ""

        count = 0
        for line_no, cells in self._rows():
            tt = cells[col["TRANSACTION_TYPE"]].upper()
            amount_text = cells[col["TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL"]]
            if not tt and not amount_text.strip("0.,+- "):
                continue  # an empty spreadsheet row (only zeros): no information
            count += 1
            period = cells[col["ACTIVITY_PERIOD"]]
            month = self._month(period, line_no) if period else None
            if month:
                self.months.add(month)
            seller = cells[col["UNIQUE_ACCOUNT_IDENTIFIER"]]
            if seller and not self.seller:
                self.seller = seller
            currency = cells[col["TRANSACTION_CURRENCY_CODE"]].upper()
            if currency:
                # A pan-EU seller's month mixes EUR, PLN, SEK, GBP rows; each line keeps
                # its own currency and is booked in it.
                self.currencies.add(currency)
            amount = self._number(amount_text, line_no, "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL") \
                if amount_text else _ZERO
            vat_text = get(cells, "TOTAL_ACTIVITY_VALUE_VAT_AMT")
            vat = self._number(vat_text, line_no, "TOTAL_ACTIVITY_VALUE_VAT_AMT") \
                if vat_text else _ZERO
            net_text = get(cells, "TOTAL_ACTIVITY_VALUE_AMT_VAT_EXCL")
            net = self._number(net_text, line_no, "TOTAL_ACTIVITY_VALUE_AMT_VAT_EXCL") \
                if net_text else amount - vat
            rate = self._rate(cells, line_no)
            depart = get(cells, "SALE_DEPART_COUNTRY", "DEPARTURE_COUNTRY").upper()
            arrive = get(cells, "SALE_ARRIVAL_COUNTRY", "ARRIVAL_COUNTRY").upper()
            buyer_vat = get(cells, "BUYER_VAT_NUMBER")
            jurisdiction = get(cells, "TAXABLE_JURISDICTION").upper()
            scheme = get(cells, "TAX_REPORTING_SCHEME").upper()
            collection = get(cells, "TAX_COLLECTION_RESPONSIBILITY").upper()
            posted = None
            for column in _DATE_COLUMNS:
                stamp = get(cells, column)
                if stamp:
                    try:
                        posted = self.dates.parse(stamp)
                    except BadDate:
                        raise errors.bad_date(self.filename, line_no, column, stamp) from None
                    break
            seller_vat = get(cells, "TRANSACTION_SELLER_VAT_NUMBER")
            if tt in NOT_TAXABLE_TYPES:
                # A transfer's VAT id that matters (ZM) is the seller's in the arrival country.
                seller_vat = get(cells, "SELLER_ARRIVAL_COUNTRY_VAT_NUMBER") or seller_vat
            # The tax date decides EU membership and rates; the month if no date is given.
            day = posted.date() if posted else date(*month, 1) if month else date.today()
            how = treatment(RowFacts(tt, depart, arrive, buyer_vat, vat, rate, jurisdiction,
                                     scheme, collection, seller_vat, "", seller_vat), day)
            detail = VatDetail(
                how or TaxTreatment.UNDECIDED, rate, net, vat, depart, arrive, buyer_vat,
                seller_vat, jurisdiction, get(cells, "TRANSACTION_EVENT_ID"), scheme,
                collection,
            )
            qty_text = get(cells, "QTY")
            quantity = None
            if qty_text:
                try:
                    quantity = parse_quantity(qty_text)
                except BadNumber:
                    raise errors.bad_integer(self.filename, line_no, "QTY", qty_text) from None
            event = detail.event_id
            yield Line(
                line_no, posted, tt, VAT_AMOUNT_TYPE, str(how), amount,
                self.classify(tt, VAT_AMOUNT_TYPE, str(how)),
                event if tt not in NOT_TAXABLE_TYPES else "",
                "", get(cells, "SELLER_SKU"), quantity,
                marketplace_name(get(cells, "MARKETPLACE")),
                get(cells, "SALES_CHANNEL"), "", currency, detail,
                {name: cells[i] for name, i in extra_at if cells[i]},
            )
        if not count:
            raise errors.no_rows(self.filename, self.header_no + 1)
        self._finish()

    def _finish(self) -> None:
        # The report's currency names every currency in it, so a total over several
        # currencies is never shown as if it were one amount.
        self.currency = "/".join(sorted(self.currencies))
        if self.months:
            first, last = min(self.months), max(self.months)
            self.period_start = datetime(*first, 1, tzinfo=UTC)
            following = datetime(last[0] + last[1] // 12, last[1] % 12 + 1, 1,
                                 tzinfo=UTC)
            self.period_end = following - timedelta(seconds=1)  # last second of the month
            # A report over several months (a quarterly download) is keyed by its whole
            # span, so it never collides with the monthly report of its first month.
            self.key = f"{self.seller}:{first[0]:04d}-{first[1]:02d}"
            if last != first:
                self.key += f"..{last[0]:04d}-{last[1]:02d}"
        else:
            self.key = f"{self.seller}:"

