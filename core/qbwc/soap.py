"""SOAP 1.1 for the Web Connector's eight methods: parse a call, write an answer, the WSDL.

The Web Connector speaks document/literal SOAP in the namespace http://developer.intuit.com/
with fixed request shapes, so a table of operations is all the SOAP this app needs
(docs/quickbooks-web-connector.md). Requests are parsed with defusedxml: no entities, no DTDs.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

NS = "http://developer.intuit.com/"
ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/"

# operation -> (its parameters in the WSDL's order, the type of its result)
OPERATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "serverVersion": (("strVersion",), "string"),
    "clientVersion": (("strVersion",), "string"),
    "authenticate": (("strUserName", "strPassword"), "ArrayOfString"),
    "sendRequestXML": (("ticket", "strHCPResponse", "strCompanyFileName", "qbXMLCountry",
                        "qbXMLMajorVers", "qbXMLMinorVers"), "string"),
    "receiveResponseXML": (("ticket", "response", "hresult", "message"), "int"),
    "connectionError": (("ticket", "hresult", "message"), "string"),
    "getLastError": (("ticket",), "string"),
    "closeConnection": (("ticket",), "string"),
}
_INT_PARAMS = {"qbXMLMajorVers", "qbXMLMinorVers"}


class SoapError(Exception):
    """A request that is not one of the Web Connector's calls; answered with a SOAP fault."""


def parse_call(body: bytes) -> tuple[str, dict[str, str]]:
    """The operation named in the body and its parameters (missing ones are "")."""
    try:
        root = fromstring(body)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise SoapError("The request is not well-formed XML.") from exc
    soap_body = root.find(f"{{{ENVELOPE}}}Body") if root.tag == f"{{{ENVELOPE}}}Envelope" else None
    if soap_body is None or len(soap_body) == 0:
        raise SoapError("The request is not a SOAP 1.1 envelope with a body.")
    call = soap_body[0]
    name = call.tag.removeprefix(f"{{{NS}}}")
    if name == call.tag or name not in OPERATIONS:
        raise SoapError(f"Unknown operation {call.tag!r}.")
    params = dict.fromkeys(OPERATIONS[name][0], "")
    for child in call:
        key = child.tag.removeprefix(f"{{{NS}}}")
        if key in params:
            params[key] = child.text or ""
    return name, params


def answer(operation: str, result: str | int | list[str]) -> bytes:
    """The SOAP response envelope for `operation` returning `result`."""
    if isinstance(result, list):
        inner = "".join(f"<string>{escape(item)}</string>" for item in result)
    else:
        inner = escape(str(result))
    return _envelope(f'<{operation}Response xmlns="{NS}"><{operation}Result>{inner}'
                     f'</{operation}Result></{operation}Response>')


def fault(message: str) -> bytes:
    return _envelope(f"<soap:Fault><faultcode>soap:Client</faultcode>"
                     f"<faultstring>{escape(message)}</faultstring></soap:Fault>")


def _envelope(body: str) -> bytes:
    # No BOM and an explicit declaration: the Web Connector rejects anything else (QBWC1042).
    return (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{ENVELOPE}">'
            f"<soap:Body>{body}</soap:Body></soap:Envelope>").encode()


def wsdl(location: str) -> str:
    """The service description, written from OPERATIONS so the two cannot disagree."""
    xs = "http://www.w3.org/2001/XMLSchema"
    types = []
    for name, (params, result) in OPERATIONS.items():
        fields = "".join(
            f'<s:element minOccurs="{1 if p in _INT_PARAMS else 0}" maxOccurs="1" name="{p}" '
            f'type="s:{"int" if p in _INT_PARAMS else "string"}"/>' for p in params)
        result_type = {"string": "s:string", "int": "s:int", "ArrayOfString": "tns:ArrayOfString"}[result]
        min_occurs = 1 if result == "int" else 0
        types.append(
            f'<s:element name="{name}"><s:complexType><s:sequence>{fields}</s:sequence>'
            f'</s:complexType></s:element>'
            f'<s:element name="{name}Response"><s:complexType><s:sequence>'
            f'<s:element minOccurs="{min_occurs}" maxOccurs="1" name="{name}Result" type="{result_type}"/>'
            f'</s:sequence></s:complexType></s:element>')
    messages = "".join(
        f'<wsdl:message name="{n}SoapIn"><wsdl:part name="parameters" element="tns:{n}"/></wsdl:message>'
        f'<wsdl:message name="{n}SoapOut"><wsdl:part name="parameters" element="tns:{n}Response"/>'
        f'</wsdl:message>' for n in OPERATIONS)
    port_ops = "".join(
        f'<wsdl:operation name="{n}"><wsdl:input message="tns:{n}SoapIn"/>'
        f'<wsdl:output message="tns:{n}SoapOut"/></wsdl:operation>' for n in OPERATIONS)
    binding_ops = "".join(
        f'<wsdl:operation name="{n}"><soap:operation soapAction="{NS}{n}" style="document"/>'
        f'<wsdl:input><soap:body use="literal"/></wsdl:input>'
        f'<wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>' for n in OPERATIONS)
    location = escape(location, {'"': "&quot;"})
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:s="{xs}" '
        f'xmlns:tns="{NS}" targetNamespace="{NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">'
        f'<wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="{NS}">'
        '<s:complexType name="ArrayOfString"><s:sequence><s:element minOccurs="0" '
        'maxOccurs="unbounded" name="string" nillable="true" type="s:string"/></s:sequence>'
        f'</s:complexType>{"".join(types)}</s:schema></wsdl:types>{messages}'
        f'<wsdl:portType name="QBWebConnectorSvcSoap">{port_ops}</wsdl:portType>'
        '<wsdl:binding name="QBWebConnectorSvcSoap" type="tns:QBWebConnectorSvcSoap">'
        '<soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>'
        f'{binding_ops}</wsdl:binding>'
        '<wsdl:service name="QBWebConnectorSvc"><wsdl:port name="QBWebConnectorSvcSoap" '
        f'binding="tns:QBWebConnectorSvcSoap"><soap:address location="{location}"/></wsdl:port>'
        '</wsdl:service></wsdl:definitions>'
    )
