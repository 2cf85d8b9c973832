"""The Web Connector's SOAP, qbXML and sessions, in-process on a real SQLite file."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import fromstring

import pytest

from core.db import db, init_db
from core.imports import import_bytes
from core.models import QbwcDelivery, QbwcLoginFailure, QbwcTicket, Report, utcnow
from core.qbwc import access, delivery, qbxml, qwc, soap
from core.quickbooks.service import summary_for_report
from tests.qbwc_client import FakeCompany

FIXTURES = Path(__file__).parent.parent / "fixtures" / "quickbooks"
US = (FIXTURES / "settlement_us_refunds.txt").read_bytes()
GOLDEN = FIXTURES / "qbwc_add_us_refunds.xml"

# Element order of qbxmlops130.xml (Intuit's qbXML 13.0 schema), the elements this app may use.
SCHEMA_ORDER = {
    "SalesReceiptAdd": ["CustomerRef", "ClassRef", "TemplateRef", "TxnDate", "RefNumber", "BillAddress",
                        "ShipAddress", "IsPending", "CheckNumber", "PaymentMethodRef", "DueDate",
                        "SalesRepRef", "ShipDate", "ShipMethodRef", "FOB", "ItemSalesTaxRef", "Memo",
                        "CustomerMsgRef", "IsToBePrinted", "IsToBeEmailed", "IsTaxIncluded",
                        "CustomerSalesTaxCodeRef", "DepositToAccountRef", "CreditCardTxnInfo", "Other",
                        "ExchangeRate", "ExternalGUID", "SalesReceiptLineAdd"],
    "CreditMemoAdd": ["CustomerRef", "ClassRef", "ARAccountRef", "TemplateRef", "TxnDate", "RefNumber",
                      "BillAddress", "ShipAddress", "IsPending", "PONumber", "TermsRef", "DueDate",
                      "SalesRepRef", "FOB", "ShipDate", "ShipMethodRef", "ItemSalesTaxRef", "Memo",
                      "CustomerMsgRef", "IsToBePrinted", "IsToBeEmailed", "IsTaxIncluded",
                      "CustomerSalesTaxCodeRef", "Other", "ExchangeRate", "ExternalGUID", "CreditMemoLineAdd"],
    "JournalEntryAdd": ["TxnDate", "RefNumber", "IsAdjustment", "IsHomeCurrencyAdjustment",
                        "IsAmountsEnteredInHomeCurrency", "CurrencyRef", "ExchangeRate", "ExternalGUID",
                        "JournalDebitLine", "JournalCreditLine"],
    "SalesReceiptLineAdd": ["ItemRef", "Desc", "Quantity", "UnitOfMeasure", "Rate", "RatePercent",
                            "PriceLevelRef", "ClassRef", "Amount", "OptionForPriceRuleConflict",
                            "InventorySiteRef", "InventorySiteLocationRef", "SerialNumber", "LotNumber",
                            "ServiceDate", "SalesTaxCodeRef", "OverrideItemAccountRef", "Other1", "Other2"],
    "CreditMemoLineAdd": ["ItemRef", "Desc", "Quantity", "UnitOfMeasure", "Rate", "RatePercent",
                          "PriceLevelRef", "ClassRef", "Amount", "InventorySiteRef",
                          "InventorySiteLocationRef", "SerialNumber", "LotNumber", "ServiceDate",
                          "SalesTaxCodeRef", "OverrideItemAccountRef", "Other1", "Other2"],
    "JournalDebitLine": ["TxnLineID", "AccountRef", "Amount", "Memo", "EntityRef", "ClassRef", "BillableStatus"],
    "JournalCreditLine": ["TxnLineID", "AccountRef", "Amount", "Memo", "EntityRef", "ClassRef", "BillableStatus"],
}


@pytest.fixture(autouse=True)
def database(tmp_path):
    init_db(tmp_path / "settlebook.sqlite3")
    with db.connection_context():
        yield


def settlement() -> Report:
    return Report.get_by_id(import_bytes(US, "us.txt").report_id)


def _check_order(element) -> None:
    order = SCHEMA_ORDER.get(element.tag)
    if order is not None:
        tags = [child.tag for child in element]
        positions = [order.index(tag) for tag in tags]
        # Repeated lines may alternate only where the schema allows a choice (journal lines).
        if element.tag == "JournalEntryAdd":
            positions = [min(p, order.index("JournalDebitLine")) for p in positions]
        assert positions == sorted(positions), f"{element.tag}: {tags}"
    for child in element:
        _check_order(child)


def test_add_request_matches_golden_file_and_schema_order():
    report = settlement()
    txns = summary_for_report(report.id).transactions
    assert [qbxml.NAMES[t.type] for t in txns] == ["SalesReceipt", "CreditMemo", "JournalEntry"]
    xml = qbxml.add_request(txns)
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>')
    root = fromstring(xml)
    assert root.find("QBXMLMsgsRq").get("onError") == "stopOnError"
    _check_order(root)
    assert xml == GOLDEN.read_text(encoding="utf-8").strip()


def test_journal_entry_balances_and_the_transactions_add_up_to_the_payout():
    report = settlement()
    xml = fromstring(qbxml.add_request(summary_for_report(report.id).transactions))
    journal = xml.find("QBXMLMsgsRq/JournalEntryAddRq/JournalEntryAdd")
    debits = sum(Decimal(e.findtext("Amount")) for e in journal.findall("JournalDebitLine"))
    credits = sum(Decimal(e.findtext("Amount")) for e in journal.findall("JournalCreditLine"))
    assert debits == credits
    receipt = sum(Decimal(e.findtext("Amount")) for e in xml.iter("SalesReceiptLineAdd"))
    memo = sum(Decimal(e.findtext("Amount")) for e in xml.iter("CreditMemoLineAdd"))
    deposit = next(e for e in journal if e.findtext("Memo", "").startswith("Amazon settlement"))
    journal_net = Decimal(deposit.findtext("Amount")) * (1 if deposit.tag == "JournalDebitLine" else -1)
    # The credit memo credits A/R; the journal clears that against the deposit account, so
    # the deposit account receives the receipt plus the journal's net: the payout.
    ar = [e for e in journal.findall("JournalDebitLine") if e.findtext("EntityRef/FullName") == "Amazon Summary"]
    assert [Decimal(e.findtext("Amount")) for e in ar] == [memo]
    assert receipt + journal_net == report.total


def test_response_reading_and_status_words():
    results = qbxml.read_response(FakeCompany().answer(qbxml.query_request(
        summary_for_report(settlement().id).transactions)))
    assert [(r.kind, r.operation, r.not_found) for r in results] == [
        ("SalesReceipt", "Query", True), ("CreditMemo", "Query", True), ("JournalEntry", "Query", True)]
    with pytest.raises(qbxml.ResponseError):
        qbxml.read_response("<QBXML><QBXMLMsgsRs><Oops/></QBXMLMsgsRs></QBXML>")
    with pytest.raises(qbxml.ResponseError):
        qbxml.read_response('<!DOCTYPE x [<!ENTITY a "b">]><QBXML>&a;</QBXML>')


def test_soap_round_trip_fault_and_wsdl():
    call = (b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            b'<soap:Body><getLastError xmlns="http://developer.intuit.com/"><ticket>t1</ticket>'
            b'</getLastError></soap:Body></soap:Envelope>')
    assert soap.parse_call(call) == ("getLastError", {"ticket": "t1"})
    for bad in (b"not xml", b"<a/>", b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
                call.replace(b"getLastError", b"deleteEverything")):
        with pytest.raises(soap.SoapError):
            soap.parse_call(bad)
    answer = fromstring(soap.answer("authenticate", ["abc", "none"]))
    assert [s.text for s in answer.iter("{http://developer.intuit.com/}string")] == ["abc", "none"]
    wsdl = fromstring(soap.wsdl("https://books.example.com/qbwc"))
    operations = {op.get("name") for op in wsdl.iter("{http://schemas.xmlsoap.org/wsdl/}operation")}
    assert operations == set(soap.OPERATIONS)


def test_qwc_file_has_the_documented_elements_in_order():
    access.set_login("qbwc", "a long password")
    settings = access.current()
    xml = fromstring(qwc.qwc_file("https://books.example.com/", settings.username, settings.owner_id,
                                  settings.file_id))
    assert [e.tag for e in xml] == ["AppName", "AppID", "AppURL", "AppDescription", "AppSupport", "UserName",
                                    "OwnerID", "FileID", "QBType", "Scheduler", "IsReadOnly"]
    assert xml.findtext("AppURL") == "https://books.example.com/qbwc"
    assert xml.findtext("OwnerID") == access.current().owner_id  # kept per installation
    assert xml.findtext("OwnerID").startswith("{") and xml.findtext("OwnerID").endswith("}")
    assert qwc.url_problem("http://books.example.com") == "needs_https"
    assert qwc.url_problem("http://localhost:8000") is None
    assert qwc.url_problem("books") == "not_a_url"


def test_wrong_logins_are_braked_per_address():
    access.set_login("qbwc", "a long password")
    for _ in range(access.FREE_FAILURES):
        assert delivery.authenticate("qbwc", "wrong", "10.0.0.9") == ["", "nvu"]
    # Now even the right password from that address is refused for a while; others still work.
    assert delivery.authenticate("qbwc", "a long password", "10.0.0.9") == ["", "nvu"]
    assert delivery.authenticate("qbwc", "a long password", "10.0.0.7")[1] == "none"


def test_tickets_expire_and_old_settlements_wait_to_be_picked():
    report = settlement()  # imported before the Web Connector was set up
    access.set_login("qbwc", "a long password")
    ticket, status = delivery.authenticate("qbwc", "a long password", "127.0.0.1")
    assert status == "none" and QbwcDelivery.select().count() == 0
    QbwcTicket.update(expires=utcnow() - timedelta(seconds=1)).execute()
    assert delivery.send_request(ticket) == ""
    assert delivery.last_error(ticket)[0] == "session_expired"
    end = report.period_end.date()
    assert delivery.queue_range(end, end) == 1
    assert delivery.queue_range(end, end) == 0  # picked once
    ticket, status = delivery.authenticate("qbwc", "a long password", "127.0.0.1")
    assert status == "" and "SalesReceiptQueryRq" in delivery.send_request(ticket)


def test_parallel_wrong_logins_are_serialised_by_the_brake():
    access.set_login("qbwc", "a long password")
    results = []

    def guess():
        with db.connection_context():
            results.append(access.check("qbwc", "wrong guess", "10.0.0.5"))

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(False) == 12
    # Exactly the free failures were counted and checked; the rest were refused unchecked.
    assert QbwcLoginFailure.select().where(QbwcLoginFailure.remote_addr == "10.0.0.5").count() == access.FREE_FAILURES
