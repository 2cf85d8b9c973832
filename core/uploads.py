"""Uploaded files wait in the `upload` table until a background task imports them.

The file's bytes live in the database until the import that consumes them commits, and
that commit also marks the upload done, so a crash at any moment loses nothing and
imports nothing twice: an interrupted upload is simply imported again.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from core import jobs
from core.db import db
from core.imports import ImportResult, import_bytes
from core.models import Upload


def queue(filename: str, data: bytes) -> Upload:
    return Upload.create(filename=filename, size=len(data), lines_expected=data.count(b"\n"), data=data)


def pending() -> list[int]:
    """Uploads whose import has not committed (queued, or interrupted while running)."""
    return [u.id for u in Upload.select(Upload.id).where(Upload.status != "done").order_by(Upload.id)]


def process(upload_id: int, progress: Callable[[int], None] | None = None) -> ImportResult | None:
    upload = Upload.get_or_none(Upload.id == upload_id)
    if upload is None or upload.status == "done" or upload.data is None:
        return None  # deleted meanwhile, or already imported by an earlier run
    Upload.update(status="running").where(Upload.id == upload_id).execute()

    def mark_done(result: ImportResult) -> None:
        error = result.error
        (Upload.update(status="done", outcome=result.outcome, report=result.report_id,
                       error_template=error.template if error else "",
                       error_params=json.dumps(error_params(error)) if error else "{}",
                       data=None)
         .where(Upload.id == upload_id).execute())

    return import_recorded(bytes(upload.data), upload.filename, "upload", progress, mark_done)


def error_params(error) -> dict:
    return {"line": error.line, "filename": error.filename, **{k: str(v) for k, v in error.params.items()}}


def import_recorded(data: bytes, filename: str, source: str,
                    progress: Callable[[int], None] | None = None,
                    on_commit: Callable[[ImportResult], None] | None = None) -> ImportResult:
    """Import one file and record it in the job log, in the import's own transaction."""
    job = jobs.start("import", filename)

    def finish(result: ImportResult) -> None:
        if on_commit:
            on_commit(result)
        if result.error is not None:
            jobs.finish(job, "failed", "report_error", template=result.error.template,
                        **error_params(result.error))
        else:
            jobs.finish(job, "ok", f"report_{result.outcome}", report_id=result.report_id,
                        **_candidate_params(result))

    try:
        return import_bytes(data, filename, source, progress, finish)
    except Exception as exc:
        with db.atomic():
            jobs.finish(job, "failed", "unexpected_error", error=type(exc).__name__)
        raise


def _candidate_params(result: ImportResult) -> dict:
    """What a candidate's job message names: how far its lines are from its total."""
    if result.outcome != "candidate" or result.difference is None:
        return {}
    from core.models import Report

    return {"difference": str(result.difference), "currency": Report.get_by_id(result.report_id).currency}
