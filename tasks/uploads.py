"""Importing uploaded files in the background, with progress the upload page can poll."""

from __future__ import annotations

from core import jobs, uploads
from core.imports import error_params
from tasks import mail
from tasks.batches import enqueue_build, resume_builds
from tasks.queue import huey, with_db


def progress_key(upload_id: int) -> str:
    return f"upload-progress:{upload_id}"


def enqueue(upload_id: int) -> None:
    _import_upload(upload_id)


def progress(upload_id: int) -> int | None:
    """Lines imported so far (kept in the queue's store, outside the import's transaction)."""
    return huey.get(progress_key(upload_id), peek=True)


@huey.task(retries=2, retry_delay=5)
@with_db
def _import_upload(upload_id: int) -> None:
    def report_progress(count: int) -> None:
        huey.put(progress_key(upload_id), count)

    result = uploads.process(upload_id, report_progress)
    huey.get(progress_key(upload_id))  # reading removes it
    if result is None:
        return
    if result.stored:
        # Recorded before the build, so a blocked batch is told in this report's notice.
        mail.run_finished([result.report_id], "upload")
        enqueue_build(result.report_id)  # imported means booked: the batch follows at once
    elif result.error is not None:
        mail.failure("import_failed", subject=result.filename, template=result.error.template,
                     **error_params(result.error))


@with_db
def resume_interrupted() -> int:
    """Called once when the worker starts: jobs cut off by a crash are marked so, and
    uploads whose import never committed (power loss, kill) and batch builds that never
    stored their batch are queued again."""
    jobs.mark_interrupted()
    pending = uploads.pending()
    for upload_id in pending:
        _import_upload(upload_id)
    return len(pending) + resume_builds()
