"""Hostile uploads through the Flask client: odd file names, too many files, compressed tricks."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import pytest

from core.models import Report, ReportFile, Upload
from core.reports import decode
from core.reports.errors import ReportError
from core.uploads import safe_filename
from tests.helpers import csrf_token

FIXTURE = (Path(__file__).parent.parent / "fixtures" / "reports" / "settlement_v2_de.txt").read_bytes()


def post_raw(client, disposition: bytes, body: bytes = FIXTURE, htmx: bool = True):
    """A multipart upload written by hand, as curl or a script might send it."""
    token = csrf_token(client.get("/reports/upload").get_data(as_text=True))
    data = (b'--XX\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + token.encode()
            + b'\r\n--XX\r\nContent-Disposition: form-data; name="files"; ' + disposition
            + b'\r\nContent-Type: text/plain\r\n\r\n' + body + b"\r\n--XX--\r\n")
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/reports/upload", data=data, headers=headers,
                       content_type="multipart/form-data; boundary=XX")


@pytest.mark.parametrize("raw, clean", [
    ("settlement\r\nX-Evil: 1.txt", "settlementX-Evil: 1.txt"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\anna\\Downloads\\report.txt", "report.txt"),
    ("\u202eexe.txt", "exe.txt"),  # a bidi override that would disguise the name
    ("bad\udcffbyte.txt", "badbyte.txt"),  # an undecodable byte carried as a surrogate
    ("  ..hidden.txt ", "hidden.txt"),
    ("..", "upload"),
    ("", "upload"),
    ("Abrechnung Ü" + "x" * 300, ("Abrechnung Ü" + "x" * 300)[:200]),
])
def test_safe_filename(raw, clean):
    assert safe_filename(raw) == clean


def test_file_name_with_line_break_is_cleaned_and_the_original_downloads(logged_in):
    response = post_raw(logged_in, b"filename*=UTF-8''settlement%0D%0AX-Evil%3A%201.txt")
    assert response.status_code == 200
    assert Upload.get().filename == "settlementX-Evil: 1.txt"
    report = Report.get()
    assert "\r" not in report.filename and "\n" not in report.filename
    download = logged_in.get(f"/reports/{report.id}/file")
    assert download.status_code == 200 and download.data == FIXTURE
    assert "\n" not in download.headers["Content-Disposition"]


def test_name_stored_before_the_cleaning_still_downloads(logged_in):
    post_raw(logged_in, b'filename="settlement.txt"')
    ReportFile.update(filename="old\r\nname.txt").execute()
    download = logged_in.get(f"/reports/{Report.get().id}/file")
    assert download.status_code == 200
    assert "oldname.txt" in download.headers["Content-Disposition"]


def test_file_name_that_is_not_utf8_keeps_the_file(logged_in):
    response = post_raw(logged_in, b'filename="Abrechnung M\xe4rz.txt"')  # latin-1 / cp1252
    assert response.status_code == 200
    assert "Abrechnung März.txt" in response.get_data(as_text=True)
    assert Upload.get().filename == "Abrechnung März.txt"
    assert Report.select().count() == 1


def test_file_name_with_bytes_no_encoding_has_is_still_kept(logged_in):
    post_raw(logged_in, b'filename="r\x81\x8dport.txt"')  # undefined in cp1252
    assert Upload.get().filename == "r\ufffd\ufffdport.txt"
    assert Report.select().count() == 1


def _many(count: int):
    return [(io.BytesIO(b"x\n"), f"f{n}.txt") for n in range(count)]


# Werkzeug leaves the spooled files of a form it stopped parsing to the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_thousand_files_get_their_own_message(app, logged_in):
    token = csrf_token(logged_in.get("/reports/upload").get_data(as_text=True))
    response = logged_in.post("/reports/upload", data={"csrf_token": token, "files": _many(1000)},
                              content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "too many files for one upload: choose at most 200 at a time" in page
    assert "too large" not in page
    assert Upload.select().count() == 0
    # For htmx the same message comes as an item of the upload list.
    response = logged_in.post("/reports/upload", data={"csrf_token": token, "files": _many(1000)},
                              content_type="multipart/form-data", headers={"HX-Request": "true"})
    assert response.status_code == 413
    assert response.get_data(as_text=True).startswith('<li class="upload upload-refused" role="alert">')


def test_one_file_over_the_limit_is_refused_with_the_same_message(app, logged_in):
    token = csrf_token(logged_in.get("/reports/upload").get_data(as_text=True))
    response = logged_in.post("/reports/upload", data={"csrf_token": token, "files": _many(201)},
                              content_type="multipart/form-data", headers={"HX-Request": "true"})
    assert "choose at most 200 at a time" in response.get_data(as_text=True)
    assert Upload.select().count() == 0


def test_gzip_within_the_limit_unpacks_and_over_it_is_refused():
    packed = gzip.compress(FIXTURE)
    assert decode.open_text(packed, "a.gz").data == FIXTURE
    old = decode._unpacked_limit
    try:
        decode.set_unpacked_limit(len(FIXTURE))
        assert decode.open_text(packed, "a.gz").data == FIXTURE  # exactly the limit is fine
        decode.set_unpacked_limit(len(FIXTURE) - 1)
        with pytest.raises(ReportError) as refused:
            decode.open_text(packed, "a.gz")
        assert refused.value.code == "too_large"
    finally:
        decode.set_unpacked_limit(old)


@pytest.mark.parametrize("data, message", [
    (gzip.compress(gzip.compress(FIXTURE)), "it is a gzip file"),
    (gzip.compress(FIXTURE)[:-20], "damaged compressed file"),
    (zlib.compress(FIXTURE), "binary data"),
])
def test_compressed_tricks_are_refused(data, message):
    with pytest.raises(ReportError) as refused:
        decode.open_text(data, "x.gz")
    assert message in refused.value.message()
