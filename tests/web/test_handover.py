"""Downloads are recorded; a newer version of a handed-over batch warns; placeholders need a yes."""

from __future__ import annotations

import io
import re
import zipfile

from core.models import Batch, BatchDownload, BatchHandover, Report
from tests.helpers import confirm_numbers, csrf_token, upload

WORKED = "settlement_v2_de_worked_example.txt"


def save_numbers(client, beraternummer="4711", mandantennummer="12"):
    token = csrf_token(client.get("/settings/").get_data(as_text=True))
    response = client.post("/settings/", data={"csrf_token": token, "beraternummer": beraternummer,
                                               "mandantennummer": mandantennummer})
    assert response.status_code == 303


def rebuild(client, report_id):
    token = csrf_token(client.get(f"/reports/{report_id}").get_data(as_text=True))
    assert client.post(f"/batches/report/{report_id}/build", data={"csrf_token": token}).status_code == 303
    return Batch.get(Batch.report == report_id, Batch.status == "current")


def test_placeholder_numbers_need_an_explicit_yes(logged_in):
    upload(logged_in, WORKED)
    file = Batch.get().files.get()
    response = logged_in.get(f"/batches/files/{file.id}")
    assert response.status_code == 409
    assert "Use these numbers (1001 / 1)" in response.get_data(as_text=True)
    assert BatchDownload.select().count() == 0
    assert confirm_numbers(logged_in).headers["Location"] == "/batches/"
    response = logged_in.get(f"/batches/files/{file.id}")
    assert response.status_code == 200 and response.data.startswith(b'"EXTF"')


def test_real_numbers_need_no_confirmation_and_downloads_are_recorded(logged_in):
    upload(logged_in, WORKED)
    save_numbers(logged_in)
    batch = rebuild(logged_in, Report.get().id)
    file = batch.files.get()
    assert logged_in.get(f"/batches/files/{file.id}").status_code == 200
    assert logged_in.get("/batches/zip?month=2026-03").status_code == 200
    rows = list(BatchDownload.select().order_by(BatchDownload.id))
    assert [(r.batch_id, r.version, r.filename) for r in rows] == [
        (batch.id, batch.version, file.filename),
        (batch.id, batch.version, "EXTF_Buchungsstapel_20260301-20260331.zip")]
    page = logged_in.get("/batches/").get_data(as_text=True)
    assert "downloaded 2 times" in page and "not handed over" in page
    detail = logged_in.get(f"/batches/{batch.id}").get_data(as_text=True)
    assert "Downloaded 2 times" in detail and "EXTF_Buchungsstapel_20260301-20260331.zip (Version 2)" in detail


def test_newer_version_of_a_handed_over_batch_warns_before_download(logged_in):
    upload(logged_in, WORKED)
    save_numbers(logged_in)
    report = Report.get()
    first = rebuild(logged_in, report.id)
    token = csrf_token(logged_in.get("/batches/").get_data(as_text=True))
    assert logged_in.post(f"/batches/{first.id}/handed-over", data={"csrf_token": token}).status_code == 303
    assert BatchHandover.select().count() == 1
    assert "handed over on" in logged_in.get("/batches/").get_data(as_text=True)
    save_numbers(logged_in, "4712")
    second = rebuild(logged_in, report.id)
    assert second.version == first.version + 1
    file = second.files.get()
    warning = logged_in.get(f"/batches/files/{file.id}")
    html = warning.get_data(as_text=True)
    assert warning.status_code == 409
    assert f"version {first.version} was handed over" in html
    assert BatchDownload.select().where(BatchDownload.batch == second.id).count() == 0
    confirm = re.search(r'href="([^"]*reversal=1[^"]*)"', html).group(1)
    assert logged_in.get(confirm.replace("&amp;", "&")).status_code == 200
    assert BatchDownload.select().where(BatchDownload.batch == second.id).count() == 1
    # The month ZIP warns too, and "only not handed over" leaves out what went already.
    assert logged_in.get("/batches/zip?month=2026-03").status_code == 409
    listing = logged_in.get("/batches/").get_data(as_text=True)
    assert "reverse it first" in listing


def test_month_zip_can_leave_out_what_was_handed_over(logged_in):
    upload(logged_in, WORKED, "settlement_v2_de.txt")  # March 2026 and February 2026
    confirm_numbers(logged_in)
    march = Batch.get(Batch.report == Report.get(Report.key == "123").id)
    token = csrf_token(logged_in.get("/batches/").get_data(as_text=True))
    logged_in.post(f"/batches/{march.id}/handed-over", data={"csrf_token": token})
    full = logged_in.get("/batches/zip?month=2026-03")
    assert zipfile.ZipFile(io.BytesIO(full.data)).namelist() == [march.files.get().filename]
    assert logged_in.get("/batches/zip?month=2026-03&pending=1").status_code == 303
    assert "already handed over" in logged_in.get("/batches/").get_data(as_text=True)
    february = logged_in.get("/batches/zip?month=2026-02&pending=1")
    assert february.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(february.data)).namelist()[0].endswith("202602.csv")


def test_mark_a_month_and_undo(logged_in):
    upload(logged_in, WORKED)
    batch = Batch.get()
    token = csrf_token(logged_in.get("/batches/").get_data(as_text=True))
    logged_in.post("/batches/handed-over/month", data={"csrf_token": token, "month": "2026-03"})
    assert BatchHandover.get().batch_id == batch.id
    logged_in.post(f"/batches/{batch.id}/handed-over/undo", data={"csrf_token": token})
    assert BatchHandover.select().count() == 0
