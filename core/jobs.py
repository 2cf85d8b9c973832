"""Recording background work so the user can see what ran and how it ended."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.models import Job, utcnow


def start(kind: str, subject: str = "") -> Job:
    return Job.create(kind=kind, subject=subject)


def finish(job: Job, outcome: str, message_code: str = "", **params: Any) -> Job:
    job.finished = utcnow()
    job.outcome = outcome
    job.message_code = message_code
    job.params = json.dumps(params, default=str)
    job.save()
    return job


@contextmanager
def recorded(kind: str, subject: str = "") -> Iterator[Job]:
    """Record a job; an exception escaping the block marks it failed and propagates."""
    job = start(kind, subject)
    try:
        yield job
    except Exception as exc:
        finish(job, "failed", "unexpected_error", error=type(exc).__name__)
        raise
    if job.outcome == "running":
        finish(job, "ok", job.message_code or "done")


def recent(limit: int = 50) -> list[Job]:
    return list(Job.select().order_by(Job.started.desc(), Job.id.desc()).limit(limit))


def mark_interrupted() -> int:
    """Jobs still 'running' when the worker starts were cut off by a crash or a kill."""
    return (Job.update(outcome="failed", message_code="interrupted", finished=utcnow())
            .where(Job.outcome == "running").execute())
