"""The real SP-API client against the fake Amazon over HTTP, one fault at a time."""

from __future__ import annotations

import pytest

from core.spapi import Credentials, SpApiClient, SpApiError, errors
from core.spapi.client import decode_document
from tests.fake_spapi import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, SETTLEMENT_V2, VAT


@pytest.fixture
def sleeps():
    return []


def make_client(fake, sleeps, **options) -> SpApiClient:
    options.setdefault("timeout", (2, 1))
    options.setdefault("poll_interval", 0.01)
    return SpApiClient(Credentials("eu", CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN), fake.url,
                       fake.url + "/auth/o2/token", sleep=sleeps.append, **options)


@pytest.fixture
def client(fake, sleeps):
    return make_client(fake, sleeps)


def test_token_is_cached_until_a_minute_before_expiry(fake, client):
    client.marketplace_participations()
    client.marketplace_participations()
    assert len(fake.calls("lwa")) == 1
    client._token_until = client.clock() - 1  # an hour later
    client.marketplace_participations()
    assert len(fake.calls("lwa")) == 2


def test_token_lifetime_under_a_minute_is_renewed_each_call(fake, client):
    fake.token_lifetime = 30  # expires_in 30 s: "a minute before" is already past
    client.marketplace_participations()
    client.marketplace_participations()
    assert len(fake.calls("lwa")) == 2


def test_lists_every_page_sending_next_token_alone_url_encoded(fake, client):
    for n in range(7):
        fake.add_settlement(f"4000000000{n}", 5, n + 10, days_ago=5 + n)
    reports = list(client.list_reports([SETTLEMENT_V2], page_size=3))
    assert len(reports) == 5 + 7  # the one 120 days old is not listed
    assert len({r["reportId"] for r in reports}) == len(reports)
    pages = fake.calls("getReports")
    assert len(pages) == 4
    assert pages[0]["query"]["pageSize"] == "3" and pages[0]["query"]["processingStatuses"] == "DONE"
    for page in pages[1:]:
        assert list(page["query"]) == ["nextToken"]
        assert "%2B%2F%3D%3D" in page["raw_query"]  # "+/==" arrived encoded


def test_next_token_with_other_parameters_is_refused(fake, client):
    with pytest.raises(SpApiError) as caught:
        client.call("getReports", "GET", "/reports/2021-06-30/reports",
                    params={"nextToken": "x", "pageSize": 10})
    assert caught.value.status == 400 and caught.value.error_class == errors.INPUT
    assert "NextToken cannot be specified" in caught.value.message
    assert caught.value.request_id


def test_created_since_is_clamped_to_amazons_90_days(fake, client):
    from datetime import UTC, datetime, timedelta

    reports = list(client.list_reports([SETTLEMENT_V2], datetime.now(UTC) - timedelta(days=365)))
    assert len(reports) == 5


def test_429_burst_without_headers_is_retried_with_capped_jittered_backoff(fake, client, sleeps):
    fake.fail("getMarketplaceParticipations", "429", "429", "429", "429")
    assert len(client.marketplace_participations()) == 5
    backoffs = sleeps[-4:]
    assert len(backoffs) == 4 and all(0 < s <= client.backoff_cap for s in backoffs)
    assert backoffs[3] > backoffs[0]  # exponential: 2 → 16 s steps, each at least half its step
    assert 1 <= backoffs[0] <= 2 and 8 <= backoffs[3] <= 16


def test_backoff_is_capped(fake, sleeps):
    client = make_client(fake, sleeps, max_retries=8, backoff_cap=5.0)
    fake.fail("getMarketplaceParticipations", *["500"] * 8)
    client.marketplace_participations()
    assert max(sleeps) <= 5.0 and len(sleeps) == 8


