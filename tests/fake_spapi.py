"""A fake Amazon (LWA + SP-API + S3 downloads) on 127.0.0.1, behaving like the real one.

Real HTTP in a thread (stdlib `http.server`), so the real client is tested end to end:
token grant and expiry, getReports paging whose `nextToken` must come alone, reports that
move IN_QUEUE → IN_PROGRESS → DONE / CANCELLED / FATAL (with an error document), gzip and
cp1252 documents with and without a charset, 5-minute download URLs, a restricted data
token for the VAT report, an expired client secret, the same settlement under two report
ids, and faults injected per operation (429 bursts without headers, 500s, timeouts, an
access token that expires mid-run, a download that trickles).

`python -m tests.fake_spapi --port 8765` serves the default data set for trying the app.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import secrets
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.synthetic import german_v2_settlement

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
SETTLEMENT_V2 = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
VAT = "GET_VAT_TRANSACTION_DATA"
CLIENT_ID = "amzn1.application-oa2-client.fake0000"
CLIENT_SECRET = "amzn1.oa2-cs.v1.fake-secret"
REFRESH_TOKEN = "Atzr|fake-refresh-token"

MARKETPLACES = [
    ("A1PA6795UKMFR9", "Amazon.de", "DE", "EUR", "www.amazon.de"),
    ("A13V1IB3VIYZZH", "Amazon.fr", "FR", "EUR", "www.amazon.fr"),
    ("APJ6JRA9NG5V4", "Amazon.it", "IT", "EUR", "www.amazon.it"),
    ("A1RKKUPIHCS9HS", "Amazon.es", "ES", "EUR", "www.amazon.es"),
    ("A38D8NSA03LJTC", "Non-Amazon DE", "DE", "EUR", "www.amazon.de"),  # Amazon lists such internal ones too
]

OPERATIONS = [  # (method, path pattern, operation name)
    ("GET", r"/sellers/v1/marketplaceParticipations", "getMarketplaceParticipations"),
    ("GET", r"/reports/2021-06-30/reports", "getReports"),
    ("POST", r"/reports/2021-06-30/reports", "createReport"),
    ("GET", r"/reports/2021-06-30/reports/(?P<id>[^/]+)", "getReport"),
    ("GET", r"/reports/2021-06-30/documents/(?P<id>[^/]+)", "getReportDocument"),
    ("POST", r"/tokens/2021-03-01/restrictedDataToken", "createRestrictedDataToken"),
]


def vat_document(start: str) -> bytes:
    """The VAT fixture moved into the requested month (days 28 and 29 kept valid in February)."""
    year, month = int(start[:4]), int(start[5:7])
    text = (FIXTURES / "vat_92_tab.txt").read_text("utf-8").replace("29-01-2020", "27-01-2020")
    period = f"{year}-{'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split()[month - 1]}"
    return text.replace("2020-JAN", period).replace("-01-2020", f"-{month:02d}-{year}").encode("utf-8")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


class FakeAmazon:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.client_id, self.client_secret, self.refresh_token = CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
        self.token_lifetime = 3600
        self.tokens: dict[str, float] = {}  # access token → expiry (monotonic)
        self.rdts: dict[str, str] = {}  # restricted data token → the one path it opens
        self.secret_expired = False
        self.vat_role = True
        self.vat_outcome = "DONE"  # DONE | CANCELLED | FATAL
        self.polls_until_done = 2
        self.rate_header: str | None = None  # x-amzn-RateLimit-Limit on successes
        self.url_lifetime = 300.0
        self.expire_next_urls = 0  # hand out this many URLs that have already expired
        self.trickle = 0.0  # seconds between 1 KB chunks of a download
        self.marketplaces = list(MARKETPLACES)
        self.reports: dict[str, dict] = {}
        self.documents: dict[str, dict] = {}
        self.pages: dict[str, tuple[list[str], int, int]] = {}
        self.faults: list[tuple[str, str]] = []  # (operation or "*", kind)
        self.requests: list[dict] = []
        self.vat_requests: list[dict] = []
        self.codes: set[str] = set()  # spapi_oauth_code values Amazon's consent page handed out
        self.redirect_uris: list[str] = []
        self._ids = 50_000_000_000
        self.url = ""

    # -- data ------------------------------------------------------------------------------

    def _next_id(self) -> str:
        self._ids += 1
        return str(self._ids)

    def add_document(self, data: bytes, *, compress: bool = False, charset: str | None = "UTF-8",
                     restricted: bool = False) -> str:
        doc_id = f"amzn1.spdoc.1.4.eu.{uuid.uuid4()}"
        content_type = "text/plain" + (f"; charset={charset}" if charset else "")
        self.documents[doc_id] = {"data": gzip.compress(data) if compress else data,
                                  "compress": compress, "content_type": content_type,
                                  "restricted": restricted}
        return doc_id

    def add_report(self, report_type: str, data: bytes | None, *, created: datetime | None = None,
                   status: str = "DONE", marketplace_ids: list[str] | None = None,
                   **doc_options) -> str:
        report_id = self._next_id()
        created = created or datetime.now(UTC) - timedelta(days=3)
        report = {"reportId": report_id, "reportType": report_type, "processingStatus": status,
                  "createdTime": iso(created), "marketplaceIds": marketplace_ids or ["A1PA6795UKMFR9"],
                  "dataStartTime": iso(created - timedelta(days=14)), "dataEndTime": iso(created)}
        if data is not None:
            report["reportDocumentId"] = self.add_document(data, **doc_options)
        self.reports[report_id] = report
        return report_id

    def add_settlement(self, settlement_id: str, lines: int = 30, seed: int = 1, *,
                       days_ago: float = 3, encoding: str = "utf-8", **doc_options) -> str:
        text = german_v2_settlement(lines, settlement_id, seed).decode("utf-8")
        return self.add_report(SETTLEMENT_V2, text.encode(encoding),
                               created=datetime.now(UTC) - timedelta(days=days_ago), **doc_options)

    def default_data(self) -> FakeAmazon:
        """Three German settlements (one gzip with charset, one cp1252 without, one listed
        twice), a French one, one too old to list, and a VAT report on request."""
        first = self.add_settlement("11111111111", 40, 1, days_ago=40, compress=True, charset="UTF-8")
        self.add_settlement("22222222222", 30, 2, days_ago=26, encoding="cp1252", charset=None)
        self.add_settlement("33333333333", 25, 3, days_ago=12, compress=True, charset=None)
        twin = self.reports[first]
        self.add_report(SETTLEMENT_V2, None, created=datetime.now(UTC) - timedelta(days=39))
        self.reports[self._ids_str()]["reportDocumentId"] = twin["reportDocumentId"]
        self.add_report(SETTLEMENT_V2, (FIXTURES / "settlement_v2_fr.txt").read_bytes(),
                        created=datetime.now(UTC) - timedelta(days=20), marketplace_ids=["A13V1IB3VIYZZH"])
        self.add_settlement("99999999999", 10, 9, days_ago=120)  # gone from the API: upload by hand
        return self

    def _ids_str(self) -> str:
        return str(self._ids)

    def fail(self, operation: str, *kinds: str) -> None:
        """Queue faults for the next calls of `operation` ("*" = any): "429", "500",
        "timeout", "expire_token", "reset"."""
        with self.lock:
            self.faults.extend((operation, kind) for kind in kinds)

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens = dict.fromkeys(self.tokens, 0.0)

    def calls(self, operation: str) -> list[dict]:
        return [r for r in self.requests if r["operation"] == operation]

    # -- serving ---------------------------------------------------------------------------

    def start(self, port: int = 0) -> FakeAmazon:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        if parts.path == "/auth/o2/token" and method == "POST":
            return self._token(h, body)
        if parts.path.startswith("/_download/"):
            return self._download(h, parts.path.rsplit("/", 1)[1], query)
        found = [(operation, match) for op_method, pattern, operation in OPERATIONS
                 if op_method == method and (match := re.fullmatch(pattern, parts.path))]
        if not found:
            return self._error(h, 404, "NotFound", "Resource not found.")
        operation, match = found[0]
        with self.lock:
            self.requests.append({"operation": operation, "query": query, "raw_query": parts.query,
                                  "body": body, "token": h.headers.get("x-amz-access-token", "")})
            fault = next((f for f in self.faults if f[0] in (operation, "*")), None)
            if fault:
                self.faults.remove(fault)
        if fault:
            kind = fault[1]
            if kind == "429":  # Amazon sends no rate-limit header with a 429
                return self._error(h, 429, "QuotaExceeded", "You exceeded your quota for the requested resource.")
            if kind == "500":
                return self._error(h, 500, "InternalFailure", "We encountered an internal error. Please try again.")
            if kind == "timeout":
                time.sleep(3)
                return self._error(h, 503, "ServiceUnavailable", "Too late.")
            if kind == "reset":
                h.close_connection = True
                h.connection.close()
                return None
            if kind == "expire_token":
                self.expire_tokens()
        problem = self._authorise(h, operation, parts.path)
        if problem:
            return self._error(h, 403, "Unauthorized", "Access to requested resource is denied.", problem)
        handler = getattr(self, f"_op_{operation}")
        return handler(h, query, body, match)

    def _authorise(self, h, operation: str, path: str) -> str:
        token = h.headers.get("x-amz-access-token", "")
        with self.lock:
            if token in self.rdts:
                return "" if self.rdts[token] == path else "The restricted data token does not cover this resource."
            if token not in self.tokens:
                return "The access token you provided is revoked, malformed or invalid."
            if self.secret_expired:
                return "The LWA secret token you provided has expired."
            if time.monotonic() >= self.tokens[token]:
                return "The access token you provided has expired."
        if operation == "getReportDocument":
            doc = self.documents.get(path.rsplit("/", 1)[1])
            if doc and doc["restricted"]:
                return "Application does not have access to one or more requested data elements: [restricted report]"
        return ""

    def _send(self, h, status: int, payload, content_type: str = "application/json",
              headers: dict | None = None) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(data)))
        h.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(data)

    def _ok(self, h, payload, status: int = 200) -> None:
        headers = {"x-amzn-RateLimit-Limit": self.rate_header} if self.rate_header else {}
        self._send(h, status, payload, headers=headers)

    def _error(self, h, status: int, code: str, message: str, details: str = "") -> None:
        error = {"code": code, "message": message}
        if details:
            error["details"] = details
        self._send(h, status, {"errors": [error]})

    def _token(self, h, body: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        self.requests.append({"operation": "lwa", "query": {}, "raw_query": "", "body": b"", "token": ""})
        with self.lock:
            fault = next((f for f in self.faults if f[0] == "lwa"), None)
            if fault:
                self.faults.remove(fault)
        if fault and fault[1] == "500":
            return self._send(h, 500, {"error": "server_error", "error_description": "Internal error"})
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret \
                or self.secret_expired:
            return self._send(h, 401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        if form.get("grant_type") == "authorization_code":
            if form.get("code") not in self.codes:
                return self._send(h, 400, {"error": "invalid_grant", "error_description":
                                           "The authorization code is invalid or has expired."})
            self.codes.discard(form["code"])
            self.redirect_uris.append(form.get("redirect_uri", ""))
            return self._send(h, 200, {"access_token": "Atza|" + secrets.token_urlsafe(24), "token_type": "bearer",
                                       "expires_in": self.token_lifetime, "refresh_token": self.refresh_token})
        if form.get("grant_type") != "refresh_token" or form.get("refresh_token") != self.refresh_token:
            return self._send(h, 400, {"error": "invalid_grant", "error_description":
                                       "The request has an invalid grant parameter : refresh_token. "
                                       "User may have revoked or didn't grant the permission."})
        token = "Atza|" + secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.monotonic() + self.token_lifetime
        self._send(h, 200, {"access_token": token, "token_type": "bearer",
                            "expires_in": self.token_lifetime, "refresh_token": self.refresh_token})

    # -- operations ------------------------------------------------------------------------

    def _op_getMarketplaceParticipations(self, h, query, body, match):
        payload = [{"marketplace": {"id": mid, "name": name, "countryCode": cc, "defaultCurrencyCode": cur,
                                    "defaultLanguageCode": "de_DE", "domainName": domain},
                    "participation": {"isParticipating": True, "hasSuspendedListings": False},
                    "storeName": "Kaffeeladen"} for mid, name, cc, cur, domain in self.marketplaces]
        self._ok(h, {"payload": payload})

    def _op_getReports(self, h, query, body, match):
        if "nextToken" in query:
            if len(query) > 1:
                return self._error(h, 400, "InvalidInput", "NextToken cannot be specified with other input parameters")
            with self.lock:
                page = self.pages.pop(query["nextToken"], None)
            if page is None:
                return self._error(h, 400, "InvalidInput", "Invalid nextToken.")
            ids, offset, size = page
        else:
            if not query.get("reportTypes"):
                return self._error(h, 400, "InvalidInput", "Either reportTypes or nextToken is required.")
            size = int(query.get("pageSize", 10))
            if not 1 <= size <= 100:
                return self._error(h, 400, "InvalidInput", "pageSize must be between 1 and 100.")
            now = datetime.now(UTC)
            since = datetime.fromisoformat(query.get("createdSince", iso(now - timedelta(days=90)))
                                           .replace("Z", "+00:00"))
            if since < now - timedelta(days=90):
                return self._error(h, 400, "InvalidInput", "createdSince must be within 90 days.")
            types = query["reportTypes"].split(",")
            statuses = query.get("processingStatuses", "").split(",") if query.get("processingStatuses") else None
            ids = [r["reportId"] for r in sorted(self.reports.values(), key=lambda r: r["createdTime"], reverse=True)
                   if r["reportType"] in types and datetime.fromisoformat(r["createdTime"]) >= since
                   and (statuses is None or r["processingStatus"] in statuses)]
            offset = 0
        reply: dict = {"reports": [self.reports[i] for i in ids[offset:offset + size]]}
        if offset + size < len(ids):
            token = secrets.token_urlsafe(18) + "+/=="  # needs URL-encoding, as Amazon's do
            with self.lock:
                self.pages[token] = (ids, offset + size, size)
            reply["nextToken"] = token
        self._ok(h, reply)

    def _op_createReport(self, h, query, body, match):
        spec = json.loads(body or b"{}")
        kind = spec.get("reportType")
        if not spec.get("marketplaceIds"):
            return self._error(h, 400, "InvalidInput", "marketplaceIds is required.")
        if kind and kind.startswith("GET_V2_SETTLEMENT"):
            return self._error(h, 400, "InvalidInput", "Request for report type 1118 is not allowed at this time")
        if kind == VAT and not self.vat_role:
            return self._error(h, 403, "Unauthorized", "Access to requested resource is denied.")
        report_id = self.add_report(kind, None, created=datetime.now(UTC), status="IN_QUEUE",
                                    marketplace_ids=spec["marketplaceIds"])
        self.reports[report_id].update(dataStartTime=spec.get("dataStartTime"), dataEndTime=spec.get("dataEndTime"))
        self.reports[report_id]["_polls"] = 0
        self.vat_requests.append(spec)
        self._ok(h, {"reportId": report_id}, status=202)

    def _op_getReport(self, h, query, body, match):
        report = self.reports.get(match["id"])
        if report is None:
            return self._error(h, 404, "NotFound", "Report not found.")
        if "_polls" in report and report["processingStatus"] in ("IN_QUEUE", "IN_PROGRESS"):
            report["_polls"] += 1
            if report["_polls"] >= self.polls_until_done:
                self._finish(report)
            else:
                report["processingStatus"] = "IN_PROGRESS"
        self._ok(h, {k: v for k, v in report.items() if not k.startswith("_")})

    def _finish(self, report: dict) -> None:
        report["processingStatus"] = self.vat_outcome
        if self.vat_outcome == "DONE":
            data = vat_document(report.get("dataStartTime") or "2020-01")
            report["reportDocumentId"] = self.add_document(data, compress=True, charset="UTF-8", restricted=True)
        elif self.vat_outcome == "FATAL":
            report["reportDocumentId"] = self.add_document(
                b'{"errorDetails":"The report for this period is not available yet."}', compress=True,
                charset="UTF-8", restricted=False)

    def _op_getReportDocument(self, h, query, body, match):
        doc = self.documents.get(match["id"])
        if doc is None:
            return self._error(h, 404, "NotFound", "Document not found.")
        expires = time.time() + self.url_lifetime
        if self.expire_next_urls:
            self.expire_next_urls -= 1
            expires = time.time() - 1
        reply = {"reportDocumentId": match["id"], "url": f"{self.url}/_download/{match['id']}?expires={expires}"}
        if doc["compress"]:
            reply["compressionAlgorithm"] = "GZIP"
        self._ok(h, reply)

    def _op_createRestrictedDataToken(self, h, query, body, match):
        resources = json.loads(body or b"{}").get("restrictedResources") or []
        if len(resources) != 1:
            return self._error(h, 400, "InvalidInput", "One restricted resource expected.")
        path = resources[0].get("path", "")
        doc = self.documents.get(path.rsplit("/", 1)[-1])
        if doc is None or not doc["restricted"]:
            return self._error(h, 400, "InvalidInput", "Invalid or unsupported document ID found")
        token = "Atz.sprdt|" + secrets.token_urlsafe(24)
        with self.lock:
            self.rdts[token] = path
        self._ok(h, {"restrictedDataToken": token, "expiresIn": 3600})

    def _download(self, h, doc_id: str, query: dict) -> None:
        doc = self.documents.get(doc_id)
        if doc is None or time.time() > float(query.get("expires", 0)):
            return self._send(h, 403, b"<Error><Code>AccessDenied</Code><Message>Request has expired"
                                      b"</Message></Error>", "application/xml")
        self.requests.append({"operation": "download", "query": query, "raw_query": "", "body": b"", "token": ""})
        data = doc["data"]
        if not self.trickle:
            return self._send(h, 200, data, doc["content_type"])
        h.send_response(200)
        h.send_header("Content-Type", doc["content_type"])
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        try:
            for start in range(0, len(data), 1024):
                h.wfile.write(data[start:start + 1024])
                h.wfile.flush()
                time.sleep(self.trickle)
        except OSError:
            pass  # the client went away (killed): fine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--trickle", type=float, default=0.0, help="seconds between 1 KB download chunks")
    args = parser.parse_args()
    fake = FakeAmazon().default_data()
    fake.trickle = args.trickle
    fake.polls_until_done = 1  # no half-minute wait while trying the app
    fake.start(args.port)
    print(f"fake Amazon on {fake.url}  (client id {CLIENT_ID}, secret {CLIENT_SECRET}, "
          f"refresh token {REFRESH_TOKEN})", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
