"""qbXML 13.0 requests for summary transactions, and reading QuickBooks' answers.

QuickBooks rejects elements out of the schema's order (HRESULT 0x80040400), so each Add is
written in the order of qbxmlops130.xml, element by element (docs/quickbooks-web-connector.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from core.i18n import N_
from core.quickbooks.summary import Transaction, TxnType

VERSION = "13.0"
# Summary transaction type -> qbXML's name for it (SalesReceiptAddRq, SalesReceiptQueryRq, ...).
NAMES = {TxnType.SALES_RECEIPT: "SalesReceipt", TxnType.CREDIT_MEMO: "CreditMemo",
         TxnType.JOURNAL: "JournalEntry"}
KINDS = frozenset(NAMES.values())

# QuickBooks' status codes that need words of our own (others show QuickBooks' text).
STATUS_MESSAGES = {
    "3100": N_("QuickBooks already has a list entry with this name: %(text)s"),
    "3140": N_("QuickBooks does not know a name this summary uses (%(text)s). Create the item, "
               "account or customer in QuickBooks, or change its name in Settings › QuickBooks."),
    "3170": N_("QuickBooks was busy with this record (%(text)s); it is sent again at the next run."),
    "3180": N_("QuickBooks could not save the transaction (%(text)s). Check that the period is "
               "not closed and that sales tax is set up."),
}
RETRY_LATER = {"3170"}
ZERO = Decimal("0.00")


def key(txn: Transaction) -> str:
    """How a delivery remembers a transaction: its qbXML name and reference number."""
    return f"{NAMES[txn.type]} {txn.ref_number}"


@dataclass(frozen=True)
class Result:
    request_id: str
    kind: str  # SalesReceipt | CreditMemo | JournalEntry
    operation: str  # Query | Add
    status_code: str
    status_severity: str
    status_message: str
    txn_id: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code == "0"

    @property
    def not_found(self) -> bool:
        return self.operation == "Query" and self.status_code == "1"


class ResponseError(ValueError):
    """QuickBooks' answer could not be read."""


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _text(parent: Element, tag: str, text: str | None) -> None:
    if text:
        SubElement(parent, tag).text = text


def _ref(parent: Element, tag: str, full_name: str) -> None:
    if full_name:
        SubElement(SubElement(parent, tag), "FullName").text = full_name


def _document(build) -> str:
    root = Element("QBXML")
    messages = SubElement(root, "QBXMLMsgsRq", onError="stopOnError")
    build(messages)
    body = tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?><?qbxml version="{VERSION}"?>{body}'


def query_request(txns: Iterable[Transaction]) -> str:
    """Ask QuickBooks for each transaction by its reference number (it does not enforce them
    unique, so this query is what keeps a settlement from arriving twice)."""
    def build(messages: Element) -> None:
        for index, txn in enumerate(txns):
            rq = SubElement(messages, f"{NAMES[txn.type]}QueryRq", requestID=str(index))
            SubElement(rq, "RefNumber").text = txn.ref_number
            SubElement(rq, "IncludeRetElement").text = "TxnID"
            SubElement(rq, "IncludeRetElement").text = "RefNumber"
    return _document(build)


def add_request(txns: Iterable[Transaction]) -> str:
    def build(messages: Element) -> None:
        for index, txn in enumerate(txns):
            name = NAMES[txn.type]
            rq = SubElement(messages, f"{name}AddRq", requestID=str(index))
            add = SubElement(rq, f"{name}Add")
            if txn.type is TxnType.JOURNAL:
                _journal(add, txn)
            else:
                _sale(add, txn)
    return _document(build)


def _sale(add: Element, txn: Transaction) -> None:
    # Element order of SalesReceiptAdd / CreditMemoAdd in qbxmlops130.xml; unset ones omitted.
    receipt = txn.type is TxnType.SALES_RECEIPT
    _ref(add, "CustomerRef", txn.customer)
    if not receipt:
        _ref(add, "ARAccountRef", txn.account)
    SubElement(add, "TxnDate").text = txn.txn_date.isoformat()
    SubElement(add, "RefNumber").text = txn.ref_number
    _text(add, "Memo", txn.memo[:4095])
    if receipt:
        _ref(add, "DepositToAccountRef", txn.account)
    _text(add, "ExternalGUID", txn.external_guid)
    for line in txn.lines:
        element = SubElement(add, "SalesReceiptLineAdd" if receipt else "CreditMemoLineAdd")
        _ref(element, "ItemRef", line.item)
        _text(element, "Desc", line.description[:4095])
        if line.quantity is not None:
            SubElement(element, "Quantity").text = str(line.quantity)
        if line.rate is not None:
            SubElement(element, "Rate").text = str(line.rate)
        SubElement(element, "Amount").text = _money(line.amount)
        _ref(element, "SalesTaxCodeRef", line.tax_code)
        _ref(element, "OverrideItemAccountRef", line.account)


def _journal(add: Element, txn: Transaction) -> None:
    # JournalEntryAdd takes no memo in QuickBooks Desktop: each line carries one.
    SubElement(add, "TxnDate").text = txn.txn_date.isoformat()
    SubElement(add, "RefNumber").text = txn.ref_number
    _text(add, "ExternalGUID", txn.external_guid)
    # Lines are signed as the settlement signs money: received is positive, so it is
    # credited to the line's account and debited to the deposit account.
    debits: list[tuple[str, Decimal, str, str]] = []
    credits: list[tuple[str, Decimal, str, str]] = []
    for line in txn.lines:
        memo = f"{line.description} — {txn.memo}"
        entry = (line.account, abs(line.amount), memo, line.name)
        if line.amount > 0:
            credits.append(entry)
        elif line.amount < 0:
            debits.append(entry)
    net = sum((line.amount for line in txn.lines), ZERO)
    if net > 0:
        debits.insert(0, (txn.account, net, txn.memo, ""))
    elif net < 0:
        credits.insert(0, (txn.account, -net, txn.memo, ""))
    for tag, entries in (("JournalDebitLine", debits), ("JournalCreditLine", credits)):
        for account, amount, memo, entity in entries:
            element = SubElement(add, tag)
            _ref(element, "AccountRef", account)
            SubElement(element, "Amount").text = _money(amount)
            _text(element, "Memo", memo[:4095])
            _ref(element, "EntityRef", entity)


def read_response(xml: str) -> list[Result]:
    """One Result per answered request, in the order QuickBooks gave them."""
    try:
        root = fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise ResponseError(str(exc)) from exc
    messages = root.find("QBXMLMsgsRs")
    if root.tag != "QBXML" or messages is None:
        raise ResponseError("no QBXMLMsgsRs")
    results = []
    for rs in messages:
        name = rs.tag.removesuffix("Rs")
        for operation in ("Query", "Add"):
            if name.endswith(operation) and name[: -len(operation)] in KINDS:
                kind = name[: -len(operation)]
                break
        else:
            raise ResponseError(f"unexpected element {rs.tag}")
        txn_id = rs.findtext(f"{kind}Ret/TxnID") or ""
        code = rs.get("statusCode")
        if code is None:
            raise ResponseError(f"{rs.tag} without statusCode")
        results.append(Result(rs.get("requestID", ""), kind, operation, code,
                              rs.get("statusSeverity", ""), rs.get("statusMessage", ""), txn_id))
    return results
