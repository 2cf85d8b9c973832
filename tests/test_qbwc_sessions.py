"""Whole Web Connector sessions over HTTP against `settlebook serve` (a real process)."""

from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path

import pytest
import requests

from tests.helpers import csrf_token, free_port, settlebook, wait_until_up
from tests.qbwc_client import FakeCompany, WebConnector

FIXTURES = Path(__file__).parent / "fixtures" / "quickbooks"
USER, PASSWORD = "qbwc", "web connector pass"


def run(*args: str, data_dir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    process = settlebook(*args, data_dir=data_dir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(stdin, timeout=120)
    return subprocess.CompletedProcess(args, process.returncode, out, err)


@pytest.fixture
def served(tmp_path):
    data = tmp_path / "data"
    assert run("qbwc-user", "--username", USER, "--password-stdin", data_dir=data,
               stdin=PASSWORD + "\n").returncode == 0
    imported = run("import", str(FIXTURES / "settlement_us_refunds.txt"), data_dir=data)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    port = free_port()
    process = settlebook("serve", "--port", str(port), data_dir=data,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(f"{url}/healthz", process)
    yield url, data
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)


def test_first_session_sends_receipt_and_credit_memo_second_sends_nothing(served):
    url, _data = served
    company, connector = FakeCompany(), WebConnector(url)

    first = connector.session(company, USER, PASSWORD)
    assert first["status"] == "" and first["ticket"]
    assert first["progress"][-1] == 100 and not first["errors"]
    assert company.count("SalesReceipt") == 1
    assert company.count("CreditMemo") == 1
    receipt = company.transactions[("SalesReceipt", "24681357902")][0]["xml"]
    assert [line.findtext("ItemRef/FullName") for line in receipt.findall("SalesReceiptLineAdd")][:3] == \
        ["MUG-BLUE", "MUG-RED", "TEA-SET"]
    assert "24681357902" in receipt.findtext("Memo")
    assert "settlement" in first["closed"].lower()

    second = connector.session(company, USER, PASSWORD)
    assert second["status"] == "none"
    assert company.count("SalesReceipt") == 1 and company.count("CreditMemo") == 1


def test_wrong_login_is_not_a_valid_user(served):
    url, _data = served
    outcome = WebConnector(url).session(FakeCompany(), USER, "wrong password!")
    assert outcome == {"ticket": "", "status": "nvu", "errors": [], "progress": []}


def test_error_status_then_send_again_checks_quickbooks_first(served):
    url, _data = served
    company, connector = FakeCompany(), WebConnector(url)
    company.fail_add = ("3140", 'There is an invalid reference to QuickBooks Item "MUG-BLUE" in the Sales Receipt.')
    failed = connector.session(company, USER, PASSWORD)
    assert failed["progress"][-1] < 0
    assert "Create the item" in failed["errors"][0] and "MUG-BLUE" in failed["errors"][0]
    assert company.count("SalesReceipt") == 0

    # Nothing is pending any more: the next run has no work until the user says "send again".
    assert connector.session(company, USER, PASSWORD)["status"] == "none"
    company.fail_add = None
    _click_send_again(url)
    assert connector.session(company, USER, PASSWORD)["progress"][-1] == 100
    assert company.count("SalesReceipt") == 1 and company.count("CreditMemo") == 1


def _click_send_again(url: str) -> None:
    """As the user does it: log in, open Connections › QuickBooks, press "Send again"."""
    browser = requests.Session()
    page = browser.get(f"{url}/setup").text
    browser.post(f"{url}/setup", data={"csrf_token": csrf_token(page), "password": "app password 123",
                                       "confirmation": "app password 123", "language": "en"})
    page = browser.get(f"{url}/connections/quickbooks/").text
    assert "Create the item" in page
    action = re.search(r'action="(/connections/quickbooks/deliveries/\d+/send-again)"', page).group(1)
    done = browser.post(url + action, data={"csrf_token": csrf_token(page)})
    assert done.status_code == 200 and "waiting for the Web Connector" in done.text


def test_receipt_already_in_quickbooks_is_not_added_again(served):
    url, _data = served
    company, connector = FakeCompany(), WebConnector(url)
    # Sent once before, but settlebook never heard the answer (e.g. the line dropped).
    company.transactions[("SalesReceipt", "24681357902")] = [{"TxnID": "99-1", "RefNumber": "24681357902", "xml": None}]
    outcome = connector.session(company, USER, PASSWORD)
    assert outcome["progress"][-1] == 100
    assert company.count("SalesReceipt") == 1  # still only the one that was there
    assert company.count("CreditMemo") == 1


def test_malformed_response_and_hresult_are_errors_with_text(served):
    url, _data = served
    company, connector = FakeCompany(malformed=True), WebConnector(url)
    outcome = connector.session(company, USER, PASSWORD)
    assert outcome["progress"] == [-101]
    assert "could not be read" in outcome["errors"][0]


def test_hresult_from_quickbooks(served):
    url, _data = served
    outcome = WebConnector(url).session(FakeCompany(), USER, PASSWORD, hresult="0x80040400")
    assert outcome["progress"] == [-101]
    assert "0x80040400" in outcome["errors"][0]


def test_connection_error_gives_up_and_keeps_the_work(served):
    url, _data = served
    company, connector = FakeCompany(), WebConnector(url)
    assert connector.session(company, USER, PASSWORD, connection_error=True)["connection_error"] == "done"
    assert connector.session(company, USER, PASSWORD)["progress"][-1] == 100
    assert company.count("SalesReceipt") == 1


def test_cli_prints_the_qwc_file_and_refuses_plain_http(tmp_path):
    data = tmp_path / "data"
    refused = run("qbwc-file", "--url", "http://books.example.com", data_dir=data)
    assert refused.returncode == 2 and "only https" in refused.stderr and "Traceback" not in refused.stderr
    assert run("qbwc-file", "--url", "https://books.example.com", data_dir=data).returncode == 2  # no login yet
    short = run("qbwc-user", "--username", "qb", "--password-stdin", data_dir=data, stdin="short\n")
    assert short.returncode == 2 and "at least 10" in short.stderr
    assert run("qbwc-user", "--username", "qb", "--password-stdin", data_dir=data,
               stdin="a long password\n").returncode == 0
    printed = run("qbwc-file", "--url", "https://books.example.com", data_dir=data)
    assert printed.returncode == 0
    assert "<AppURL>https://books.example.com/qbwc</AppURL>" in printed.stdout
    assert "<UserName>qb</UserName>" in printed.stdout and "a long password" not in printed.stdout
