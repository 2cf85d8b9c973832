"""Own VAT Transactions Report fixtures (tab-separated, the columns settlebook reads).

Not a test module: tests build the report files they need from rows, so every case of
docs/tax-rules.md has a fixture nobody else wrote.
"""

from __future__ import annotations

COLUMNS = (
    "UNIQUE_ACCOUNT_IDENTIFIER", "ACTIVITY_PERIOD", "MARKETPLACE", "TRANSACTION_TYPE",
    "TRANSACTION_EVENT_ID", "TRANSACTION_COMPLETE_DATE", "SELLER_SKU", "QTY",
    "TOTAL_ACTIVITY_VALUE_AMT_VAT_EXCL", "PRICE_OF_ITEMS_VAT_RATE_PERCENT",
    "TOTAL_ACTIVITY_VALUE_VAT_AMT", "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL",
    "TRANSACTION_CURRENCY_CODE", "DEPARTURE_COUNTRY", "ARRIVAL_COUNTRY", "SALE_DEPART_COUNTRY",
    "SALE_ARRIVAL_COUNTRY", "SELLER_ARRIVAL_COUNTRY_VAT_NUMBER", "TRANSACTION_SELLER_VAT_NUMBER",
    "BUYER_VAT_NUMBER", "TAXABLE_JURISDICTION", "TAX_REPORTING_SCHEME",
    "TAX_COLLECTION_RESPONSIBILITY",
)
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def row(day: str, kind: str, event: str, depart: str, arrive: str, net: str, rate: str = "",
        vat: str = "0", *, marketplace: str = "amazon.de", currency: str = "EUR",
        buyer: str = "", seller_vat: str = "", arrival_vat: str = "", jurisdiction: str = "",
        scheme: str = "", collection: str = "", gross: str | None = None) -> dict[str, str]:
    """One row; `day` as DD-MM-YYYY (Amazon's form); `rate` as Amazon's fraction (0.19)."""
    _, month, year = day.split("-")
    total = gross if gross is not None else f"{float(net) + float(vat):.2f}"
    transfer = kind == "FC_TRANSFER"
    return {
        "UNIQUE_ACCOUNT_IDENTIFIER": "A1SELLER0DE42",
        "ACTIVITY_PERIOD": f"{year}-{MONTHS[int(month) - 1]}", "MARKETPLACE": marketplace,
        "TRANSACTION_TYPE": kind, "TRANSACTION_EVENT_ID": event,
        "TRANSACTION_COMPLETE_DATE": day, "SELLER_SKU": "SKU-1", "QTY": "1",
        "TOTAL_ACTIVITY_VALUE_AMT_VAT_EXCL": net, "PRICE_OF_ITEMS_VAT_RATE_PERCENT": rate,
        "TOTAL_ACTIVITY_VALUE_VAT_AMT": vat, "TOTAL_ACTIVITY_VALUE_AMT_VAT_INCL": total,
        "TRANSACTION_CURRENCY_CODE": currency, "DEPARTURE_COUNTRY": depart,
        "ARRIVAL_COUNTRY": arrive, "SALE_DEPART_COUNTRY": "" if transfer else depart,
        "SALE_ARRIVAL_COUNTRY": "" if transfer else arrive,
        "SELLER_ARRIVAL_COUNTRY_VAT_NUMBER": arrival_vat, "TRANSACTION_SELLER_VAT_NUMBER": seller_vat,
        "BUYER_VAT_NUMBER": buyer, "TAXABLE_JURISDICTION": jurisdiction,
        "TAX_REPORTING_SCHEME": scheme, "TAX_COLLECTION_RESPONSIBILITY": collection,
    }


def tsv(rows: list[dict[str, str]]) -> bytes:
    lines = ["\t".join(COLUMNS)] + ["\t".join(r[c] for c in COLUMNS) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


# A German seller's mixed March 2024: one row per case of docs/tax-rules.md, with the
# account each must book on (SKR03, SKR04) — "" for rows that are only listed.
MIXED_MONTH = [
    (row("05-03-2024", "SALE", "302-0000001-0000001", "DE", "DE", "100.00", "0.19", "19.00",
         jurisdiction="GERMANY"), "8400", "4400"),
    (row("05-03-2024", "SALE", "302-0000002-0000002", "DE", "DE", "100.00", "0.07", "7.00",
         jurisdiction="GERMANY"), "8300", "4300"),
    (row("06-03-2024", "SALE", "402-0000003-0000003", "DE", "FR", "100.00", "0.2", "20.00",
         marketplace="amazon.fr", jurisdiction="FRANCE", scheme="UNION-OSS",
         collection="SELLER"), "8320", "4320"),
    (row("06-03-2024", "SALE", "402-0000004-0000004", "PL", "IT", "50.00", "0.22", "11.00",
         marketplace="amazon.it", seller_vat="PL5263144779", jurisdiction="ITALY",
         scheme="UNION-OSS"), "8320", "4320"),
    (row("07-03-2024", "SALE", "302-0000005-0000005", "DE", "AT", "200.00", "0", "0",
         buyer="ATU12345678"), "8125", "4125"),
    (row("07-03-2024", "SALE", "302-0000006-0000006", "PL", "DE", "150.00", "0", "0",
         buyer="DE123456789", seller_vat="PL5263144779"), "8339", "4339"),
    (row("08-03-2024", "SALE", "202-0000007-0000007", "GB", "GB", "50.00", "0.2", "10.00",
         marketplace="amazon.co.uk", currency="GBP", jurisdiction="UNITED KINGDOM"),
     "8338", "4338"),
    (row("08-03-2024", "SALE", "302-0000008-0000008", "DE", "CH", "80.00", "0", "0"),
     "8120", "4120"),
    (row("09-03-2024", "SALE", "202-0000009-0000009", "DE", "GB", "20.00", "0.2", "4.00",
         marketplace="amazon.co.uk", scheme="UK_VOEC-IMPORT", collection="MARKETPLACE"),
     "8120", "4120"),
    (row("09-03-2024", "SALE", "302-0000010-0000010", "PL", "DE", "50.00", "0.19", "9.50",
         jurisdiction="GERMANY"), "8315", "4315"),
    (row("10-03-2024", "SALE", "402-0000011-0000011", "DE", "ES", "100.00", "0.21", "21.00",
         marketplace="amazon.es", buyer="ES123", jurisdiction="SPAIN"), "8320", "4320"),
    (row("11-03-2024", "REFUND", "402-0000003-0000003", "DE", "FR", "-50.00", "0.2", "-10.00",
         marketplace="amazon.fr", jurisdiction="FRANCE", scheme="UNION-OSS"), "8320", "4320"),
    (row("12-03-2024", "SALE", "302-0000012-0000012", "CZ", "CZ", "100.00", "0.21", "21.00",
         jurisdiction="CZECH REPUBLIC"), "8339", "4339"),
    (row("13-03-2024", "FC_TRANSFER", "", "DE", "PL", "300.00", arrival_vat="PL5263144779"),
     "", ""),
    (row("13-03-2024", "FC_TRANSFER", "", "CZ", "DE", "100.00"), "", ""),
    (row("14-03-2024", "RETURN", "302-0000001-0000001", "DE", "DE", "0", gross="0"), "", ""),
]
