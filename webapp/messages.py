"""Words for the codes that core and tasks store (job kinds, outcomes, message codes).

Core and tasks keep codes and parameters; the wording is chosen here, at render time, in
the reader's language. Templates are marked with N_ and translated when shown.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import gettext

from core.i18n import N_
from core.models import Job

JOB_KINDS = {
    "import": N_("Import"),
    "export": N_("Export"),
    "delete_report": N_("Delete report"),
    "regenerate": N_("Regenerate batch"),
    "backup": N_("Backup"),
}
OUTCOMES = {"running": N_("running"), "ok": N_("done"), "failed": N_("failed")}
JOB_MESSAGES = {
    "done": N_("Done."),
    "unexpected_error": N_("An unexpected error stopped this job (%(error)s). It was logged."),
}


def translate(template: str, params: dict[str, Any] | None = None) -> str:
    """gettext with named parameters; a parameter missing from an old job never breaks a page."""
    try:
        return gettext(template, **(params or {}))
    except (KeyError, ValueError, TypeError):
        return gettext(template)


def job_kind(job: Job) -> str:
    return gettext(JOB_KINDS[job.kind]) if job.kind in JOB_KINDS else job.kind


def job_outcome(job: Job) -> str:
    return gettext(OUTCOMES[job.outcome]) if job.outcome in OUTCOMES else job.outcome


def job_message(job: Job) -> str:
    template = JOB_MESSAGES.get(job.message_code)
    return job.message_code if template is None else translate(template, job.params_dict)


def init_app(app: Flask) -> None:
    app.add_template_filter(job_kind)
    app.add_template_filter(job_outcome)
    app.add_template_filter(job_message)
