"""The Amazon connection: credentials stored encrypted, verified with one API call, and the
connection's health (failing, secret expired, Tax Remittance role missing).

Plain values in, plain values out: the key and the endpoints come from the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from core import encryption, marketplaces
from core.db import db
from core.models import AmazonConnection, utcnow
from core.spapi import Credentials, SpApiClient, SpApiError
from core.spapi import errors as api_errors
from core.spapi.regions import REGIONS

SECRET_LIFETIME_DAYS = 180  # Amazon makes every app rotate its LWA client secret
SECRET_WARNING_DAYS = 150
KEY_LOST = "key_lost"


@dataclass(frozen=True)
class Endpoints:
    """Where Amazon is (None: the real hosts); tests point both at the fake server."""

    spapi: str | None = None
    lwa: str | None = None
    poll_interval: float = 30.0


class ConnectionProblem(Exception):
    """Bad input before Amazon is asked (unknown region, empty field)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def current() -> AmazonConnection | None:
    return AmazonConnection.select().order_by(AmazonConnection.id).first()


def make_client(credentials: Credentials, endpoints: Endpoints, may_sleep: bool = True) -> SpApiClient:
    return SpApiClient(credentials, endpoints.spapi, endpoints.lwa, may_sleep=may_sleep,
                       poll_interval=endpoints.poll_interval)


def credentials(connection: AmazonConnection, key: bytes) -> Credentials:
    """The stored credentials; a key file that is not theirs (restored without it) means
    they must be entered again, like credentials Amazon refuses."""
    try:
        return Credentials(connection.region, connection.client_id,
                           encryption.decrypt(key, connection.client_secret_enc),
                           encryption.decrypt(key, connection.refresh_token_enc))
    except encryption.SecretUnreadable:
        raise SpApiError(None, KEY_LOST, "The stored credentials cannot be decrypted with this "
                         "data folder's encryption_key.", error_class=api_errors.AUTHORISATION) from None


def check_input(region: str, client_id: str, client_secret: str, refresh_token: str) -> Credentials:
    if region not in REGIONS:
        raise ConnectionProblem("region")
    values = [v.strip() for v in (client_id, client_secret, refresh_token)]
    if not all(values):
        raise ConnectionProblem("missing")
    return Credentials(region, *values)


def verify(creds: Credentials, endpoints: Endpoints, may_sleep: bool = False) -> list[dict[str, Any]]:
    """One call (Sellers API): the seller's marketplaces, or the SpApiError Amazon gave."""
    return make_client(creds, endpoints, may_sleep).marketplace_participations()


def connect(key: bytes, creds: Credentials, participations: list[dict[str, Any]], *,
            method: str = "self", selling_partner_id: str = "", enable_participating: bool = False,
            secret_expires: date | None = None, now: datetime | None = None) -> AmazonConnection:
    """Store verified credentials (replacing an earlier connection) and the marketplaces.

    `secret_expires` is the date Developer Central shows for the client secret; without it
    the secret counts as new (or keeps its age when the same secret is entered again)."""
    now = now or utcnow()
    with db.atomic():
        existing = current()
        same_secret = existing is not None and existing.client_id == creds.client_id and \
            _secret_matches(existing, key, creds.client_secret)
        AmazonConnection.delete().execute()
        connection = AmazonConnection.create(
            region=creds.region, client_id=creds.client_id,
            client_secret_enc=encryption.encrypt(key, creds.client_secret),
            refresh_token_enc=encryption.encrypt(key, creds.refresh_token),
            selling_partner_id=selling_partner_id, method=method,
            store_name=next((p.get("storeName", "") for p in participations), ""),
            # Re-entering the same secret keeps its age: the 180 days run from its creation.
            secret_set_at=_secret_created(secret_expires, existing.secret_set_at if same_secret else now),
            created=now, last_success=now,
        )
        marketplaces.record_participations(participations, enable_participating, now)
    return connection


def _secret_created(expires: date | None, otherwise: datetime) -> datetime:
    if expires is None:
        return otherwise
    return datetime.combine(expires - timedelta(days=SECRET_LIFETIME_DAYS), datetime.min.time())


