"""Sending the notification e-mails in the background, with retries.

Every recorded event schedules a flush DEBOUNCE seconds later. A flush sends only once the
newest pending event is that old, so uploads finishing within a few minutes of each other
(or a sync storing ten settlements) give one e-mail; the flush scheduled by the last event
sends it. A failing mail server is recorded in the job log and on the settings page and the
flush is retried; the import or sync that recorded the event has long succeeded.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from huey import crontab

from core import encryption, jobs, notify
from core.mail import message, smtp
from core.mail import settings as mail_settings
from core.mail.smtp import MailError
from core.models import Setting, utcnow
from tasks.queue import huey, with_db

DEBOUNCE = 180  # seconds without a new event before the e-mail goes out (SETTLEBOOK_MAIL_DELAY)
log = logging.getLogger(__name__)
RETRIES, RETRY_DELAY = 5, 300  # then the hourly catch_up() keeps trying: a notice is never dropped


@dataclass
class Sent:
    subject: str
    refused: dict[str, str]


_data_dir: list[Path] = []  # where the key file is; set by configure()


def configure(data_dir: str | Path, delay: int = DEBOUNCE) -> None:
    """Called by the web app, the worker and the CLI at start."""
    global DEBOUNCE
    DEBOUNCE = max(0, delay)
    _data_dir[:] = [Path(data_dir)]


def stored_settings() -> mail_settings.MailSettings:
    """The saved settings with their password; a key file that no longer opens it is a MailError."""
    if not _data_dir:
        raise RuntimeError("tasks.mail.configure() was not called")
    try:
        return mail_settings.load(encryption.load_or_create_key(_data_dir[0]))
    except encryption.SecretUnreadable as exc:
        raise MailError("password_unreadable") from exc


def save_settings(settings: mail_settings.MailSettings, password: str | None) -> mail_settings.MailSettings:
    return mail_settings.save(settings, encryption.load_or_create_key(_data_dir[0]), password)


def _record(record: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Record a notice and schedule its e-mail; a failure here is logged, never raised:
    a notice must not break the run that stored the reports."""
    try:
        news = record(*args, **kwargs)
    except Exception:
        log.exception("recording the notice %s%s failed", record.__name__, args)
        return 0
    if news:
        schedule()
    return news


def run_finished(report_ids: list[int], origin: str) -> int:
    """What every run (upload, sync, retroactive fetch) calls once it has stored reports."""
    return _record(notify.run_finished, report_ids, origin)


def failure(kind: str, subject: str = "", template: str = "", detail: str = "", **params: object) -> bool:
    """What every run calls when it failed (see core.notify.FAILURE_KINDS)."""
    return bool(_record(notify.failure, kind, subject, template, detail, **params))


# Amazon's answers (core.spapi error codes) that mean the stored credentials were refused,
# and the client's own codes for no answer at all.
CREDENTIAL_CODES = ("invalid_client", "invalid_grant", "unauthorized_client", "secret_expired")
UNREACHABLE_CODES = ("connection", "timeout")


def sync_finished(result: Any) -> None:
    """What every Amazon import run reports when it ends (tasks.sync.finished passes its
    core.sync.SyncResult): the reports it stored, and why it failed if it did."""
    if result.new_report_ids:
        run_finished(result.new_report_ids, f"sync:{result.trigger}")
    if result.status == "paused" or (result.status == "failed" and result.error_code in CREDENTIAL_CODES):
        failure("credentials_rejected", detail=_amazon_words(result.error_code, result.error_message))
    elif result.status == "failed":
        kind = "amazon_unreachable" if result.error_code in UNREACHABLE_CODES else "sync_failed"
        failure(kind, detail=_amazon_words(result.error_code, result.error_message))
    for document in result.failed:  # the run went on; these documents did not make it
        failure("import_failed", subject=document.key or document.amazon_report_id, detail=document.message)


def _amazon_words(code: str, message: str) -> str:
    return f"{message} ({code})" if code and message else message or code


def batch_blocked(report_id: int, key: str) -> bool:
    return bool(_record(notify.batch_blocked, report_id, key))


def schedule() -> None:
    """Send what is pending once things have been quiet. In immediate mode (tests, one-off
    CLI runs) nothing runs later: the caller sends with `deliver()` itself."""
    if not huey.immediate:
        _flush.schedule(delay=DEBOUNCE)


@huey.task(retries=RETRIES, retry_delay=RETRY_DELAY)
@with_db
def _flush() -> None:
    deliver(quiet=timedelta(seconds=DEBOUNCE))  # MailError propagates: huey retries


@huey.periodic_task(crontab(minute="41"))
@with_db
def catch_up() -> None:
    """Hourly: notices whose flush gave up (mail server down longer than the retries) or
    was lost go out once the server is back; the failure is in the job log meanwhile."""
    try:
        deliver(quiet=timedelta(seconds=DEBOUNCE))
    except MailError:
        pass  # recorded; the next hour tries again


def deliver(quiet: timedelta | None = None) -> Sent | None:
    """Send every pending notice as one e-mail; None when there was nothing to send (or,
    with `quiet`, when the newest event is younger than that: its own flush sends it)."""
    newest = notify.newest_pending()
    if newest is None or (quiet is not None and utcnow() - newest < quiet):
        return None
    try:
        settings = stored_settings()
    except MailError as error:
        _failed(jobs.start("mail"), error)
        raise
    token = uuid.uuid4().hex
    digest = notify.digest(notify.claim(token), settings)
    if digest.empty or not settings.configured:
        notify.mark_sent(token)  # nothing left to say (reports deleted, switches turned off)
        return None
    from webapp.mail import render_digest

    subject, text, html = render_digest(digest, settings, language())
    try:
        refused = send(settings, subject, text, html)
    except MailError:
        notify.release(token)
        raise
    notify.mark_sent(token)
    return Sent(subject, refused)


def send(settings: mail_settings.MailSettings, subject: str, text: str,
         html: str | None = None) -> dict[str, str]:
    """Send one e-mail now, recorded in the job log and as the settings page's last outcome."""
    job = jobs.start("mail", subject)
    at = job.started.isoformat(timespec="seconds")
    try:
        refused = smtp.send(settings, message.build(settings, subject, text, html))
    except MailError as error:
        _failed(job, error)
        raise
    if refused:
        jobs.finish(job, "ok", "mail_sent_partly", refused=", ".join(refused),
                    recipients=", ".join(a for a in settings.recipients if a not in refused))
        mail_settings.record_status("partly", at, subject, refused=", ".join(refused))
    else:
        jobs.finish(job, "ok", "mail_sent", recipients=", ".join(settings.recipients))
        mail_settings.record_status("ok", at, subject)
    return refused


def _failed(job, error: MailError) -> None:
    jobs.finish(job, "failed", "mail_failed", **error.to_json())
    mail_settings.record_status("failed", job.started.isoformat(timespec="seconds"), job.subject,
                                error=error.to_json())


def send_test(settings: mail_settings.MailSettings) -> dict[str, str]:
    from webapp.mail import render_test

    subject, text = render_test(settings, language())
    return send(settings, subject, text)


def language() -> str:
    return Setting.get_value("language") or "en"


@with_db
def resume() -> int:
    """At start: notices cut off mid-send are pending again, and a flush is scheduled for them."""
    notify.release_interrupted()
    if notify.newest_pending() is None:
        return 0
    schedule()
    return 1
