"""Amazon's errors and a sync run's outcomes in the reader's language.

Amazon answers in English codes; the user reads what it means and what to do, followed
by Amazon's own words and request id (for Amazon's support).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from flask_babel import format_date, gettext

from core.i18n import N_
from core.spapi import errors as api_errors

ERRORS = {
    "invalid_client": N_("Amazon did not accept the client ID or the client secret. If the secret is older than 180 days it has expired: create a new one in Seller Central (Develop Apps) and enter it here."),
    api_errors.SECRET_EXPIRED: N_("The client secret has expired (Amazon requires a new one every 180 days). Create a new one in Seller Central (Develop Apps) and enter it here."),
    "invalid_grant": N_("Amazon did not accept the refresh token. Authorize the app again in Seller Central and enter the new refresh token."),
    "timeout": N_("Amazon did not answer in time. Try again in a few minutes."),
    "connection": N_("Amazon could not be reached. Check the internet connection of this device and try again."),
    "QuotaExceeded": N_("Amazon is limiting requests just now. Try again in a minute."),
    "key_lost": N_("The stored credentials cannot be read: the data folder's encryption_key is not the one they were saved with (restored without it?). Enter the credentials again."),
    "unexpected_error": N_("An unexpected error stopped the import (%(message)s). It was logged."),
}
CLASSES = {
    api_errors.RETRYABLE: N_("Amazon is not available just now. settlebook tries again later."),
    api_errors.AUTHORISATION: N_("Amazon did not accept the credentials. Enter them again."),
    api_errors.PERMISSION: N_("Amazon refused access: the app lacks a role for this (in Seller Central: Develop Apps › Edit app › Roles)."),
    api_errors.INPUT: N_("Amazon refused the request."),
}
STATUSES = {
    "ok": N_("connected"),
    "failing": N_("failing"),
    "reenter_credentials": N_("credentials needed"),
}
RUN_STATUSES = {
    "running": N_("running"), "ok": N_("done"), "partial": N_("done with failures"),
    "failed": N_("failed"), "interrupted": N_("interrupted"),
}
TRIGGERS = {
    "scheduled": N_("daily"), "manual": N_("started by hand"), "retroactive": N_("retroactive"),
    "first": N_("first import"), "cli": N_("command line"),
}
DOCUMENT_OUTCOMES = {
    "imported": N_("new"),
    "new_version": N_("new version"),
    "already_imported": N_("already there"),
    "skipped": N_("skipped: marketplace not enabled"),
    "failed": N_("failed"),
    "no_data": N_("no data for this month"),
    "fatal": N_("Amazon could not create it"),
}
REGIONS = {"eu": N_("Europe (incl. UK)"), "na": N_("North America"), "fe": N_("Far East (Japan, Australia, Singapore)")}


def error_text(code: str, message: str = "", error_class: str = "", status: Any = None) -> str:
    """What went wrong, in the reader's language (Amazon's own words are shown beside it)."""
    if code in ERRORS:
        return gettext(ERRORS[code], message=message)
    if not error_class:
        error_class = api_errors.classify(status if isinstance(status, int) else 400, code)
    return gettext(CLASSES.get(error_class, CLASSES[api_errors.INPUT]))


def connection_error(connection: Any) -> str:
    return error_text(connection.error_code, connection.error_message,
                      api_errors.AUTHORISATION if connection.status == "reenter_credentials"
                      else (api_errors.RETRYABLE if connection.error_code in ("timeout", "connection")
                            else ""))


def month_label(month: str) -> str:
    """"2026-05" → "Mai 2026" / "May 2026"."""
    try:
        return format_date(date(int(month[:4]), int(month[5:7]), 1), "MMMM yyyy")
    except ValueError:
        return month


def sync_job_message(job: Any, counts: str) -> str:
    """The run's counts, then each report and what became of it (with the reason when it failed)."""
    from webapp.messages import KINDS, label, stored_message

    parts = []
    for d in job.params_dict.get("documents", []):
        key = d.get("key") or d.get("amazon_report_id")
        if d["kind"] == "vat_transactions":
            key = month_label(key)
        text = f"{label(KINDS, d['kind'])} {key}: " \
               f"{label(DOCUMENT_OUTCOMES, d['outcome'])}"
        if d.get("error"):
            text += f" ({stored_message(d['error'])})"
        elif d["outcome"] in ("failed", "fatal", "skipped") and d.get("message"):
            text += f" ({d['message']})"
        parts.append(text)
    return counts + ("\n" + "; ".join(parts) if parts else "")


def init_app(app: Flask) -> None:
    app.add_template_filter(month_label)
    app.add_template_global(error_text, "amazon_error")
    app.add_template_global(connection_error, "amazon_connection_error")
    app.add_template_global(dict(STATUSES=STATUSES, RUN_STATUSES=RUN_STATUSES, TRIGGERS=TRIGGERS,
                                 DOCUMENT_OUTCOMES=DOCUMENT_OUTCOMES, REGIONS=REGIONS), "amazon_labels")
