"""Uploaded files wait in the `upload` table until a background task imports them.

The file's bytes live in the database until the import that consumes them commits, and
that commit also marks the upload done, so a crash at any moment loses nothing and
imports nothing twice: an interrupted upload is simply imported again.
"""

from __future__ import annotations

import json
import logging
import unicodedata
from collections.abc import Callable

from peewee import DatabaseError

from core import jobs
from core.db import db, is_disk_full
from core.i18n import N_
from core.imports import ImportResult, error_params, import_recorded
from core.models import Job, Upload, UploadFailure, utcnow

log = logging.getLogger(__name__)

DISK_FULL = N_("%(filename)s could not be imported: the disk is full, so nothing was stored. "
               "Free some space, then choose “Try again”; settlebook also tries again at its next start.")

FILENAME_LIMIT = 200


def safe_filename(name: str) -> str:
    """A file name fit to store, show and send back in a download header.

    Folder parts (either slash) are dropped, and so are control and format characters (CR/LF
    would break the download header, bidi overrides disguise names) and undecodable bytes
    that arrived as surrogates. Leading dots go, so nothing is hidden; empty becomes "upload".
    """
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = name.strip().lstrip(". ").strip()
    return name[:FILENAME_LIMIT] or "upload"


def queue(filename: str, data: bytes) -> Upload:
    return Upload.create(filename=safe_filename(filename), size=len(data),
                         lines_expected=data.count(b"\n"), data=data)


def pending() -> list[int]:
    """Uploads whose import has not committed (queued, interrupted, or failed for lack of space)."""
    return [u.id for u in Upload.select(Upload.id).where(Upload.status != "done").order_by(Upload.id)]


def process(upload_id: int, progress: Callable[[int], None] | None = None) -> ImportResult | None:
    upload = Upload.get_or_none(Upload.id == upload_id)
    if upload is None or upload.status == "done" or upload.data is None:
        return None  # deleted meanwhile, or already imported by an earlier run
    job = None
    try:
        job = jobs.start("import", upload.filename)
        return _process(upload, job, progress)
    except Exception as exc:
        if not is_disk_full(exc):
            raise
        _no_space(upload, job)
        return None


def retry(upload_id: int) -> bool:
    """Queue an upload that failed for lack of space again (the user's "Try again")."""
    return bool(UploadFailure.delete().where(UploadFailure.upload == upload_id).execute())


def _no_space(upload: Upload, job: Job | None) -> None:
    """Say so beside the upload, which keeps its bytes to be tried again (the job log has it too).

    The import's rollback freed what it had written, so this small row usually fits;
    if even it does not, the upload stays pending and the next start tries again.
    """
    try:
        with db.atomic():
            (UploadFailure.insert(upload=upload.id, error_template=DISK_FULL,
                                  error_params=json.dumps({"filename": upload.filename}), at=utcnow())
             .on_conflict_replace().execute())
            jobs.finish(job or jobs.start("import", upload.filename), "failed", "disk_full")
    except DatabaseError:
        log.exception("the disk is full; upload %s stays pending", upload.id)


def _process(upload: Upload, job: Job,
             progress: Callable[[int], None] | None) -> ImportResult | None:
    upload_id = upload.id
    Upload.update(status="running").where(Upload.id == upload_id).execute()

    def mark_done(result: ImportResult) -> None:
        error = result.error
        (Upload.update(status="done", outcome=result.outcome, report=result.report_id,
                       error_template=error.template if error else "",
                       error_params=json.dumps(error_params(error)) if error else "{}",
                       data=None)
         .where(Upload.id == upload_id).execute())
        UploadFailure.delete().where(UploadFailure.upload == upload_id).execute()

    return import_recorded(bytes(upload.data), upload.filename, "upload", progress, mark_done, job)
