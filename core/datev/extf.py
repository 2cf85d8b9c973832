"""Writing a DATEV EXTF "Buchungsstapel" (header version 700, format version 13).

cp1252, `;` separated, CRLF after every line, text in double quotes with inner quotes
doubled, 31 header fields, 125 columns named as in DATEV's sample files
(docs/datev.md#field-rules). Values are made to fit while writing
(transliteration, length limits), so every file this module writes passes
`core.datev.validate.validate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from core.datev.booking import Booking
from core.datev.text import (
    document_field,
    fit_text,
    format_amount,
    format_percent_field,
    format_rate,
    label_field,
    to_cp1252,
)

HEADER_FIELDS = 31
COLUMN_COUNT = 125
MAX_BOOKINGS = 99_999
TEXT_LIMIT = 60
LABEL_LIMIT = 30
INFO_KIND_LIMIT = 20
INFO_CONTENT_LIMIT = 210
EXPORTED_BY = "settlebook"
ORIGIN = "RE"  # Herkunft; DATEV replaces it with "SV" on import

COLUMNS: tuple[str, ...] = (
    "Umsatz (ohne Soll/Haben-Kz)",
    "Soll/Haben-Kennzeichen",
    "WKZ Umsatz",
    "Kurs",
    "Basis-Umsatz",
    "WKZ Basis-Umsatz",
    "Konto",
    "Gegenkonto (ohne BU-Schlüssel)",
    "BU-Schlüssel",
    "Belegdatum",
    "Belegfeld 1",
    "Belegfeld 2",
    "Skonto",
    "Buchungstext",
    "Postensperre",
    "Diverse Adressnummer",
    "Geschäftspartnerbank",
    "Sachverhalt",
    "Zinssperre",
    "Beleglink",
    *(f"Beleginfo - {part} {n}" for n in range(1, 9) for part in ("Art", "Inhalt")),
    "KOST1 - Kostenstelle",
    "KOST2 - Kostenstelle",
    "Kost-Menge",
    "EU-Land u. UStID (Bestimmung)",
    "EU-Steuersatz (Bestimmung)",
    "Abw. Versteuerungsart",
    "Sachverhalt L+L",
    "Funktionsergänzung L+L",
    "BU 49 Hauptfunktionstyp",
    "BU 49 Hauptfunktionsnummer",
    "BU 49 Funktionsergänzung",
    # DATEV's own sample has no space before "- Inhalt" here.
    *(
        heading
        for n in range(1, 21)
        for heading in (f"Zusatzinformation - Art {n}", f"Zusatzinformation- Inhalt {n}")
    ),
    "Stück",
    "Gewicht",
    "Zahlweise",
    "Forderungsart",
    "Veranlagungsjahr",
    "Zugeordnete Fälligkeit",
    "Skontotyp",
    "Auftragsnummer",
    "Buchungstyp",
    "USt-Schlüssel (Anzahlungen)",
    "EU-Land (Anzahlungen)",
    "Sachverhalt L+L (Anzahlungen)",
    "EU-Steuersatz (Anzahlungen)",
    "Erlöskonto (Anzahlungen)",
    "Herkunft-Kz",
    "Buchungs GUID",
    "KOST-Datum",
    "SEPA-Mandatsreferenz",
    "Skontosperre",
    "Gesellschaftername",
    "Beteiligtennummer",
    "Identifikationsnummer",
    "Zeichnernummer",
    "Postensperre bis",
    "Bezeichnung SoBil-Sachverhalt",
    "Kennzeichen SoBil-Buchung",
    "Festschreibung",
    "Leistungsdatum",
    "Datum Zuord. Steuerperiode",
    "Fälligkeit",
    "Generalumkehr (GU)",
    "Steuersatz",
    "Land",
    "Abrechnungsreferenz",
    "BVV-Position",
    "EU-Land u. UStID (Ursprung)",
    "EU-Steuersatz (Ursprung)",
    "Abw. Skontokonto",
)
assert len(COLUMNS) == COLUMN_COUNT


def column(heading: str) -> int:
    """0-based position of a column by its DATEV heading."""
    return COLUMNS.index(heading)


COL_AMOUNT = column("Umsatz (ohne Soll/Haben-Kz)")
COL_SIDE = column("Soll/Haben-Kennzeichen")
COL_CURRENCY = column("WKZ Umsatz")
COL_RATE = column("Kurs")
COL_BASE_AMOUNT = column("Basis-Umsatz")
COL_BASE_CURRENCY = column("WKZ Basis-Umsatz")
COL_ACCOUNT = column("Konto")
COL_CONTRA = column("Gegenkonto (ohne BU-Schlüssel)")
COL_TAX_KEY = column("BU-Schlüssel")
COL_DATE = column("Belegdatum")
COL_DOCUMENT = column("Belegfeld 1")
COL_DOCUMENT_2 = column("Belegfeld 2")
COL_TEXT = column("Buchungstext")
COL_INFO = column("Beleginfo - Art 1")  # 8 pairs of (Art, Inhalt) from here
COL_EU_COUNTRY = column("EU-Land u. UStID (Bestimmung)")
COL_EU_RATE = column("EU-Steuersatz (Bestimmung)")
COL_FESTSCHREIBUNG = column("Festschreibung")
COL_ORIGIN_VAT_ID = column("EU-Land u. UStID (Ursprung)")
COL_ORIGIN_RATE = column("EU-Steuersatz (Ursprung)")

# Text columns are written in quotes; the rest (numbers, dates, accounts) bare.
TEXT_COLUMNS = frozenset(
    {
        COL_SIDE, COL_CURRENCY, COL_BASE_CURRENCY, COL_TAX_KEY, COL_DOCUMENT,
        COL_DOCUMENT_2, COL_TEXT, COL_EU_COUNTRY, COL_ORIGIN_VAT_ID,
        *range(COL_INFO, COL_INFO + 16),
    }
)
# Every text column is written as "" when empty, as in DATEV's documented example rows
# (issue 9: a bare empty field can be read as a number by some importers).
ALWAYS_QUOTED = TEXT_COLUMNS

# Beleginfo kinds that carry the booking's origin, so a stored file can be diffed.
INFO_SOURCE = "Amazon Bericht"
INFO_MARKETPLACE = "Amazon Marktplatz"
INFO_RULE = "Amazon Regel"
INFO_LINES = "Anzahl Positionen"


@dataclass(frozen=True)
class Header:
    """The values of header line 1 that vary between batches."""

    beraternummer: int
    mandantennummer: int
    fiscal_year_start: date
    account_length: int
    date_from: date
    date_to: date
    label: str
    diktatkuerzel: str
    chart: str  # "skr03" / "skr04"
    currency: str = "EUR"
    application_info: str = ""  # Anwendungsinformation, ≤ 16: our settings fingerprint


def quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def header_line(header: Header, created_at: datetime) -> list[str]:
    created = created_at.strftime("%Y%m%d%H%M%S") + f"{created_at.microsecond // 1000:03d}"
    fields = [
        quote("EXTF"),
        "700",
        "21",
        quote("Buchungsstapel"),
        "13",
        created,
        "",
        quote(ORIGIN),
        quote(EXPORTED_BY),
        quote(""),
        str(header.beraternummer),
        str(header.mandantennummer),
        header.fiscal_year_start.strftime("%Y%m%d"),
        str(header.account_length),
        header.date_from.strftime("%Y%m%d"),
        header.date_to.strftime("%Y%m%d"),
        quote(label_field(header.label, LABEL_LIMIT)),
        quote(header.diktatkuerzel),
        "1",  # Buchungstyp: Finanzbuchführung
        "0",  # Rechnungslegungszweck: independent
        "0",  # Festschreibung: 0, because empty means "locked"
        quote(header.currency),
        "",
        quote(""),
        "",
        "",
        quote(header.chart.removeprefix("skr")),
        "",
        "",
        quote(""),
        quote(fit_text(header.application_info, 16)),
    ]
    assert len(fields) == HEADER_FIELDS
    return fields


def booking_fields(booking: Booking) -> list[str]:
    values = [""] * COLUMN_COUNT
    values[COL_AMOUNT] = format_amount(booking.amount)
    values[COL_SIDE] = booking.side
    values[COL_CURRENCY] = booking.currency
    if booking.rate is not None and booking.base_amount is not None:
        values[COL_RATE] = format_rate(booking.rate)
        values[COL_BASE_AMOUNT] = format_amount(booking.base_amount)
        values[COL_BASE_CURRENCY] = "EUR"
    values[COL_ACCOUNT] = booking.account
    values[COL_CONTRA] = booking.contra_account
    values[COL_TAX_KEY] = booking.tax_key
    values[COL_DATE] = booking.date.strftime("%d%m")
    values[COL_DOCUMENT] = document_field(booking.document)
    values[COL_TEXT] = fit_text(booking.text, TEXT_LIMIT)
    infos = [
        (INFO_SOURCE, booking.source),
        (INFO_MARKETPLACE, booking.marketplace),
        (INFO_RULE, booking.rule),
        (INFO_LINES, str(booking.lines) if booking.lines else ""),
    ]
    position = COL_INFO
    for kind, content in infos:
        if content:
            values[position] = fit_text(kind, INFO_KIND_LIMIT)
            values[position + 1] = fit_text(content, INFO_CONTENT_LIMIT)
            position += 2
    values[COL_EU_COUNTRY] = booking.eu_country
    if booking.eu_rate is not None:
        values[COL_EU_RATE] = format_percent_field(booking.eu_rate)
    values[COL_ORIGIN_VAT_ID] = booking.origin_vat_id
    if booking.origin_rate is not None:
        values[COL_ORIGIN_RATE] = format_percent_field(booking.origin_rate)
    values[COL_FESTSCHREIBUNG] = "0"
    return [
        quote(to_cp1252(v)) if (i in TEXT_COLUMNS and (v or i in ALWAYS_QUOTED)) else v
        for i, v in enumerate(values)
    ]


def render(header: Header, bookings: Sequence[Booking], created_at: datetime) -> bytes:
    """The whole file. `created_at` is passed in so golden files stay byte-stable."""
    if len(bookings) > MAX_BOOKINGS:
        raise ValueError(f"{len(bookings)} bookings exceed DATEV's {MAX_BOOKINGS} per batch")
    lines: Iterable[list[str]] = [
        header_line(header, created_at),
        list(COLUMNS),
        *(booking_fields(b) for b in bookings),
    ]
    text = "".join(";".join(fields) + "\r\n" for fields in lines)
    return text.encode("cp1252")
