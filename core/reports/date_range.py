"""Date Range (transaction) reports from Payments › Reports Repository, in English, German,
French, Italian, Spanish and Portuguese.

Comma-separated, every cell quoted, a preamble of quoted notes before the header
(docs/report-formats.md#date-range). Each money column of a row becomes one Line (amount
type = canonical English column key such as `product sales`, transaction type = the row's type as written), and the
row's `total` column is the check: the lines of a row must add up to it. Cells that are
zero produce no line; a row whose money is all zero yields one INFORMATIONAL `total` line
so that no row disappears.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from itertools import chain, islice

from core.reports import errors
from core.reports.classify import DATE_RANGE_MONEY_COLUMNS, Classifier
from core.reports.dates import DMY, MDY, BadDate, DateParser
from core.reports.decode import Text
from core.reports.model import Category, Kind, Line
from core.reports.numbers import BadNumber, NumberFormat, parse_quantity
from core.reports.reader import Columns, Reader, fit_row, marketplace_name

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
# French, Italian, Spanish and Portuguese headings as Amazon.fr/.it/.es/.com.mx/.com.br
# write them (spellings collected from public parsers of real downloads; several have a
# variant per year). Columns not listed here are kept as extra cells.
FR_COLUMNS = {
    "date/heure": "date/time", "numéro de versement": "settlement id",
    "identifiant du paiement": "settlement id", "type": "type",
    "numéro de la commande": "order id", "sku": "sku", "description": "description",
    "quantité": "quantity", "marketplace": "marketplace", "site de vente": "marketplace",
    "traitement": "fulfillment", "expédition": "fulfillment",
    "ville d'où provient la commande": "order city", "ville de la commande": "order city",
    "région d'où provient la commande": "order state", "état de la commande": "order state",
    "code postal de la commande": "order postal",
    "modèle de perception des taxes": "tax collection model",
    "ventes de produits": "product sales", "taxes sur la vente des produits": "product sales tax",
    "crédits d'expédition": "shipping credits", "crédits d’expédition": "shipping credits",
    "taxe sur les crédits d’expédition": "shipping credits tax",
    "taxe sur les crédits d'expédition": "shipping credits tax",
    "crédits sur l'emballage cadeau": "gift wrap credits",
    "crédits d’emballage-cadeau": "gift wrap credits",
    "taxes sur les crédits cadeaux": "giftwrap credits tax",
    "rabais promotionnels": "promotional rebates",
    "taxes sur les remises promotionnelles": "promotional rebates tax",
    "taxes retenues sur le site de vente": "marketplace withheld tax",
    "frais de vente": "selling fees", "frais expédié par amazon": "fba fees",
    "frais pour le service expédié par amazon": "fba fees",
    "autres frais de transaction": "other transaction fees", "autre": "other",
    "autres": "other", "total": "total", "statut de la transaction": "transaction status",
    "date de sortie de la transaction": "transaction release date",
    "date de délivrance de la transaction": "transaction release date",
}
IT_COLUMNS = {
    "data/ora:": "date/time", "data/ora": "date/time", "numero pagamento": "settlement id",
    "tipo": "type", "numero ordine": "order id", "sku": "sku", "descrizione": "description",
    "quantità": "quantity", "marketplace": "marketplace", "gestione": "fulfillment",
    "città di provenienza dell'ordine": "order city",
    "provincia di provenienza dell'ordine": "order state", "cap dell'ordine": "order postal",
    "modello di riscossione delle imposte": "tax collection model",
    "vendite": "product sales", "imposta sulle vendite dei prodotti": "product sales tax",
    "accrediti per le spedizioni": "shipping credits",
    "imposta accrediti per le spedizioni": "shipping credits tax",
    "accrediti per confezioni regalo": "gift wrap credits",
    "imposta sui crediti confezione regalo": "giftwrap credits tax",
    "sconti promozionali": "promotional rebates",
    "imposta sugli sconti promozionali": "promotional rebates tax",
    "trattenuta iva del marketplace": "marketplace withheld tax",
    "commissioni di vendita": "selling fees",
    "costi del servizio logistica di amazon": "fba fees",
    "altri costi relativi alle transazioni": "other transaction fees", "altro": "other",
    "totale": "total", "stato della transazione": "transaction status",
    "data di rilascio della transazione": "transaction release date",
}
ES_COLUMNS = {
    "fecha y hora": "date/time", "fecha/hora": "date/time",
    "identificador de pago": "settlement id", "id. de liquidación": "settlement id",
    "tipo": "type", "número de pedido": "order id", "id. del pedido": "order id",
    "sku": "sku", "descripción": "description", "cantidad": "quantity",
    "web de amazon": "marketplace", "marketplace": "marketplace",
    "gestión logística": "fulfillment", "cumplimiento": "fulfillment",
    "ciudad del pedido": "order city", "comunidad autónoma del pedido": "order state",
    "estado del pedido": "order state", "código postal del pedido": "order postal",
    "modelo de recaudación de impuestos": "tax collection model",
    "ventas de productos": "product sales", "impuesto de ventas de productos": "product sales tax",
    "abonos de envío": "shipping credits", "créditos de envío": "shipping credits",
    "impuestos por abonos de envío": "shipping credits tax",
    "impuesto de abono de envío": "shipping credits tax",
    "abonos de envoltorio para regalo": "gift wrap credits",
    "créditos por envoltorio de regalo": "gift wrap credits",
    "impuesto de créditos de envoltura": "giftwrap credits tax",
    "descuentos promocionales": "promotional rebates", "devoluciones promocionales": "promotional rebates",
    "rebajas promocionales": "promotional rebates",
    "impuesto de reembolsos promocionales": "promotional rebates tax",
    "impuesto retenido en el sitio web": "marketplace withheld tax",
    "impuesto de retenciones en la plataforma": "marketplace withheld tax",
    "tarifas de venta": "selling fees", "tarifas de logística de amazon": "fba fees",
    "tarifas fba": "fba fees", "tarifas de otras transacciones": "other transaction fees",
    "tarifas de otra transacción": "other transaction fees", "otro": "other",
    "total": "total", "estado de la transacción": "transaction status",
    "fecha de liberación de la transacción": "transaction release date",
}
PT_COLUMNS = {
    "data/hora": "date/time", "id de liquidação": "settlement id", "tipo": "type",
    "id do pedido": "order id", "sku": "sku", "descrição": "description",
    "quantidade": "quantity", "mercado": "marketplace", "marketplace": "marketplace",
    "tipo de conta": "account type", "atendimento": "fulfillment",
    "cidade do pedido": "order city", "estado do pedido": "order state",
    "postal do pedido": "order postal", "vendas do produto": "product sales",
    "créditos de remessa": "shipping credits", "descontos promocionais": "promotional rebates",
    "tarifas de venda": "selling fees", "taxas de outras transações": "other transaction fees",
    "outro": "other", "outros": "other", "total": "total",
}
LANGUAGES = {"en": EN_COLUMNS, "de": DE_COLUMNS, "fr": FR_COLUMNS, "it": IT_COLUMNS,
             "es": ES_COLUMNS, "pt": PT_COLUMNS}
# The heading that tells the language (date, settlement id, type).
_MARKERS = {"en": ("date/time", "settlement id", "type"),
            "de": ("datum/uhrzeit", "abrechnungsnummer", "typ"),
            "fr": ("date/heure", "type"), "it": ("numero pagamento", "tipo"),
            "es": ("tipo", "sku", "cantidad"), "pt": ("data/hora", "tipo", "quantidade")}
# Languages whose reports use a decimal comma.
DECIMAL_COMMA = frozenset({"de", "fr", "it", "es", "pt"})


def header_language(cells: list[str]) -> str | None:
    """The language of a Date Range header row (`en`, `de`, `fr`, `it`, `es`, `pt`)."""
    lowered = {cell.strip().lower() for cell in cells}
    for language, markers in _MARKERS.items():
        if all(marker in lowered for marker in markers):
            return language
    return None


def looks_like_date_range_header(cells: list[str]) -> bool:
    """A transaction report header in a language settlebook does not read (Dutch,
    Swedish, Polish, Japanese …): a date/time first column and a SKU column."""
    lowered = [cell.strip().lower() for cell in cells]
    return len(lowered) >= 8 and "/" in lowered[0] and "sku" in lowered

REQUIRED = ("date/time", "settlement id", "type", "total")
# Canonical keys a Line models; every other non-empty column goes to Line.extra.
MODELLED = frozenset({"date/time", "settlement id", "type", "order id", "sku", "description",
                      "quantity", "marketplace", "fulfillment", "total",
                      *DATE_RANGE_MONEY_COLUMNS})
# When the preamble does not say ("All amounts in USD"), the marketplace tells.
MARKETPLACE_CURRENCIES = {
    "amazon.com": "USD", "amazon.ca": "CAD", "amazon.com.mx": "MXN", "amazon.com.br": "BRL",
    "amazon.co.uk": "GBP", "amazon.de": "EUR", "amazon.fr": "EUR", "amazon.it": "EUR",
    "amazon.es": "EUR", "amazon.nl": "EUR", "amazon.com.be": "EUR", "amazon.ie": "EUR",
    "amazon.se": "SEK", "amazon.pl": "PLN", "amazon.com.tr": "TRY", "amazon.in": "INR",
    "amazon.ae": "AED", "amazon.sa": "SAR", "amazon.eg": "EGP", "amazon.co.jp": "JPY",
    "amazon.com.au": "AUD", "amazon.sg": "SGD",
}
_PREAMBLE_CURRENCY = re.compile(r"\b(?:in|en|em)\s+([A-Z]{3})\b")
_SNIFF_ROWS = 20
_ZERO = Decimal("0")


class DateRangeReader(Reader):
    kind = Kind.DATE_RANGE
    total_is_sum = True

    def __init__(self, text: Text, filename: str | None, classify: Classifier) -> None:
        self.filename = filename
        self.classify = classify
        self._csv = csv.reader(text.raw_lines(), strict=True)
        preamble: list[str] = []
        language = None
        while language is None:
            row = self._next()
            if row is None:  # detection saw a header, so only a broken file gets here
                raise errors.not_a_report_text(filename, len(preamble))
            language = header_language(row)
            if language is None:
                preamble.extend(row)
        self.header_no = self._csv.line_num
        self.layout = f"date_range_{language}"
        names = LANGUAGES[language]
        self.header = [cell.strip() for cell in row]  # as written, for messages and extra
        self.keys = [names.get(" ".join(cell.split()).lower(), cell.strip()) for cell in row]
        self.cols = Columns(self.keys)
        missing = self.cols.missing(REQUIRED)
        if missing:
            raise errors.unknown_layout(filename, self.header_no,
                                        errors.UNKNOWN_LAYOUT_DATE_RANGE, missing)
        # Mexican and Brazilian files may use either; NumberFormat.sniff decides per file.
        self.decimal = "," if language in DECIMAL_COMMA else "."
        for line in preamble:
            if match := _PREAMBLE_CURRENCY.search(line):
                self.currency = match.group(1)
                break
        self.dates = DateParser(default_slash=MDY if language == "en" else DMY)
        self.first: datetime | None = None
        self.last: datetime | None = None

    def _next(self) -> list[str] | None:
        try:
            return next(self._csv)
        except StopIteration:
            return None
        except csv.Error as problem:
            raise errors.csv_problem(self.filename, self._csv.line_num, problem) from None

    def _rows(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.keys)
        while (row := self._next()) is not None:
            if not row or not any(cell.strip() for cell in row):
                continue
            cells = [cell.strip() for cell in row]
            if len(cells) != width:
                cells = fit_row(cells, width, self.filename, self._csv.line_num)
            yield self._csv.line_num, cells

    def lines(self) -> Iterator[Line]:
        rows = self._rows()
        head = list(islice(rows, _SNIFF_ROWS))
        if not head:
            raise errors.no_rows(self.filename, self.header_no + 1)
        col, g = self.cols.index, self.cols.get
        money = [(key, col[key]) for key in DATE_RANGE_MONEY_COLUMNS if key in col]
        total_at = col["total"]
        samples = [cells[at] for _, cells in head for _, at in (*money, ("total", total_at))]
        numbers = NumberFormat.sniff(samples, self.decimal)
        extra_at = [(self.header[i], i) for i, key in enumerate(self.keys)
                    if key not in MODELLED]
        at = {key: g(key) for key in ("order id", "sku", "description", "quantity",
                                      "marketplace", "fulfillment", "settlement id")}

        def cell(cells: list[str], key: str) -> str:
            position = at[key]
            return cells[position] if position is not None else ""

        def number(text: str, line_no: int, key: str) -> Decimal:
            if not text:
                return _ZERO
            try:
                return numbers.parse(text)
            except BadNumber:
                raise errors.bad_number(self.filename, line_no, self.header[col[key]],
                                        text) from None

        for line_no, cells in chain(head, rows):
            stamp = cells[col["date/time"]]
            try:
                posted = self.dates.parse(stamp) if stamp else None
            except BadDate:
                raise errors.bad_date(self.filename, line_no, self.header[col["date/time"]],
                                      stamp) from None
            if posted is not None:
                self.first = posted if self.first is None else min(self.first, posted)
                self.last = posted if self.last is None else max(self.last, posted)
            tt, description = cells[col["type"]], cell(cells, "description")
            market_raw = cell(cells, "marketplace")
            market = marketplace_name(market_raw)
            if not self.currency and market_raw:
                self.currency = MARKETPLACE_CURRENCIES.get(market_raw.strip().lower(), "")
            quantity_text = cell(cells, "quantity")
            quantity = None
            if quantity_text:
                try:
                    quantity = parse_quantity(quantity_text)
                except BadNumber:
                    raise errors.bad_integer(self.filename, line_no, "quantity",
                                             quantity_text) from None
            common = (cell(cells, "order id"), "", cell(cells, "sku"), quantity, market,
                      cell(cells, "fulfillment"), cell(cells, "settlement id"),
                      self.currency, None)
            extra = {name: cells[i] for name, i in extra_at if cells[i]}
            total = number(cells[total_at], line_no, "total")
            row_sum = _ZERO
            emitted = False
            for key, position in money:
                value = number(cells[position], line_no, key)
                if not value:
                    continue
                row_sum += value
                emitted = True
                yield Line(line_no, posted, tt, key, description, value,
                           self.classify(tt, key, description), *common, dict(extra))
            if row_sum != total:
                raise errors.row_total_mismatch(self.filename, line_no, total, row_sum)
            if not emitted:
                yield Line(line_no, posted, tt, "total", description, _ZERO,
                           Category.INFORMATIONAL, *common, extra)
        self._finish()

    def _finish(self) -> None:
        self.period_start, self.period_end = self.first, self.last
        if self.first is not None and self.last is not None:
            self.key = f"{self.first.date().isoformat()}..{self.last.date().isoformat()}"
        else:
            self.key = ""
