"""The SP-API client: LWA tokens, regional hosts, rate limits, retries, report documents.

Every call has a timeout; a 429, a 5xx, a timeout or a broken connection is retried a
bounded number of times with capped exponential backoff and jitter — only where sleeping
is allowed (`may_sleep`): a web request never sleeps, it gets the error at once.
Secrets and tokens are never logged; request ids are, because Amazon's support asks for them.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from core.spapi import errors
from core.spapi.errors import SpApiError
from core.spapi.ratelimit import RateLimiter
from core.spapi.regions import HOSTS, LWA_TOKEN_URL

log = logging.getLogger(__name__)

USER_AGENT = "settlebook/0.1 (Language=Python)"
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024  # the importer's own limit; a bigger one is refused
REPORTS = "/reports/2021-06-30"
RETENTION_DAYS = 89  # Amazon keeps 90 days and refuses a createdSince further back


@dataclass(frozen=True)
class Credentials:
    region: str
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)


@dataclass
class Document:
    report_id: str
    document_id: str
    data: bytes  # unpacked bytes as Amazon served them
    text: str
    charset: str  # how `text` was decoded, and why: "utf-8 (header)", "utf-8", "cp1252"


def decode_document(data: bytes, content_type: str) -> tuple[str, str]:
    """The charset from the download's Content-Type, else UTF-8, else cp1252."""
    declared = requests.utils.get_encoding_from_headers({"content-type": content_type}) \
        if "charset" in content_type.lower() else None
    if declared:
        try:
            return data.decode(declared), f"{declared.lower()} (header)"
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong header must not lose the file: fall through to the guesses
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"  # cp1252 leaves five bytes undefined


def _gunzip(data: bytes) -> bytes:
    # Bounded, so a small bomb cannot fill the memory of a Raspberry Pi.
    unpacker = zlib.decompressobj(wbits=31)
    out = unpacker.decompress(data, MAX_DOCUMENT_BYTES + 1)
    if len(out) > MAX_DOCUMENT_BYTES or unpacker.unconsumed_tail:
        raise SpApiError(None, "document_too_large", "The report document is larger than 512 MB.")
    return out


