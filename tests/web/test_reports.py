"""The reports area through the Flask client: upload, list with tabs and filters, detail, download, delete."""

from __future__ import annotations

import io
import re
import zipfile

from core.models import Job, Report
from tests.helpers import REPORTS as FIXTURES
from tests.helpers import csrf_token, page_token, upload


def test_empty_state_points_to_the_upload(logged_in):
    page = logged_in.get("/reports/").get_data(as_text=True)
    assert "No reports of this kind yet" in page and "/reports/upload" in page
    assert "older than 90 days" in page


def test_upload_page_explains_the_90_days(logged_in):
    page = logged_in.get("/reports/upload").get_data(as_text=True)
    assert "90 days" in page and 'multiple' in page


def test_upload_several_files_shows_each_result(logged_in):
    response = upload(logged_in, "settlement_v2_de.txt", "settlement_v2_de_worked_example.txt",
                      (io.BytesIO(b"just some text\n"), "notes.txt"))
    html = response.get_data(as_text=True)
    assert "<html" not in html  # a fragment for htmx
    assert html.count('class="upload ') == 3
    assert html.count("Imported.") == 2
    assert "notes.txt is not an Amazon report" in html
    assert Report.select().count() == 2
    again = upload(logged_in, "settlement_v2_de.txt").get_data(as_text=True)
    assert "Already imported" in again


def test_upload_errors_are_translated(logged_in):
    logged_in.post("/language", data={"lang": "de", "csrf_token": page_token(logged_in)})
    html = upload(logged_in, (io.BytesIO(b""), "leer.txt")).get_data(as_text=True)
    assert "leer.txt" in html and "nicht importiert" in html


def test_upload_without_files_says_so(logged_in):
    token = page_token(logged_in, "/reports/upload")
    html = logged_in.post("/reports/upload", data={"csrf_token": token}).get_data(as_text=True)
    assert "Choose one or more report files first." in html


def test_too_large_upload_gets_a_clear_message(app, logged_in):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = upload(logged_in, (io.BytesIO(b"x" * 5000), "big.txt"), htmx=False)
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert Report.select().count() == 0