def test_retries_are_bounded_and_the_error_carries_amazons_words(fake, client, sleeps):
    fake.fail("getMarketplaceParticipations", *["500"] * 10)
    with pytest.raises(SpApiError) as caught:
        client.marketplace_participations()
    error = caught.value
    assert (error.status, error.code, error.error_class) == (500, "InternalFailure", errors.RETRYABLE)
    assert len(fake.calls("getMarketplaceParticipations")) == client.max_retries + 1
    assert len(error.request_id) == 36


def test_a_web_request_never_sleeps(fake, sleeps):
    client = make_client(fake, sleeps, may_sleep=False)
    fake.fail("getMarketplaceParticipations", "429")
    with pytest.raises(SpApiError) as caught:
        client.marketplace_participations()
    assert caught.value.retryable and sleeps == []


def test_timeout_is_retried(fake, client, sleeps):
    fake.fail("getReport", "timeout")
    report_id = next(iter(fake.reports))
    assert client.get_report(report_id)["reportId"] == report_id
    assert len(sleeps) == 1


def test_timeout_every_time_ends_as_a_retryable_error(fake, sleeps):
    client = make_client(fake, sleeps, max_retries=1)
    fake.fail("getReport", "timeout", "timeout")
    with pytest.raises(SpApiError) as caught:
        client.get_report(next(iter(fake.reports)))
    assert caught.value.code == "timeout" and caught.value.status is None and caught.value.retryable


def test_broken_connection_is_retried(fake, client):
    fake.fail("getReport", "reset")
    report_id = next(iter(fake.reports))
    assert client.get_report(report_id)["reportId"] == report_id


def test_access_token_expiring_mid_run_is_renewed_once(fake, client):
    reports = list(client.list_reports([SETTLEMENT_V2]))
    fake.fail("getReportDocument", "expire_token")
    document = client.document(reports[0]["reportId"], reports[0]["reportDocumentId"])
    assert document.text.startswith("settlement-id")
    assert len(fake.calls("lwa")) == 2


def test_expired_client_secret_is_an_authorisation_error(fake, client):
    client.marketplace_participations()
    fake.secret_expired = True
    with pytest.raises(SpApiError) as caught:
        client.marketplace_participations()
    assert caught.value.error_class == errors.AUTHORISATION
    assert caught.value.code in (errors.SECRET_EXPIRED, "invalid_client")


def test_wrong_secret_at_the_token_endpoint(fake, sleeps):
    client = SpApiClient(Credentials("eu", CLIENT_ID, "wrong", REFRESH_TOKEN), fake.url,
                         fake.url + "/auth/o2/token", sleep=sleeps.append)
    with pytest.raises(SpApiError) as caught:
        client.marketplace_participations()
    assert (caught.value.status, caught.value.code) == (401, "invalid_client")
    assert caught.value.needs_credentials and sleeps == []
    assert "wrong" not in str(caught.value) and "wrong" not in repr(client.credentials)


def test_revoked_refresh_token(fake, sleeps):
    client = SpApiClient(Credentials("eu", CLIENT_ID, CLIENT_SECRET, "Atzr|revoked"), fake.url,
                         fake.url + "/auth/o2/token", sleep=sleeps.append)
    with pytest.raises(SpApiError) as caught:
        client.marketplace_participations()
    assert caught.value.code == "invalid_grant" and caught.value.needs_credentials


def test_documents_gzip_and_cp1252_with_and_without_charset(fake, client):
    by_charset = {}
    for report in client.list_reports([SETTLEMENT_V2]):
        document = client.document(report["reportId"], report["reportDocumentId"])
        by_charset.setdefault(document.charset, []).append(document)
    assert set(by_charset) == {"utf-8 (header)", "utf-8", "cp1252"}
    assert "KAFFEEMÜHLE" in by_charset["cp1252"][0].text  # cp1252 bytes, no charset sent
    assert "KAFFEEMÜHLE" in by_charset["utf-8"][0].text  # gzip, no charset sent