class SpApiClient:
    def __init__(
        self,
        credentials: Credentials,
        endpoint: str | None = None,
        lwa_endpoint: str | None = None,
        *,
        timeout: tuple[float, float] = (10, 60),
        max_retries: int = 5,
        backoff_base: float = 2.0,
        backoff_cap: float = 120.0,
        may_sleep: bool = True,
        poll_interval: float = 30.0,
        poll_timeout: float = 3600.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        session: requests.Session | None = None,
    ) -> None:
        if credentials.region not in HOSTS:
            raise ValueError(f"unknown region {credentials.region!r}")
        self.credentials = credentials
        self.base = (endpoint or HOSTS[credentials.region]).rstrip("/")
        self.lwa_url = lwa_endpoint or LWA_TOKEN_URL
        self.timeout = timeout
        self.max_retries = max_retries if may_sleep else 0
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.may_sleep = may_sleep
        self.poll_interval = poll_interval
        self.poll_timeout = poll_timeout
        self.sleep = sleep
        self.clock = clock
        self.session = session or requests.Session()
        self.limits = RateLimiter(clock)
        self._token: str | None = None
        self._token_until = 0.0
        self._token_lock = threading.Lock()

    # -- LWA ---------------------------------------------------------------------------------

    def access_token(self, refresh: bool = False) -> str:
        """The LWA access token, cached until a minute before it expires."""
        with self._token_lock:
            if refresh or self._token is None or self.clock() >= self._token_until:
                body = self._with_retries("lwa", self._request_token)
                self._token = body["access_token"]
                self._token_until = self.clock() + float(body.get("expires_in", 3600)) - 60
            return self._token

    def _request_token(self) -> tuple[requests.Response | None, SpApiError | None]:
        c = self.credentials
        data = {"grant_type": "refresh_token", "refresh_token": c.refresh_token,
                "client_id": c.client_id, "client_secret": c.client_secret}
        response, error = self._send("POST", self.lwa_url, data=data, headers={
            "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"})
        if response is not None and not response.ok:
            error = self._lwa_error(response)
        return response, error

    def exchange_code(self, code: str, redirect_uri: str) -> str:
        """Website authorization: trade an `spapi_oauth_code` (valid 5 minutes) for a refresh token."""
        c = self.credentials

        def attempt():
            response, error = self._send("POST", self.lwa_url, data={
                "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "client_id": c.client_id, "client_secret": c.client_secret})
            if response is not None and not response.ok:
                error = self._lwa_error(response)
            return response, error

        return self._with_retries("lwa", attempt)["refresh_token"]

    @staticmethod
    def _lwa_error(response: requests.Response) -> SpApiError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        code = str(body.get("error") or f"http_{response.status_code}")
        message = str(body.get("error_description") or response.reason or "")
        error_class = errors.classify(response.status_code, code)
        if response.status_code >= 500 or response.status_code == 429:
            error_class = errors.RETRYABLE
        return SpApiError(response.status_code, code, message,
                          response.headers.get("x-amzn-RequestId", ""), error_class)

    # -- calls -------------------------------------------------------------------------------

    def _send(self, method: str, url: str, **kwargs: Any
              ) -> tuple[requests.Response | None, SpApiError | None]:
        kwargs.setdefault("timeout", self.timeout)
        headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
        try:
            return self.session.request(method, url, headers=headers, **kwargs), None
        except requests.Timeout:
            return None, SpApiError(None, "timeout", "Amazon did not answer in time.",
                                    error_class=errors.RETRYABLE)
        except requests.ConnectionError:
            return None, SpApiError(None, "connection", "Amazon could not be reached.",
                                    error_class=errors.RETRYABLE)

    def _with_retries(self, operation: str,
                      attempt: Callable[[], tuple[requests.Response | None, SpApiError | None]]) -> Any:
        bucket = self.limits.bucket(operation)
        for number in range(self.max_retries + 1):
            wait = bucket.wait_time()
            if wait > 0:
                if not self.may_sleep:
                    raise SpApiError(429, "QuotaExceeded", "Too many requests to Amazon just now; "
                                     "try again in a minute.", error_class=errors.RETRYABLE)
                self.sleep(wait)
            bucket.take()
            response, error = attempt()
            if response is not None:
                limit = response.headers.get("x-amzn-RateLimit-Limit")
                if limit:
                    try:
                        bucket.lower_rate(float(limit))
                    except ValueError:
                        pass
                if error is None:
                    return response.json() if response.content else {}
            assert error is not None
            if not error.retryable or number == self.max_retries:
                raise error
            log.info("SP-API %s failed (attempt %s), retrying: %s", operation, number + 1, error)
            self.sleep(self._backoff(number, response))
        raise AssertionError("unreachable")

    def _backoff(self, number: int, response: requests.Response | None) -> float:
        retry_after = response.headers.get("Retry-After") if response is not None else None
        if retry_after and retry_after.isdigit():
            return min(self.backoff_cap, float(retry_after))
        # "Equal jitter": at least half the exponential step, so retries spread but still back off.
        step = min(self.backoff_cap, self.backoff_base * 2 ** number)
        return step / 2 + random.uniform(0, step / 2)

    def call(self, operation: str, method: str, path: str, *, params: dict | None = None,
             json: Any = None, token: str | None = None) -> Any:
        """One SP-API operation; `token` replaces the access token (a restricted data token)."""
        refreshed = False

        def attempt():
            nonlocal refreshed
            access = token or self.access_token()
            response, error = self._send(method, self.base + path, params=params, json=json,
                                         headers={"x-amz-access-token": access})
            if response is None or response.ok:
                return response, error
            error = self._api_error(response)
            if (response.status_code == 403 and error.code != errors.SECRET_EXPIRED
                    and not refreshed and token is None):
                # Perhaps the cached access token expired early: refresh once, then trust the 403.
                refreshed = True
                self.access_token(refresh=True)
                response, error = self._send(method, self.base + path, params=params, json=json,
                                             headers={"x-amz-access-token": self.access_token()})
                if response is not None and not response.ok:
                    error = self._api_error(response)
            return response, error

        return self._with_retries(operation, attempt)

    @staticmethod
    def _api_error(response: requests.Response) -> SpApiError:
        status = response.status_code
        request_id = response.headers.get("x-amzn-RequestId", "")
        try:
            first = (response.json().get("errors") or [{}])[0]
        except (ValueError, AttributeError):
            first = {}
        code = str(first.get("code") or f"http_{status}")
        message = str(first.get("message") or response.reason or "")
        details = str(first.get("details") or "")
        if errors.secret_expired(status, code, message, details):
            code = errors.SECRET_EXPIRED
        return SpApiError(status, code, message, request_id, errors.classify(status, code), details)

    # -- operations --------------------------------------------------------------------------

    def marketplace_participations(self) -> list[dict[str, Any]]:
        body = self.call("getMarketplaceParticipations", "GET", "/sellers/v1/marketplaceParticipations")
        return list(body.get("payload") or [])

    def list_reports(self, report_types: list[str], created_since: datetime | None = None,
                     statuses: tuple[str, ...] = ("DONE",), page_size: int = 100
                     ) -> Iterator[dict[str, Any]]:
        """Every report of these types Amazon still has (at most 90 days), following nextToken."""
        earliest = datetime.now(UTC) - timedelta(days=RETENTION_DAYS)
        since = max(created_since or earliest, earliest)
        params: dict[str, Any] = {
            "reportTypes": ",".join(report_types), "processingStatuses": ",".join(statuses),
            "pageSize": page_size, "createdSince": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        while True:
            body = self.call("getReports", "GET", f"{REPORTS}/reports", params=params)
            yield from body.get("reports") or []
            next_token = body.get("nextToken")
            if not next_token:
                return
            params = {"nextToken": next_token}  # alone: Amazon refuses it with anything else

    def get_report(self, report_id: str) -> dict[str, Any]:
        return self.call("getReport", "GET", f"{REPORTS}/reports/{report_id}")

    def create_report(self, report_type: str, marketplace_ids: list[str],
                      start: datetime | None = None, end: datetime | None = None) -> str:
        body: dict[str, Any] = {"reportType": report_type, "marketplaceIds": marketplace_ids}
        if start:
            body["dataStartTime"] = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        if end:
            body["dataEndTime"] = end.strftime("%Y-%m-%dT%H:%M:%SZ")
        return self.call("createReport", "POST", f"{REPORTS}/reports", json=body)["reportId"]

    def wait_for_report(self, report_id: str) -> dict[str, Any]:
        """Poll getReport until DONE, CANCELLED (no data) or FATAL."""
        deadline = self.clock() + self.poll_timeout
        while True:
            report = self.get_report(report_id)
            if report.get("processingStatus") in ("DONE", "CANCELLED", "FATAL"):
                return report
            if self.clock() >= deadline or not self.may_sleep:
                raise SpApiError(None, "report_not_ready", f"Amazon is still preparing report {report_id}.",
                                 error_class=errors.RETRYABLE)
            self.sleep(self.poll_interval)

    def restricted_data_token(self, path: str) -> str:
        body = self.call("createRestrictedDataToken", "POST", "/tokens/2021-03-01/restrictedDataToken",
                         json={"restrictedResources": [{"method": "GET", "path": path}]})
        return body["restrictedDataToken"]

    def document(self, report_id: str, document_id: str, restricted: bool = False) -> Document:
        """Fetch the document's 5-minute URL and download it at once (again if it expired)."""
        path = f"{REPORTS}/documents/{document_id}"
        for fresh_try in range(2):
            token = self.restricted_data_token(path) if restricted else None
            info = self.call("getReportDocument", "GET", path, token=token)
            try:
                return self._download(report_id, document_id, info)
            except SpApiError as error:
                if error.status == 403 and fresh_try == 0:
                    continue  # the URL expired between the two calls: ask for a fresh one
                raise
        raise AssertionError("unreachable")

    def _download(self, report_id: str, document_id: str, info: dict[str, Any]) -> Document:
        for number in range(self.max_retries + 1):
            try:
                data, content_type = self._fetch(info["url"])
                break
            except SpApiError as error:
                if not error.retryable or number == self.max_retries:
                    raise
                self.sleep(self._backoff(number, None))
        # Unpack when the bytes are still gzip: not when S3 sent Content-Encoding: gzip
        # and requests already unpacked them, whatever compressionAlgorithm says.
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data)
        text, charset = decode_document(data, content_type)
        return Document(report_id, document_id, data, text, charset)

    def _fetch(self, url: str) -> tuple[bytes, str]:
        # A presigned S3 URL: no access token, and a longer read timeout for big files.
        response, error = self._send("GET", url, stream=True,
                                     timeout=(self.timeout[0], max(self.timeout[1], 120)))
        if response is None:
            raise error  # type: ignore[misc]
        if not response.ok:
            status = response.status_code
            raise SpApiError(status, f"http_{status}", "The report download failed.",
                             error_class=errors.classify(status, ""))
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(1 << 20):
                size += len(chunk)
                if size > MAX_DOCUMENT_BYTES:
                    raise SpApiError(None, "document_too_large", "The report document is larger than 512 MB.")
                chunks.append(chunk)
        except requests.RequestException:
            raise SpApiError(None, "connection", "The download broke off.",
                             error_class=errors.RETRYABLE) from None
        return b"".join(chunks), response.headers.get("Content-Type", "")