def parse_expiry(text: str) -> date | None:
    """An optional "YYYY-MM-DD" (the form's date field); ConnectionProblem when it is not a date."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ConnectionProblem("expiry") from None


def _secret_matches(connection: AmazonConnection, key: bytes, secret: str) -> bool:
    try:
        return encryption.decrypt(key, connection.client_secret_enc) == secret
    except encryption.SecretUnreadable:
        return False


def disconnect() -> bool:
    """Forget the credentials; reports, marketplaces and runs stay."""
    with db.atomic():
        return AmazonConnection.delete().execute() > 0


def record_failure(connection: AmazonConnection, error: SpApiError) -> None:
    # Only these columns: the run may have changed others (vat_role) on its own row object.
    (AmazonConnection.update(
        failures=AmazonConnection.failures + 1,
        status="reenter_credentials" if error.needs_credentials else "failing",
        error_code=error.code,
        error_message=error.message + (f" ({error.details})" if error.details else ""),
        error_request_id=error.request_id,
    ).where(AmazonConnection.id == connection.id).execute())


def record_success(connection: AmazonConnection, now: datetime | None = None) -> None:
    (AmazonConnection.update(failures=0, status="ok", error_code="", error_message="",
                             error_request_id="", last_success=now or utcnow())
     .where(AmazonConnection.id == connection.id).execute())


def set_vat_role(value: str) -> None:
    AmazonConnection.update(vat_role=value).execute()


def secret_age_days(connection: AmazonConnection, now: datetime | None = None) -> int:
    return ((now or utcnow()) - connection.secret_set_at).days


def secret_days_left(connection: AmazonConnection, now: datetime | None = None) -> int | None:
    """Days until the client secret must be rotated, from day 150 on; None before that."""
    age = secret_age_days(connection, now)
    return SECRET_LIFETIME_DAYS - age if age >= SECRET_WARNING_DAYS else None


def secret_expires_on(connection: AmazonConnection) -> datetime:
    return connection.secret_set_at + timedelta(days=SECRET_LIFETIME_DAYS)


# -- website authorization workflow (Seller Central consent page) -----------------------------

AUTHORIZATION_KEY = "amazon_authorization"
AUTHORIZATION_LIFETIME = timedelta(minutes=15)  # the consent page, then 5 minutes for the code


def consent_url(host: str, application_id: str, state: str, redirect_uri: str, draft: bool) -> str:
    from urllib.parse import urlencode

    params = {"application_id": application_id, "state": state, "redirect_uri": redirect_uri}
    if draft:
        params["version"] = "beta"  # required while the app is a draft (else error MD1000)
    return f"https://{host}/apps/authorize/consent?{urlencode(params)}"


def start_authorization(key: bytes, host: str, application_id: str, client_id: str,
                        client_secret: str, now: datetime | None = None) -> str:
    """Remember what the callback needs (the secret encrypted) under a fresh `state`."""
    import secrets

    from core.models import Setting
    from core.spapi.regions import SELLER_CENTRAL

    if host not in SELLER_CENTRAL:
        raise ConnectionProblem("region")
    if not all(v.strip() for v in (application_id, client_id, client_secret)):
        raise ConnectionProblem("missing")
    state = secrets.token_urlsafe(32)
    Setting.set_value(AUTHORIZATION_KEY, {
        "state": state, "region": SELLER_CENTRAL[host], "client_id": client_id.strip(),
        "client_secret": encryption.encrypt(key, client_secret.strip()),
        "created": (now or utcnow()).isoformat(),
    })
    return state


def finish_authorization(key: bytes, state: str, code: str, selling_partner_id: str,
                         redirect_uri: str, endpoints: Endpoints,
                         now: datetime | None = None) -> AmazonConnection:
    """Check `state`, trade the code for a refresh token, verify and store the connection."""
    import hmac

    from core.models import Setting

    pending = Setting.get_value(AUTHORIZATION_KEY) or {}
    now = now or utcnow()
    if not pending or not state or not hmac.compare_digest(pending["state"], state):
        raise ConnectionProblem("state")
    Setting.delete().where(Setting.key == AUTHORIZATION_KEY).execute()  # a state is used once
    if now - datetime.fromisoformat(pending["created"]) > AUTHORIZATION_LIFETIME:
        raise ConnectionProblem("expired")
    if not code:
        raise ConnectionProblem("missing")
    secret = encryption.decrypt(key, pending["client_secret"])
    exchange = make_client(Credentials(pending["region"], pending["client_id"], secret, ""), endpoints,
                           may_sleep=False)
    refresh_token = exchange.exchange_code(code, redirect_uri)
    creds = Credentials(pending["region"], pending["client_id"], secret, refresh_token)
    participations = verify(creds, endpoints)
    return connect(key, creds, participations, method="website",
                   selling_partner_id=selling_partner_id, now=now)
