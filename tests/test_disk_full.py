"""Real faults: the database or the file system fills up during an import.

Nothing is half-stored, the upload keeps its file and says why (translated), the job log
records it, and "Try again" imports it once there is space, without a restart.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from core import uploads
from core.db import db
from core.models import Job, LineRow, Report, Upload, UploadFailure
from tests.helpers import csrf_token
from tests.synthetic import german_v2_settlement

BIG = german_v2_settlement(20_000, seed=11)


def _status(client, upload_id: int) -> str:
    return client.get(f"/reports/uploads/{upload_id}", headers={"HX-Request": "true"}).get_data(as_text=True)


def _retry(client, upload_id: int) -> str:
    token = csrf_token(client.get("/reports/upload").get_data(as_text=True))
    return client.post(f"/reports/uploads/{upload_id}/retry", data={"csrf_token": token},
                       headers={"HX-Request": "true"}).get_data(as_text=True)


def test_database_full_during_import_fails_cleanly_and_try_again_imports(logged_in):
    from tasks import uploads as import_tasks

    upload = uploads.queue("big.txt", BIG)
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages + 20}")  # the database cannot grow any more
    try:
        import_tasks.enqueue(upload.id)
    finally:
        db.execute_sql("PRAGMA max_page_count = 1073741823")
    stored = Upload.get_by_id(upload.id)
    assert stored.status != "done" and stored.data is not None  # the file is kept
    assert UploadFailure.get_by_id(upload.id).error_params == '{"filename": "big.txt"}'
    assert (Report.select().count(), LineRow.select().count()) == (0, 0)
    job = Job.get(Job.kind == "import")
    assert (job.outcome, job.message_code) == ("failed", "disk_full")

    html = _status(logged_in, upload.id)
    assert "the disk is full" in html and "Try again" in html and "hx-trigger" not in html
    token = csrf_token(logged_in.get("/overview").get_data(as_text=True))
    logged_in.post("/language", data={"lang": "de", "csrf_token": token})
    german = _status(logged_in, upload.id)
    assert "Festplatte" in german and "Erneut versuchen" in german
    assert "Festplatte ist voll" in logged_in.get("/jobs/").get_data(as_text=True)

    html = _retry(logged_in, upload.id)  # space is back: imported, no restart needed
    assert Upload.get_by_id(upload.id).status == "done"
    assert Report.select().count() == 1 and Report.get().line_count > 19_000
    assert "Bericht öffnen" in html or "Open the report" in html


def _mount_tmpfs(path, size: str) -> bool:
    path.mkdir()
    if shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True)
    return done.returncode == 0


@pytest.mark.slow
def test_full_file_system_during_import_then_space_freed(tmp_path):
    """A real small tmpfs (needs root): the data folder's file system runs out of space."""
    from webapp import create_app

    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "48m"):
        pytest.skip("cannot mount a tmpfs here (not root?)")
    try:
        data = disk / "data"
        app = create_app({"DATA_DIR": data, "TASKS_IMMEDIATE": True, "TESTING": True, "SECRET_KEY": "t"})
        with db.connection_context():
            from tasks import uploads as import_tasks

            upload = uploads.queue("big.txt", BIG)
            free = shutil.disk_usage(disk).free
            filler = disk / "filler"
            filler.write_bytes(b"\0" * max(0, free - 512 * 1024))  # leave half a megabyte
            import_tasks.enqueue(upload.id)
            assert UploadFailure.get_or_none(UploadFailure.upload == upload.id) is not None
            assert Report.select().count() == 0
            filler.unlink()
            client = app.test_client()
            from tests.conftest import Actions

            Actions(client).setup()
            _retry(client, upload.id)
            assert Upload.get_by_id(upload.id).status == "done"
            assert Report.select().count() == 1
            assert Job.get(Job.outcome == "failed").message_code == "disk_full"
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)
