"""Connections and Marketplaces through the Flask client, against the fake Amazon over HTTP."""

from __future__ import annotations

import re

import pytest

from core import amazon
from core.models import AmazonConnection, Batch, Marketplace, Report
from tests.fake_spapi import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN
from tests.helpers import csrf_token


@pytest.fixture(autouse=True)
def point_at_fake(app, fake):
    import tasks.sync

    tasks.sync.configure(app.config["DATA_DIR"], amazon.Endpoints(
        fake.url, fake.url + "/auth/o2/token", poll_interval=0.01))


def htmx_token(page: str) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)


def connect(client, secret=CLIENT_SECRET, **extra):
    token = csrf_token(client.get("/connections/").get_data(as_text=True))
    return client.post("/connections/", data={"csrf_token": token, "region": "eu", "client_id": CLIENT_ID,
                                              "client_secret": secret, "refresh_token": REFRESH_TOKEN, **extra})


def toggle(client, key, on=True, token=None):
    page = client.get("/marketplaces/").get_data(as_text=True)
    headers = {"HX-Request": "true", "X-CSRFToken": token if token is not None else htmx_token(page)}
    return client.post(f"/marketplaces/{key}/enabled", data={"enabled": "1" if on else "0"}, headers=headers)


def test_connections_page_offers_self_authorization(logged_in):
    page = logged_in.get("/connections/").get_data(as_text=True)
    assert "Connect your Amazon seller account" in page and 'name="refresh_token"' in page
    assert "Develop Apps" in page and "90 days" in page


def test_wrong_secret_is_refused_in_plain_words_and_nothing_is_stored(logged_in, fake):
    response = connect(logged_in, secret="wrong")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "did not accept the client ID or the client secret" in page
    assert "Client authentication failed" in page and "request ID" in page
    assert AmazonConnection.select().count() == 0 and "wrong" not in page


def test_wrong_secret_in_german(client, actions, fake):
    actions.setup(language="de")
    page = connect(client, secret="wrong").get_data(as_text=True)
    assert "Amazon hat die Client-ID oder das Client-Secret nicht angenommen" in page


def test_connect_then_choose_marketplaces_then_import_90_days(logged_in, fake):
    response = connect(logged_in)
    assert response.status_code == 303 and response.location.endswith("/connections/welcome")
    welcome = logged_in.get("/connections/welcome").get_data(as_text=True)
    assert "Amazon.de" in welcome and "Amazon.fr" in welcome and 'aria-checked="false"' in welcome
    assert CLIENT_SECRET not in welcome and REFRESH_TOKEN not in welcome

    row = toggle(logged_in, "amazon.de").get_data(as_text=True)
    assert 'aria-checked="true"' in row and row.lstrip().startswith("<tr")
    assert "default, please confirm" in row and "Revenue 8400 (19 % German VAT)" in row  # home profile
    toggle(logged_in, "amazon.fr")
    assert {m.key for m in Marketplace.select().where(Marketplace.enabled == True)} == {"amazon.de", "amazon.fr"}  # noqa: E712

    token = csrf_token(welcome)
    started = logged_in.post("/connections/sync", data={"csrf_token": token, "trigger": "first"})
    assert started.status_code == 303  # the task ran at once (immediate mode in tests)
    summary = logged_in.get(started.location).get_data(as_text=True)
    assert "4 new payout reports" in summary and "already there" in summary
    assert "booking batches built" in summary
    assert Report.select().count() >= 5 and Batch.select().count() == Report.select().count()
    log = logged_in.get("/jobs/").get_data(as_text=True)
    assert "From Amazon: new payouts: 4, new VAT reports: " in log  # one per month in 90 days
    assert "Payout 11111111111: new" in log and "Payout 11111111111: already there" in log
    second = logged_in.post("/connections/sync", data={"csrf_token": token})
    assert "0 new payout reports" in logged_in.get(second.location).get_data(as_text=True)


def test_toggle_needs_the_csrf_token(logged_in, fake):
    connect(logged_in)
    assert toggle(logged_in, "amazon.de", token="forged").status_code == 400
    assert not Marketplace.get_by_id("amazon.de").enabled


def test_test_connection_lists_marketplaces_or_the_error(logged_in, fake):
    connect(logged_in)
    page = logged_in.get("/connections/").get_data(as_text=True)
    headers = {"HX-Request": "true", "X-CSRFToken": htmx_token(page)}
    fragment = logged_in.post("/connections/test", headers=headers).get_data(as_text=True)
    assert "The connection works" in fragment and "Amazon.it" in fragment
    fake.fail("getMarketplaceParticipations", "500")
    fragment = logged_in.post("/connections/test", headers=headers).get_data(as_text=True)
    assert "not available just now" in fragment and "InternalFailure" in fragment


def test_expired_secret_shows_on_the_overview_and_the_daily_import_pauses(logged_in, fake):
    connect(logged_in)
    toggle(logged_in, "amazon.de")
    fake.secret_expired = True
    token = csrf_token(logged_in.get("/connections/").get_data(as_text=True))
    logged_in.post("/connections/sync", data={"csrf_token": token})
    overview = logged_in.get("/overview").get_data(as_text=True)
    assert "The connection to Amazon is failing" in overview and "paused" in overview
    page = logged_in.get("/connections/").get_data(as_text=True)
    assert "credentials needed" in page and "Enter new credentials" in page

    fake.secret_expired = False  # the user created a new secret and enters it
    connect(logged_in)
    assert amazon.current().status == "ok"


