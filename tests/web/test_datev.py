"""DATEV settings, accounts, mappings and batches through the Flask client."""

from __future__ import annotations

import io
import re
import zipfile

from core.models import Batch, Job, Report
from tests.helpers import page_token, report_bytes, upload


def token(client, path="/settings/"):
    return page_token(client, path)


def test_import_builds_the_batch_and_the_report_offers_it(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt")
    report = Report.get()
    assert report.batch_status == "created"
    page = logged_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "EXTF_Buchungsstapel_payout_123_202603.csv" in page
    assert "Regenerate with current settings" in page
    file_id = re.search(r"/batches/files/(\d+)", page).group(1)
    response = logged_in.get(f"/batches/files/{file_id}")
    assert response.status_code == 200 and response.data.startswith(b'"EXTF";700;21;"Buchungsstapel";13;')
    assert Job.select().where(Job.kind == "export", Job.outcome == "ok").count() == 1


def test_settings_form_validates_every_field_and_saves(logged_in):
    page = logged_in.get("/settings/").get_data(as_text=True)
    assert 'value="1001"' in page and "Beraternummer" in page
    bad = logged_in.post("/settings/", data={"csrf_token": token(logged_in), "beraternummer": "12",
                                              "mandantennummer": "0", "account_length": "4",
                                              "diktatkuerzel": "abc", "chart": "skr03"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Beraternummer must be a number between 1001 and 9999999." in html
    assert "Mandantennummer must be a number between 1 and 99999." in html
    assert "two capital letters" in html
    good = logged_in.post("/settings/", data={"csrf_token": token(logged_in), "beraternummer": "4711",
                                               "mandantennummer": "12", "fiscal_year_start_month": "1",
                                               "account_length": "4", "chart": "skr04", "diktatkuerzel": "AB",
                                               "label_pattern": "Amazon {marketplace} {period}",
                                               "granularity": "order", "revenue_source": "settlement",
                                               "split_months": "true", "timezone": "Europe/Berlin",
                                               "fee_vat_regime_switch": "2024-08-01", "fee_tax_key_before": "94",
                                               "fee_tax_key_after": "9", "exchange_rates": "GBP=1.17"})
    assert good.status_code == 303
    page = logged_in.get("/settings/").get_data(as_text=True)
    assert 'value="4711"' in page and "GBP=1.17" in page


def test_changing_an_account_outdates_and_regenerate_shows_the_change(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt")
    report = Report.get()
    response = logged_in.post("/settings/accounts/advertising",
                              data={"csrf_token": token(logged_in, "/settings/accounts"), "marketplace": "",
                                    "account": "4610", "tax_key": "regime", "text": "Amazon Werbekosten"},
                              headers={"HX-Request": "true"})
    assert response.status_code == 200 and "saved" in response.get_data(as_text=True)
    assert Report.get_by_id(report.id).batch_status == "outdated"
    outdated = logged_in.get("/reports/?status=outdated", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f'href="/reports/{report.id}"' in outdated
    regenerated = logged_in.post(f"/batches/report/{report.id}/build", data={"csrf_token": token(logged_in)},
                                 headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "0 bookings added, 0 removed, 1 changed, 8 unchanged." in regenerated
    assert "4600" in regenerated and "4610" in regenerated
    assert Batch.select().count() == 2
    assert Report.get_by_id(report.id).batch_status == "created"


def test_account_errors_are_shown_next_to_the_rule(logged_in):
    response = logged_in.post("/settings/accounts/product_sales",
                              data={"csrf_token": token(logged_in, "/settings/accounts"), "marketplace": "",
                                    "account": "8400", "tax_key": "3", "text": "{marketplace} Umsatz"},
                              headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "automatic account" in html and "Product sales" in html


def test_marketplace_gets_its_own_rule_and_can_go_back_to_defaults(logged_in):
    upload(logged_in, "settlement_v2_de.txt")
    t = token(logged_in, "/settings/accounts")
    logged_in.post("/settings/accounts/selling_fee", data={"csrf_token": t, "marketplace": "Amazon.de",
                                                           "account": "4762", "tax_key": "regime",
                                                           "text": "{marketplace} Gebühren"})
    page = logged_in.get("/settings/accounts?marketplace=Amazon.de").get_data(as_text=True)
    assert 'value="4762"' in page and page.count('class="badge">own<') == 1
    default = logged_in.get("/settings/accounts").get_data(as_text=True)
    assert 'value="4760"' in default and 'value="4762"' not in default
    logged_in.post("/settings/accounts/reset", data={"csrf_token": t, "marketplace": "Amazon.de"})
    again = logged_in.get("/settings/accounts?marketplace=Amazon.de").get_data(as_text=True)
    assert 'value="4760"' in again and 'value="4762"' not in again and 'class="badge">own<' not in again


def test_zip_download_of_a_month(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt", "settlement_v2_uk.txt")
    response = logged_in.get("/batches/zip?month=2026-03")
    assert response.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert len(names) >= 2 and all(n.startswith("EXTF_") and n.endswith(".csv") for n in names)
    empty = logged_in.get("/batches/zip?month=2019-01")
    assert empty.status_code == 303


def test_a_file_breaking_a_rule_is_shown_not_offered(logged_in):
    from core.models import BatchFileRow

    upload(logged_in, "settlement_v2_de_worked_example.txt")
    stored = BatchFileRow.get()
    BatchFileRow.update(violations='[{"row": 3, "field": "Konto", "rule_code": "account_length", '
                                   '"template": "Booking %(row)s: %(field)s %(value)s must have %(length)s '
                                   'digits (personal accounts one more).", "params": {"value": "12", "length": "4"}}]'
                        ).execute()
    response = logged_in.get(f"/batches/files/{stored.id}")
    assert response.status_code == 409
    assert "Booking 3: Konto 12 must have 4 digits" in response.get_data(as_text=True)


def test_batches_page_lists_and_regenerates_outdated(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt")
    page = logged_in.get("/batches/").get_data(as_text=True)
    assert "EXTF_Buchungsstapel_payout_123_202603.csv" in page and 'class="badge badge-ok">valid<' in page
    logged_in.post("/settings/", data={"csrf_token": token(logged_in), "beraternummer": "2002"})
    page = logged_in.get("/batches/").get_data(as_text=True)
    assert "Regenerate all outdated batches" in page
    logged_in.post("/batches/regenerate-outdated", data={"csrf_token": token(logged_in, "/batches/")})
    assert Report.get().batch_status == "created" and Batch.select().count() == 2


def test_regenerate_from_the_batch_list_swaps_its_row(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt")
    report = Report.get()

    def regenerate():
        return logged_in.post(f"/batches/report/{report.id}/build",
                              data={"csrf_token": token(logged_in, "/batches/"), "view": "row"},
                              headers={"HX-Request": "true"}).get_data(as_text=True)

    # Nothing changed since version 1: it says so and makes no new version.
    html = regenerate()
    assert html.lstrip().startswith("<tr") and "Unchanged; no new version." in html
    assert Batch.select().count() == 1
    logged_in.post("/settings/", data={"csrf_token": token(logged_in), "beraternummer": "2002"})
    html = regenerate()
    assert html.lstrip().startswith("<tr") and "Version 2" in html
    assert "Nothing changed." in html  # other header, same bookings
    assert Batch.select().count() == 2


def test_unchecking_split_months_is_stored(logged_in):
    from core import booking_settings

    assert booking_settings.load_settings().split_months is True
    response = logged_in.post("/settings/", data={"csrf_token": token(logged_in), "split_months_sent": "1"})
    assert response.status_code == 303
    assert booking_settings.load_settings().split_months is False
    form = logged_in.get("/settings/").get_data(as_text=True)
    assert 'name="split_months" value="true" >' in form and 'value="true" checked' not in form


def test_a_batch_across_a_month_end_has_several_files_and_one_zip(logged_in):
    data = report_bytes("settlement_v2_de_worked_example.txt")
    # Move the refund lines into the next month: the batch splits at the month end.
    moved = data.replace(b"05.03.2026\t05.03.2026 14:40", b"02.04.2026\t02.04.2026 14:40")
    assert moved != data
    token_ = page_token(logged_in, "/reports/upload")
    logged_in.post("/reports/upload", data={"csrf_token": token_, "files": [(io.BytesIO(moved), "split.txt")]},
                   content_type="multipart/form-data")
    batch = Batch.get()
    assert len(list(batch.files)) == 2
    page = logged_in.get(f"/reports/{batch.report_id}").get_data(as_text=True)
    assert "All 2 files of this batch as ZIP" in page
    response = logged_in.get(f"/batches/{batch.id}/zip")
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert sorted(n[-10:] for n in names) == ["202603.csv", "202604.csv"]


def _broken_march_settlement() -> bytes:
    """Another March settlement whose lines do not add up (a cut-off download, never complete)."""
    worked = report_bytes("settlement_v2_de_worked_example.txt")
    lines = worked.replace(b"\n123\t", b"\n777\t").splitlines(keepends=True)
    return b"".join(lines[:6])


def test_month_zip_with_a_blocked_report_names_it_or_lists_it_in_fehlt_txt(logged_in):
    upload(logged_in, "settlement_v2_de_worked_example.txt", (io.BytesIO(_broken_march_settlement()), "777.txt"))
    broken = Report.get(Report.key == "777")
    assert broken.batch_status == "blocked"  # built, 0 bookings, not "created"
    listed = logged_in.get("/reports/?kind=settlement").get_data(as_text=True)
    assert "blocked" in listed

    response = logged_in.get("/batches/zip?month=2026-03")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Payout 777" in page and "does not add up" in page and "Payout 123" not in page
    assert "missing=list" in page

    response = logged_in.get("/batches/zip?month=2026-03&missing=list")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert "FEHLT.txt" in names and "EXTF_Buchungsstapel_payout_123_202603.csv" in names
    missing = archive.read("FEHLT.txt").decode("utf-8")
    assert "Payout 777" in missing and "NOT in this ZIP" in missing

    # In German, amounts in German format, and the advice is one that can be followed.
    logged_in.post("/language", data={"lang": "de", "csrf_token": token(logged_in, "/overview")})
    page = logged_in.get("/batches/zip?month=2026-03").get_data(as_text=True)
    difference = f"{abs(broken.lines_sum):.2f}".replace(".", ",")
    assert "Abrechnung 777" in page or "Auszahlung 777" in page
    assert difference in page
    detail = logged_in.get(f"/reports/{broken.id}").get_data(as_text=True)
    assert "gesperrt" in detail and "erneut herunter" in detail
    assert f"{broken.lines_sum:.2f}" not in detail  # never the English number format


def test_mapping_goes_back_only_to_a_local_page(logged_in):
    form = {"csrf_token": token(logged_in, "/settings/mappings"), "transaction_type": "Mystery",
            "amount_type": "MysteryType", "amount_description": "Mystery thing", "category": "reserve_held"}
    away = logged_in.post("/settings/mappings", data={**form, "next": "//evil.example/x"})
    assert away.status_code == 303 and away.headers["Location"].endswith("/settings/mappings")
    back = logged_in.post("/settings/mappings", data={**form, "next": "/reports/?kind=settlement"})
    assert back.headers["Location"].endswith("/reports/?kind=settlement")


def test_unknown_lines_page_lists_the_combination_and_maps_it(logged_in):
    data = report_bytes("settlement_v2_de_worked_example.txt").replace(
        b"other-transaction\t\t\t\t\t\tother-transaction\tCurrent Reserve Amount",
        b"Mystery\t\t\t\t\t\tMysteryType\tMystery thing")
    upload(logged_in, (io.BytesIO(data), "mystery.txt"))
    page = logged_in.get("/settings/mappings")
    assert page.status_code == 200 and "Mystery thing" in page.get_data(as_text=True)
    logged_in.post("/settings/mappings", data={
        "csrf_token": token(logged_in, "/settings/mappings"), "transaction_type": "Mystery",
        "amount_type": "MysteryType", "amount_description": "Mystery thing", "category": "reserve_held"})
    assert "Mystery thing" not in logged_in.get("/settings/mappings").get_data(as_text=True)
    assert Report.get().unmapped_count == 0
