"""The QuickBooks Web Connector's SOAP endpoint (POST /qbwc, WSDL at GET /qbwc?wsdl).

The Web Connector logs in with its own user name and password inside the SOAP calls, so the
endpoint is outside the browser login and exempt from CSRF (it carries no cookie); everything
else (size limit, no traceback, a brake on wrong logins) is as strict as the rest of the app.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, request, url_for
from flask_babel import gettext

from core.i18n import N_
from core.qbwc import delivery, qbxml, soap

log = logging.getLogger(__name__)
bp = Blueprint("qbwc", __name__)

MAX_REQUEST_BYTES = 10 * 1024 * 1024  # a qbXML answer about one settlement is far smaller

LAST_ERRORS = {
    "session_expired": N_("This session has expired; the Web Connector starts a new one at its next run."),
    "nothing_to_send": N_("There is nothing to send."),
}


def _xml(body: bytes | str, status: int = 200) -> Response:
    return Response(body, status=status, content_type="text/xml; charset=utf-8")


@bp.route("/qbwc", methods=["GET"])
def wsdl():
    if "wsdl" not in request.args:
        return _xml(soap.fault("POST SOAP calls here; the WSDL is at ?wsdl"), 405)
    return _xml(soap.wsdl(url_for("qbwc.endpoint", _external=True)))


@bp.record_once
def _exempt_from_csrf(state) -> None:
    # The Web Connector sends no cookie and no token; it logs in inside each session.
    state.app.extensions["csrf"].exempt(endpoint)


@bp.route("/qbwc", methods=["POST"])
def endpoint():
    if (request.content_length or 0) > MAX_REQUEST_BYTES:
        return _xml(soap.fault("The request is too large."), 413)
    try:
        operation, params = soap.parse_call(request.get_data(cache=False))
    except soap.SoapError as exc:
        return _xml(soap.fault(str(exc)), 400)
    try:
        result = _call(operation, params)
    except Exception:  # the Web Connector gets a fault, the log the traceback
        log.exception("qbwc %s failed", operation)
        return _xml(soap.fault("settlebook could not answer this call; the error was logged."), 500)
    return _xml(soap.answer(operation, result))


def _call(operation: str, p: dict[str, str]) -> str | int | list[str]:
    if operation == "serverVersion":
        return delivery.SERVER_VERSION
    if operation == "clientVersion":
        return ""  # every Web Connector version that speaks qbXML 13 will do
    if operation == "authenticate":
        result = delivery.authenticate(p["strUserName"], p["strPassword"], request.remote_addr or "")
        if result[1] == "nvu":
            log.warning("qbwc: wrong user name or password from %s", request.remote_addr)
        return result
    if operation == "sendRequestXML":
        return delivery.send_request(p["ticket"])
    if operation == "receiveResponseXML":
        return delivery.receive_response(p["ticket"], p["response"], p["hresult"], p["message"])
    if operation == "connectionError":
        return delivery.connection_error(p["ticket"], p["hresult"], p["message"])
    if operation == "getLastError":
        code, params = delivery.last_error(p["ticket"])
        if code == "delivery_failed":
            return delivery_error_text(params["code"], params["text"], params["settlement"])
        if code in LAST_ERRORS:
            return gettext(LAST_ERRORS[code])
        return params.get("text", "")
    if operation == "closeConnection":
        _code, params = delivery.close(p["ticket"])
        return gettext("settlebook: %(sent)s settlement(s) sent.", sent=params["sent"])
    raise AssertionError(operation)


def delivery_error_text(code: str, text: str, settlement: str = "") -> str:
    """QuickBooks' status as plain words (shared by getLastError and the pages)."""
    if code in qbxml.STATUS_MESSAGES:
        message = gettext(qbxml.STATUS_MESSAGES[code], text=text)
    elif code == "hresult":
        message = gettext("QuickBooks could not process the request (%(text)s).", text=text)
    elif code == "unreadable":
        message = gettext("QuickBooks' answer could not be read (%(text)s).", text=text)
    elif code == "summary":
        reason = json.loads(text)
        message = gettext("No summary could be built for this settlement: %(reason)s",
                          reason=gettext(reason["template"]) % reason["params"])
    elif code == "no_txn_id":
        message = gettext("QuickBooks accepted the transaction but returned no id; "
                          "it is checked again at the next run.")
    else:
        message = gettext("QuickBooks answered with status %(code)s: %(text)s", code=code, text=text)
    if settlement:
        return gettext("Settlement %(settlement)s: %(message)s", settlement=settlement, message=message)
    return message