def test_decoding_rules():
    assert decode_document("Mühle".encode("cp1252"), "text/plain; charset=windows-1252")[1] == \
        "windows-1252 (header)"
    assert decode_document("Mühle".encode(), "text/plain; charset=bogus")[1] == "utf-8"
    assert decode_document(b"\xef\xbb\xbfM\xc3\xbchle", "text/plain") == ("Mühle", "utf-8")
    assert decode_document("Mühle".encode("cp1252"), "") == ("Mühle", "cp1252")


def test_expired_download_url_is_fetched_again(fake, client):
    fake.expire_next_urls = 1
    report = next(iter(client.list_reports([SETTLEMENT_V2])))
    document = client.document(report["reportId"], report["reportDocumentId"])
    assert document.text.startswith("settlement-id")
    assert len(fake.calls("getReportDocument")) == 2


def test_the_same_settlement_is_listed_under_two_report_ids(fake, client):
    documents = {}
    for report in client.list_reports([SETTLEMENT_V2]):
        documents.setdefault(report["reportDocumentId"], []).append(report["reportId"])
    assert sorted(len(ids) for ids in documents.values()) == [1, 1, 1, 2]


def test_settlements_cannot_be_requested(fake, client):
    with pytest.raises(SpApiError) as caught:
        client.create_report(SETTLEMENT_V2, ["A1PA6795UKMFR9"])
    assert caught.value.error_class == errors.INPUT and "1118" in caught.value.message


def test_vat_report_is_polled_to_done_and_needs_a_restricted_data_token(fake, client):
    report_id = client.create_report(VAT, ["A1PA6795UKMFR9"])
    report = client.wait_for_report(report_id)
    assert report["processingStatus"] == "DONE"
    with pytest.raises(SpApiError) as caught:  # the normal token is refused for this document
        client.document(report_id, report["reportDocumentId"])
    assert caught.value.error_class == errors.PERMISSION
    document = client.document(report_id, report["reportDocumentId"], restricted=True)
    assert document.text.startswith("UNIQUE_ACCOUNT_IDENTIFIER")
    rdt_calls = fake.calls("createRestrictedDataToken")
    assert b"/reports/2021-06-30/documents/" + report["reportDocumentId"].encode() in rdt_calls[-1]["body"]


def test_rdt_for_a_document_that_needs_none_is_refused(fake, client):
    report = next(iter(client.list_reports([SETTLEMENT_V2])))
    with pytest.raises(SpApiError) as caught:
        client.document(report["reportId"], report["reportDocumentId"], restricted=True)
    assert "Invalid or unsupported document ID" in caught.value.message


def test_fatal_report_has_an_error_document(fake, client):
    fake.vat_outcome = "FATAL"
    report_id = client.create_report(VAT, ["A1PA6795UKMFR9"])
    report = client.wait_for_report(report_id)
    assert report["processingStatus"] == "FATAL"
    assert "not available yet" in client.document(report_id, report["reportDocumentId"]).text


def test_cancelled_means_no_data(fake, client):
    fake.vat_outcome = "CANCELLED"
    report = client.wait_for_report(client.create_report(VAT, ["A1PA6795UKMFR9"]))
    assert report["processingStatus"] == "CANCELLED" and "reportDocumentId" not in report


def test_missing_tax_remittance_role_is_a_permission_error(fake, client):
    fake.vat_role = False
    with pytest.raises(SpApiError) as caught:
        client.create_report(VAT, ["A1PA6795UKMFR9"])
    assert caught.value.status == 403 and caught.value.error_class == errors.PERMISSION


def test_rate_limit_header_lowers_the_bucket(fake, client):
    fake.rate_header = "0.005"
    client.get_report(next(iter(fake.reports)))
    assert client.limits.bucket("getReport").rate == 0.005


def test_bucket_waits_when_the_burst_is_used_up(fake, sleeps):
    client = make_client(fake, sleeps, clock=lambda: 1000.0)  # time stands still
    for _ in range(15):  # getReport: burst 15, then 2 per second
        client.get_report(next(iter(fake.reports)))
    assert sleeps == []
    client.get_report(next(iter(fake.reports)))
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 0.5
