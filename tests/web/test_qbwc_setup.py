"""Connections › QuickBooks Web Connector, and the SOAP endpoint's place in the app."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import fromstring

from core.imports import import_bytes
from core.models import QbwcDelivery, Setting
from tests.helpers import csrf_token

PAGE = "/connections/quickbooks/"
US = (Path(__file__).parent.parent / "fixtures" / "quickbooks" / "settlement_us_refunds.txt").read_bytes()


def post(client, path, **data):
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def test_login_and_address_are_validated_next_to_the_fields(logged_in):
    response = post(logged_in, PAGE + "login", username="qb", password="short", confirmation="short")
    assert response.status_code == 422 and "at least 10 characters" in response.get_data(as_text=True)
    response = post(logged_in, PAGE + "url", public_url="http://books.example.com")
    assert response.status_code == 422 and "only https" in response.get_data(as_text=True)
    assert Setting.get_value("qbwc.password_hash") is None


def test_setup_then_download_the_qwc_file(logged_in):
    assert post(logged_in, PAGE + "login", username="qb", password="a long password",
                confirmation="a long password").status_code == 303
    assert post(logged_in, PAGE + "url", public_url="https://books.example.com/").status_code == 303
    page = logged_in.get(PAGE).get_data(as_text=True)
    assert "A login is set for qb." in page and "a long password" not in page
    qwc = logged_in.get(PAGE + "settlebook.qwc")
    assert qwc.headers["Content-Disposition"] == 'attachment; filename="settlebook.qwc"'
    root = fromstring(qwc.data)
    assert root.findtext("AppURL") == "https://books.example.com/qbwc"
    assert root.findtext("UserName") == "qb"
    assert not Setting.get_value("qbwc.password_hash").startswith("a long")


def test_pick_older_settlements_by_range_and_see_them_on_the_settlement_page(logged_in):
    report_id = import_bytes(US, "us.txt").report_id  # imported before the setup
    post(logged_in, PAGE + "login", username="qb", password="a long password", confirmation="a long password")
    assert "not on its way to QuickBooks" in logged_in.get(f"/reports/{report_id}").get_data(as_text=True)
    response = post(logged_in, PAGE + "pick", start="2026-04-01", end="2026-04-30")
    assert response.status_code == 303 and QbwcDelivery.select().count() == 1
    page = logged_in.get(f"/reports/{report_id}").get_data(as_text=True)
    assert "waiting for the Web Connector" in page
    assert post(logged_in, PAGE + "pick", start="2026-05-01", end="2026-04-01").status_code == 422


def test_the_page_needs_a_login_but_the_soap_endpoint_has_its_own(client, actions):
    actions.setup()
    actions.logout()
    assert client.get(PAGE).status_code == 303
    assert client.get("/qbwc?wsdl").status_code == 200
    # No session, no CSRF token: the endpoint answers SOAP, and a wrong login is "nvu".
    body = (b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
            b'<authenticate xmlns="http://developer.intuit.com/"><strUserName>x</strUserName>'
            b'<strPassword>y</strPassword></authenticate></soap:Body></soap:Envelope>')
    response = client.post("/qbwc", data=body, content_type="text/xml")
    assert response.status_code == 200 and b"<string>nvu</string>" in response.data
    # Other state changes still need the CSRF token.
    assert client.post(PAGE + "login", data={"username": "x"}).status_code == 400


def test_hostile_and_oversized_requests_get_a_fault_not_a_traceback(logged_in):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&lol2;'
            b'</soap:Body></soap:Envelope>')
    response = logged_in.post("/qbwc", data=bomb, content_type="text/xml")
    assert response.status_code == 400 and b"Fault" in response.data and b"Traceback" not in response.data
    big = logged_in.post("/qbwc", data=b"<a>" + b"x" * (11 * 1024 * 1024) + b"</a>", content_type="text/xml")
    assert big.status_code == 413 and b"Fault" in big.data
    assert re.search(rb"<faultstring>[^<]+</faultstring>", big.data)