def test_secret_rotation_warning_from_day_150(logged_in, fake):
    from datetime import timedelta

    from core.models import utcnow

    connect(logged_in)
    AmazonConnection.update(secret_set_at=utcnow() - timedelta(days=160)).execute()
    assert "expires in 20 days" in logged_in.get("/connections/").get_data(as_text=True)
    assert "expires in 20 days" in logged_in.get("/overview").get_data(as_text=True)


def test_disconnect_needs_confirmation(logged_in, fake):
    connect(logged_in)
    token = csrf_token(logged_in.get("/connections/").get_data(as_text=True))
    assert logged_in.post("/connections/disconnect", data={"csrf_token": token}).status_code == 400
    assert AmazonConnection.select().count() == 1
    logged_in.post("/connections/disconnect", data={"csrf_token": token, "confirm": "yes"})
    assert AmazonConnection.select().count() == 0
    assert Marketplace.select().count() == 4  # what was learnt stays (not "Non-Amazon DE")


def test_marketplaces_page_explains_the_90_days_and_offers_retroactive_import(logged_in, fake):
    connect(logged_in)
    toggle(logged_in, "amazon.fr")
    page = logged_in.get("/marketplaces/").get_data(as_text=True)
    assert "Older reports must be uploaded by hand" in page and "Retroactive import" in page
    token = csrf_token(page)
    started = logged_in.post("/marketplaces/amazon.fr/retroactive", data={"csrf_token": token})
    summary = logged_in.get(started.location).get_data(as_text=True)
    assert "1 new payout report" in summary  # only the French settlement: DE is off
    assert "skipped: marketplace not enabled" in summary


def consent_link(response) -> str:
    """The "Open Seller Central" link (a link: the CSP keeps form posts on this site)."""
    import html

    assert response.status_code == 200
    return html.unescape(re.search(r'href="(https://[^"]+)"', response.get_data(as_text=True)).group(1))


def test_website_authorization_with_state_check_and_code_exchange(logged_in, fake):
    from urllib.parse import parse_qs, urlsplit

    page = logged_in.get("/connections/").get_data(as_text=True)
    assert "http://localhost/connections/authorized" in page  # the redirect URI to register
    token = csrf_token(page)
    response = logged_in.post("/connections/authorize", data={
        "csrf_token": token, "host": "sellercentral-europe.amazon.com", "application_id": "amzn1.sp.solution.abc",
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "draft": "1"})
    consent = urlsplit(consent_link(response))
    query = parse_qs(consent.query)
    assert consent.netloc == "sellercentral-europe.amazon.com" and consent.path == "/apps/authorize/consent"
    assert query["version"] == ["beta"] and query["application_id"] == ["amzn1.sp.solution.abc"]
    state = query["state"][0]

    forged = logged_in.get("/connections/authorized?state=forged&spapi_oauth_code=c1&selling_partner_id=A1")
    assert forged.status_code == 400 and "does not belong" in forged.get_data(as_text=True)
    assert AmazonConnection.select().count() == 0

    response = logged_in.post("/connections/authorize", data={
        "csrf_token": token, "host": "sellercentral-europe.amazon.com", "application_id": "amzn1.sp.solution.abc",
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    state = parse_qs(urlsplit(consent_link(response)).query)["state"][0]
    assert "version" not in parse_qs(urlsplit(consent_link(response)).query)  # a published app
    fake.codes.add("ANaRxLcode")
    back = logged_in.get(f"/connections/authorized?state={state}&spapi_oauth_code=ANaRxLcode"
                         f"&selling_partner_id=A3SELLER")
    assert back.status_code == 303 and back.location.endswith("/connections/welcome")
    assert back.headers["Referrer-Policy"] == "same-origin"  # the code is not sent to other sites
    connection = amazon.current()
    assert (connection.method, connection.selling_partner_id) == ("website", "A3SELLER")
    assert fake.redirect_uris == ["http://localhost/connections/authorized"]
    replay = logged_in.get(f"/connections/authorized?state={state}&spapi_oauth_code=ANaRxLcode")
    assert replay.status_code == 400  # a state is used once


def test_website_authorization_with_an_expired_code(logged_in, fake):
    from urllib.parse import parse_qs, urlsplit

    token = csrf_token(logged_in.get("/connections/").get_data(as_text=True))
    response = logged_in.post("/connections/authorize", data={
        "csrf_token": token, "host": "sellercentral.amazon.de", "application_id": "amzn1.sp.solution.abc",
        "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "draft": "1"})
    state = parse_qs(urlsplit(consent_link(response)).query)["state"][0]
    back = logged_in.get(f"/connections/authorized?state={state}&spapi_oauth_code=too-old")
    assert back.status_code == 422 and "invalid_grant" in back.get_data(as_text=True)
    assert AmazonConnection.select().count() == 0


def test_secret_expiry_date_from_developer_central(logged_in, fake):
    from datetime import timedelta

    from core.models import utcnow

    soon = (utcnow() + timedelta(days=10)).date().isoformat()
    assert connect(logged_in, secret_expires="31.05.2027").status_code == 422
    connect(logged_in, secret_expires=soon)
    assert "expires in 10 days" in logged_in.get("/connections/").get_data(as_text=True)