def test_upload_status_polls_until_done(logged_in):
    upload(logged_in, "settlement_v2_de.txt")
    html = logged_in.get("/reports/uploads/1", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "hx-trigger" not in html  # done: polling stops
    assert "/reports/1" in html


def test_list_tabs_filters_and_columns(logged_in):
    upload(logged_in, "settlement_v2_de.txt", "settlement_v2_uk.txt", "settlement_v2_de_worked_example.txt")
    page = logged_in.get("/reports/").get_data(as_text=True)
    links = {int(n) for n in re.findall(r'href="/reports/(\d+)"', page)}
    assert links == {r.id for r in Report.select()} and len(links) == 3
    assert "534.66 EUR" in page and "83.89 EUR" in page
    filtered = logged_in.get("/reports/?kind=settlement&marketplace=Amazon.co.uk",
                             headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in filtered and "GBP" in filtered and "EUR" not in filtered
    assert "No report matches" in logged_in.get("/reports/?kind=settlement&year=1999").get_data(as_text=True)
    assert "No reports of this kind yet" in logged_in.get("/reports/?kind=vat_transactions").get_data(as_text=True)


def test_list_paginates_newest_first(logged_in):
    data = (FIXTURES / "settlement_v2_de_worked_example.txt").read_bytes()
    files = [(io.BytesIO(data.replace(b"123\t", f"{900 + i}\t".encode())), f"s{i}.txt") for i in range(30)]
    upload(logged_in, *files)
    assert Report.select().count() == 30
    first = logged_in.get("/reports/").get_data(as_text=True)
    assert "Page 1 of 2" in first and "page=2" in first
    second = logged_in.get("/reports/?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second


def test_detail_shows_totals_check_lines_and_search(logged_in):
    upload(logged_in, "settlement_v2_de.txt")
    report = Report.get()
    page = logged_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Yes. The lines sum to 534.66 EUR, exactly the total of 534.66 EUR." in page
    assert "Product sales" in page and "Download original file" in page
    some_order = re.search(r"\d{3}-\d{7}-\d{7}", page).group(0)
    found = logged_in.get(f"/reports/{report.id}/lines?q={some_order}", headers={"HX-Request": "true"})
    html = found.get_data(as_text=True)
    assert "<html" not in html and some_order in html
    assert "No line matches" in logged_in.get(f"/reports/{report.id}/lines?q=nothing-like-this").get_data(as_text=True)


def test_download_returns_the_original_bytes(logged_in):
    upload(logged_in, "settlement_v2_de.txt")
    response = logged_in.get(f"/reports/{Report.get().id}/file")
    assert response.data == (FIXTURES / "settlement_v2_de.txt").read_bytes()
    assert "attachment" in response.headers["Content-Disposition"]


def test_delete_needs_a_post_and_is_recorded(logged_in):
    upload(logged_in, "settlement_v2_de.txt")
    report = Report.get()
    page = logged_in.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Yes, delete report" in page
    assert logged_in.get(f"/reports/{report.id}/delete").status_code == 405
    token = csrf_token(page)
    response = logged_in.post(f"/reports/{report.id}/delete", data={"csrf_token": token})
    assert response.status_code == 303
    assert Report.select().count() == 0
    job = Job.select().where(Job.kind == "delete_report").get()
    assert job.outcome == "ok" and "Deleted version 1" in logged_in.get("/jobs/").get_data(as_text=True)


def test_unknown_report_is_404(logged_in):
    assert logged_in.get("/reports/999").status_code == 404


def test_overview_lists_imports_and_attention(logged_in):
    data = (FIXTURES / "settlement_v2_de_worked_example.txt").read_bytes()
    upload(logged_in, "settlement_v2_de.txt")
    page = logged_in.get("/overview").get_data(as_text=True)
    assert "Last imports" in page and "Every report adds up" in page
    Report.update(reconciles=False, difference="1.00").execute()
    page = logged_in.get("/overview").get_data(as_text=True)
    assert "Needs your attention" in page and "off by 1.00 EUR" in page
    assert data


def test_upload_page_lists_recent_uploads_after_a_reload(logged_in):
    upload(logged_in, "settlement_v2_de.txt", (io.BytesIO(b""), "empty.txt"))
    page = logged_in.get("/reports/upload").get_data(as_text=True)
    assert page.index("empty.txt") < page.index("settlement_v2_de.txt")  # newest first
    assert "Imported." in page and "empty.txt is empty." in page


def test_cut_off_redownload_is_kept_aside_in_german_and_can_be_promoted(logged_in):
    complete = (FIXTURES / "settlement_v2_de_worked_example.txt").read_bytes()
    cut = b"".join(complete.splitlines(keepends=True)[:6])
    upload(logged_in, (io.BytesIO(complete), "komplett.txt"))
    token = csrf_token(logged_in.get("/overview").get_data(as_text=True))
    logged_in.post("/language", data={"lang": "de", "csrf_token": token})
    html = upload(logged_in, (io.BytesIO(cut), "abgeschnitten.txt")).get_data(as_text=True)
    candidate = Report.get(Report.status == "candidate")
    difference = f"{abs(candidate.difference):.2f}".replace(".", ",")
    assert "unvollständig" in html.lower() and difference in html
    current = Report.get(Report.status == "current")
    assert current.filename == "komplett.txt"
    # The complete version's batch is what the month's ZIP holds.
    month = logged_in.get("/batches/zip?month=2026-03")
    assert month.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(month.data)).namelist() == ["EXTF_Buchungsstapel_payout_123_202603.csv"]
    page = logged_in.get(f"/reports/{candidate.id}").get_data(as_text=True)
    assert difference in page and f"/reports/{candidate.id}/promote" in page
    token = csrf_token(page)
    logged_in.post(f"/reports/{candidate.id}/promote", data={"csrf_token": token})
    assert Report.get_by_id(candidate.id).status == "current"
    assert Report.get_by_id(current.id).status == "superseded"
    assert Job.select().where(Job.kind == "promote_report", Job.outcome == "ok").count() == 1
