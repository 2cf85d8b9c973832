"""The one error type of the SP-API client, classed by what the caller should do next."""

from __future__ import annotations

from dataclasses import dataclass

RETRYABLE = "retryable"  # 429, 5xx, timeouts, broken connections: try again later
AUTHORISATION = "authorisation"  # LWA refused the credentials: the user must re-enter them
PERMISSION = "permission"  # the app lacks a role (e.g. Tax Remittance) for this operation
INPUT = "input"  # Amazon refused the request itself (400, 404, …)

SECRET_EXPIRED = "secret_expired"  # a code of our own: the LWA client secret is past its 180 days


@dataclass
class SpApiError(Exception):
    status: int | None  # HTTP status; None when no answer arrived
    code: str  # Amazon's error code (QuotaExceeded, invalid_client, …) or our own
    message: str  # Amazon's words, never containing a secret
    request_id: str = ""  # x-amzn-RequestId: Amazon's support asks for it
    error_class: str = INPUT
    details: str = ""

    def __str__(self) -> str:
        text = f"{self.status or '-'} {self.code}: {self.message}"
        if self.details:
            text += f" ({self.details})"
        if self.request_id:
            text += f" [request {self.request_id}]"
        return text

    @property
    def retryable(self) -> bool:
        return self.error_class == RETRYABLE

    @property
    def needs_credentials(self) -> bool:
        return self.error_class == AUTHORISATION


def classify(status: int | None, code: str, details: str = "") -> str:
    if status is None or status == 429 or status >= 500:
        return RETRYABLE
    if code in ("invalid_client", "invalid_grant", "unauthorized_client", SECRET_EXPIRED):
        return AUTHORISATION
    if status in (401, 403):
        return PERMISSION
    return INPUT


def secret_expired(status: int | None, code: str, message: str, details: str) -> bool:
    """Amazon's 403 "The LWA secret token you provided has expired." (or invalid_client)."""
    text = f"{message} {details}".lower()
    return code == "invalid_client" or (status == 403 and "secret" in text and "expired" in text)
