"""Date Range (transaction) reports from Payments › Reports Repository, English and German.

Comma-separated, every cell quoted, a preamble of quoted notes before the header (notes
§2.2, §2.3). Each money column of a row becomes one Line (amount type = canonical English
column key such as `product sales`, transaction type = the row's type as written), and the
row's `total` column is the check: the lines of a row must add up to it. Cells that are
zero produce no line; a row whose money is all zero yields one INFORMATIONAL `total` line
so that no row disappears.
"""

from __future__ import annotations

# Header name (lower-case) -> canonical key. English names map to themselves.
EN_COLUMNS = {
    "date/time": "date/time", "settlement id": "settlement id", "type": "type",
    "order id": "order id", "sku": "sku", "description": "description",
    "quantity": "quantity", "marketplace": "marketplace", "account type": "account type",
    "fulfillment": "fulfillment", "fulfilment": "fulfillment", "order city": "order city",
    "order state": "order state", "order postal": "order postal",
    "tax collection model": "tax collection model", "product sales": "product sales",
    "product sales tax": "product sales tax", "shipping credits": "shipping credits",
    "postage credits": "shipping credits", "shipping credits tax": "shipping credits tax",
    "postage credits tax": "shipping credits tax", "gift wrap credits": "gift wrap credits",
    "giftwrap credits tax": "giftwrap credits tax", "gift wrap credits tax":
    "giftwrap credits tax", "regulatory fee": "regulatory fee",
    "tax on regulatory fee": "tax on regulatory fee",
    "promotional rebates": "promotional rebates",
    "promotional rebates tax": "promotional rebates tax",
    "sales tax collected": "sales tax collected",
    "marketplace facilitator tax": "marketplace facilitator tax",
    "marketplace withheld tax": "marketplace withheld tax", "selling fees": "selling fees",
    "fba fees": "fba fees", "other transaction fees": "other transaction fees",
    "other": "other", "total": "total", "transaction status": "transaction status",
    "transaction release date": "transaction release date",
    "tcs-cgst": "tcs-cgst", "tcs-sgst": "tcs-sgst", "tcs-igst": "tcs-igst",
    "tds (section 194-o)": "tds (section 194-o)",
}
DE_COLUMNS = {
    "datum/uhrzeit": "date/time", "abrechnungsnummer": "settlement id", "typ": "type",
    "bestellnummer": "order id", "sku": "sku", "beschreibung": "description",
    "menge": "quantity", "marketplace": "marketplace", "versand": "fulfillment",
    "ort der bestellung": "order city", "bundesland": "order state",
    "postleitzahl": "order postal", "steuererhebungsmodell": "tax collection model",
    "umsätze": "product sales", "produktumsatzsteuer": "product sales tax",
    "gutschrift für versandkosten": "shipping credits",
    "steuer auf versandgutschrift": "shipping credits tax",
    "gutschrift für geschenkverpackung": "gift wrap credits",
    "steuer auf geschenkverpackungsgutschriften": "giftwrap credits tax",
    "rabatte aus werbeaktionen": "promotional rebates",
    "steuer auf aktionsrabatte": "promotional rebates tax",
    "einbehaltene steuer auf marketplace": "marketplace withheld tax",
    "verkaufsgebühren": "selling fees", "gebühren zu versand durch amazon": "fba fees",
    "andere transaktionsgebühren": "other transaction fees", "andere": "other",
    "gesamt": "total", "transaktionsstatus": "transaction status",
    "freigabedatum der transaktion": "transaction release date",
}
LANGUAGES = {"en": EN_COLUMNS, "de": DE_COLUMNS}
_MARKERS = {"en": ("date/time", "settlement id", "type"),
            "de": ("datum/uhrzeit", "abrechnungsnummer", "typ")}


def header_language(cells: list[str]) -> str | None:
    """`en` / `de` when `cells` are a Date Range header row, else None."""
    lowered = {cell.strip().lower() for cell in cells}
    for language, markers in _MARKERS.items():
        if all(marker in lowered for marker in markers):
            return language
    return None
