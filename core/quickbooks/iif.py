"""Summaries as an IIF file (Intuit Interchange Format) for QuickBooks Desktop.

Tab-separated; a `!TRNS`/`!SPL`/`!ENDTRNS` header block names the columns, then each
transaction is one TRNS row, its SPL rows and an ENDTRNS row. Dates are MM/DD/YYYY. The
amounts of a transaction sum to zero, as QuickBooks requires (Intuit, "IIF reference:
transactions"):

- CASH SALE: TRNS to the deposit account positive, SPL lines negative, QNTY negative on
  item lines (Intuit's IIF kit sample "Cash Sale").
- CREDIT MEMO: the mirror image, TRNS to A/R negative, SPL lines and QNTY positive.
- GENERAL JOURNAL: TRNS to the deposit account with the journal's net amount (debit
  positive), SPL lines opposite to the settlement's signs.

Windows-1252 with CRLF line ends and no BOM, as QuickBooks reads IIF.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from core.formula_cells import neutralise
from core.quickbooks.summary import SettlementSummary, SummaryLine, Transaction, TxnType

TRNS_COLUMNS = ("TRNSID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "CLASS", "AMOUNT", "DOCNUM",
                "MEMO", "CLEAR", "TOPRINT")
SPL_COLUMNS = ("SPLID", "TRNSTYPE", "DATE", "ACCNT", "NAME", "CLASS", "AMOUNT", "DOCNUM",
               "MEMO", "CLEAR", "QNTY", "PRICE", "INVITEM", "TAXABLE")
TRNS_TYPES = {
    TxnType.SALES_RECEIPT: "CASH SALE",
    TxnType.CREDIT_MEMO: "CREDIT MEMO",
    TxnType.JOURNAL: "GENERAL JOURNAL",
}
# The TRNS row's sign against the transaction total; SPL rows carry the opposite sign.
TRNS_SIGN = {TxnType.SALES_RECEIPT: 1, TxnType.CREDIT_MEMO: -1, TxnType.JOURNAL: 1}
ENCODING = "cp1252"


class UnbalancedTransaction(Exception):
    """A transaction whose rows do not sum to zero: a bug, never written to a file."""


def text_cell(text: str) -> str:
    """A text cell on one line without tabs (IIF's separators) that no spreadsheet runs as a
    formula (core/formula_cells.py, the one rule for every export)."""
    return neutralise(" ".join(text.replace("\t", " ").splitlines()))


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


def _number(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return f"{Decimal(value):f}"


def _row(tag: str, cells: dict[str, str], columns: tuple[str, ...]) -> str:
    return "\t".join([tag, *(cells.get(c, "") for c in columns)])


def transaction_rows(txn: Transaction) -> list[str]:
    """The TRNS, SPL… and ENDTRNS rows of one transaction."""
    trns_type = TRNS_TYPES[txn.type]
    sign = TRNS_SIGN[txn.type]
    day = txn.txn_date.strftime("%m/%d/%Y")
    common = {"TRNSTYPE": trns_type, "DATE": day, "DOCNUM": text_cell(txn.ref_number),
              "CLEAR": "N"}
    head_amount = sign * txn.total
    head = {**common, "ACCNT": text_cell(txn.account), "AMOUNT": _money(head_amount),
            "MEMO": text_cell(txn.memo), "TOPRINT": "N"}
    if txn.type is not TxnType.JOURNAL:
        head["NAME"] = text_cell(txn.customer)
    rows = [_row("TRNS", head, TRNS_COLUMNS)]
    check = head_amount
    for line in txn.lines:
        amount = -sign * line.amount
        check += amount
        rows.append(_row("SPL", {**common, **_spl_cells(txn, line, sign), "AMOUNT": _money(amount)},
                         SPL_COLUMNS))
    if check != 0:
        raise UnbalancedTransaction(f"{trns_type} {txn.ref_number} is off by {check}")
    rows.append("ENDTRNS")
    return rows


def _spl_cells(txn: Transaction, line: SummaryLine, sign: int) -> dict[str, str]:
    cells = {"ACCNT": text_cell(line.account), "MEMO": text_cell(line.description),
             "NAME": text_cell(line.name)}
    if txn.type is TxnType.JOURNAL:
        return cells
    cells["NAME"] = text_cell(txn.customer)
    cells["INVITEM"] = text_cell(line.item)
    cells["TAXABLE"] = "Y" if line.taxable else "N"
    if line.quantity:
        cells["QNTY"] = _number(-sign * line.quantity)
        cells["PRICE"] = _number(line.rate)
    return cells


def header_rows() -> list[str]:
    return ["\t".join(("!TRNS", *TRNS_COLUMNS)), "\t".join(("!SPL", *SPL_COLUMNS)), "!ENDTRNS"]


def write_iif(summaries: Iterable[SettlementSummary]) -> bytes:
    """One IIF file with every transaction of the summaries, in their order."""
    rows = header_rows()
    for summary in summaries:
        for txn in summary.transactions:
            rows.extend(transaction_rows(txn))
    return ("\r\n".join(rows) + "\r\n").encode(ENCODING, errors="replace")


def filename_for(summary: SettlementSummary) -> str:
    return f"quickbooks_settlement_{_safe(summary.settlement_id)}.iif"


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text) or "settlement"
