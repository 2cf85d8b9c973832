"""A scripted QuickBooks Web Connector and a small QuickBooks company behind it.

`WebConnector` makes the SOAP calls the real Web Connector makes, in its order, over HTTP.
`FakeCompany` answers the qbXML requests as QuickBooks Desktop does: queries by RefNumber
(status 1 when nothing matches), adds that return a new TxnID, and errors on demand.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from xml.etree.ElementTree import fromstring
from xml.sax.saxutils import escape, quoteattr

import requests

NS = "http://developer.intuit.com/"
ENV = "http://schemas.xmlsoap.org/soap/envelope/"


@dataclass
class FakeCompany:
    """Transactions by (kind, RefNumber); `fail_add` makes the next Adds answer a status."""

    transactions: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    fail_add: tuple[str, str] | None = None  # (statusCode, statusMessage)
    malformed: bool = False
    requests: list[str] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def answer(self, qbxml: str) -> str:
        self.requests.append(qbxml)
        if self.malformed:
            return "<QBXML><QBXMLMsgsRs><oops"
        root = fromstring(qbxml)
        out = []
        for rq in root.find("QBXMLMsgsRq"):
            request_id = rq.get("requestID", "")
            name = rq.tag.removesuffix("Rq")
            if name.endswith("Query"):
                kind = name.removesuffix("Query")
                found = self.transactions.get((kind, rq.findtext("RefNumber")), [])
                if found:
                    rets = "".join(f"<{kind}Ret><TxnID>{t['TxnID']}</TxnID>"
                                   f"<RefNumber>{escape(t['RefNumber'])}</RefNumber></{kind}Ret>" for t in found)
                    out.append(f'<{name}Rs requestID="{request_id}" statusCode="0" statusSeverity="Info" '
                               f'statusMessage="Status OK">{rets}</{name}Rs>')
                else:
                    out.append(f'<{name}Rs requestID="{request_id}" statusCode="1" statusSeverity="Info" '
                               f'statusMessage="A query request did not find a matching object in QuickBooks"/>')
            elif name.endswith("Add"):
                kind = name.removesuffix("Add")
                if self.fail_add:
                    code, message = self.fail_add
                    out.append(f'<{name}Rs requestID="{request_id}" statusCode="{code}" '
                               f'statusSeverity="Error" statusMessage={quoteattr(message)}/>')
                    break  # stopOnError
                add = rq.find(f"{kind}Add")
                txn = {"TxnID": f"{next(self._ids)}-1700000000", "RefNumber": add.findtext("RefNumber"),
                       "xml": add}
                self.transactions.setdefault((kind, txn["RefNumber"]), []).append(txn)
                out.append(f'<{name}Rs requestID="{request_id}" statusCode="0" statusSeverity="Info" '
                           f'statusMessage="Status OK"><{kind}Ret><TxnID>{txn["TxnID"]}</TxnID>'
                           f'<RefNumber>{escape(txn["RefNumber"])}</RefNumber></{kind}Ret></{name}Rs>')
        return ('<?xml version="1.0" ?><QBXML><QBXMLMsgsRs>' + "".join(out) + "</QBXMLMsgsRs></QBXML>")

    def count(self, kind: str) -> int:
        return sum(len(v) for (k, _ref), v in self.transactions.items() if k == kind)


class WebConnector:
    def __init__(self, url: str):
        self.url = url.rstrip("/") + "/qbwc"
        self.log: list[tuple[str, object]] = []

    def call(self, method: str, **params: object) -> object:
        body = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in params.items())
        envelope = (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{ENV}">'
                    f'<soap:Body><{method} xmlns="{NS}">{body}</{method}></soap:Body></soap:Envelope>')
        response = requests.post(self.url, data=envelope.encode(), timeout=30, headers={
            "Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NS}{method}"'})
        response.raise_for_status()
        root = fromstring(response.content)
        result = root.find(f"{{{ENV}}}Body/{{{NS}}}{method}Response/{{{NS}}}{method}Result")
        assert result is not None, response.text
        strings = result.findall(f"{{{NS}}}string")
        value: object = [s.text or "" for s in strings] if method == "authenticate" else (result.text or "")
        if method == "receiveResponseXML":
            value = int(value)
        self.log.append((method, value))
        return value

    def session(self, company: FakeCompany, username: str, password: str,
                hresult: str = "", connection_error: bool = False) -> dict:
        """One run of "Update Web Services": what the Web Connector saw."""
        self.call("serverVersion", strVersion="2.3.0.36")
        assert self.call("clientVersion", strVersion="2.3.0.36") == ""
        ticket, status = self.call("authenticate", strUserName=username, strPassword=password)[:2]
        outcome = {"ticket": ticket, "status": status, "errors": [], "progress": []}
        if status in ("nvu", "none"):
            return outcome
        if connection_error:
            outcome["connection_error"] = self.call(
                "connectionError", ticket=ticket, hresult="0x80040408", message="Could not start QuickBooks.")
            return outcome
        for _ in range(100):
            request = self.call("sendRequestXML", ticket=ticket, strHCPResponse="", strCompanyFileName="",
                                qbXMLCountry="US", qbXMLMajorVers=13, qbXMLMinorVers=0)
            if not request:
                outcome["errors"].append(self.call("getLastError", ticket=ticket))
                break
            if hresult:
                progress = self.call("receiveResponseXML", ticket=ticket, response="", hresult=hresult,
                                     message="QuickBooks found an error when parsing the provided XML text stream.")
            else:
                progress = self.call("receiveResponseXML", ticket=ticket, response=company.answer(request),
                                     hresult="", message="")
            outcome["progress"].append(progress)
            if progress < 0:
                outcome["errors"].append(self.call("getLastError", ticket=ticket))
                break
            if progress >= 100:
                break
        outcome["closed"] = self.call("closeConnection", ticket=ticket)
        return outcome
