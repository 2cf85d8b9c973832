"""What settlebook tells the user by e-mail, and that it tells each thing only once.

Any run calls the two public functions: `run_finished(report_ids, origin)` after it stored
new reports (an upload, the daily or a manual sync, a retroactive fetch) and
`failure(kind, ...)` when something went wrong. Each records an event under a unique name
in the `notification` table; the name is what makes a notice go out at most once:

- a new report is `report:<id>` (ids are never reused);
- a failure is `failure:<kind>:<day>`: the same kind of failure again that day only counts
  up `repeats` on the pending notice, so a sync failing every few minutes sends one e-mail
  per day ("failed 12 times since 08:15"), not one each time.

Sending is tasks/mail.py: it waits until events have been quiet for a few minutes, claims
every pending one, and sends them as one e-mail (the `Digest` built here).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from peewee import IntegrityError

from core.db import db
from core.mail import settings as mail_settings
from core.models import Batch, Notification, Report, utcnow
from core.reports.model import BOOKABLE_KINDS

FAILURE_KINDS = ("amazon_unreachable", "credentials_rejected", "import_failed", "batch_blocked",
                 "sync_failed")


def run_finished(report_ids: Iterable[int], origin: str = "upload") -> int:
    """Record the reports a run stored (new, or a new version); returns how many are news.

    A report already notified (a retried task, the same run reported twice) is skipped.
    """
    if not mail_settings.load().wants("report"):
        return 0
    recorded = 0
    for report_id in dict.fromkeys(report_ids):
        try:
            with db.atomic():
                Notification.create(event=f"report:{report_id}", kind="report",
                                    params=json.dumps({"report_id": report_id, "origin": origin}))
            recorded += 1
        except IntegrityError:
            continue  # already recorded: never the same notice twice
    return recorded


def failure(kind: str, subject: str = "", template: str = "", detail: str = "",
            day: date | None = None, **params: Any) -> bool:
    """Record a failure; True when a notice is to be sent for it (a new one, or today's
    still pending one now naming this reason), False when today's notice of this kind
    was sent already (the failure is only counted) or failure e-mails are switched off.

    `template` is an English message (marked with N_) with %(name)s `params`, translated
    when the e-mail is written; `detail` is someone else's words, shown as they are (Amazon's
    error message); `subject` names what failed (a file, a settlement id).
    """
    if kind not in FAILURE_KINDS:
        raise ValueError(f"unknown failure kind {kind!r}")
    if not mail_settings.load().wants("failure"):
        return False
    now = utcnow()
    event = f"failure:{kind}:{(day or now.date()).isoformat()}"
    details = {"subject": subject, "template": template, "detail": detail,
               "params": {k: str(v) for k, v in params.items()},
               "first": now.isoformat(timespec="seconds"), "last": now.isoformat(timespec="seconds")}
    with db.atomic():
        row = Notification.get_or_none(Notification.event == event)
        if row is None:
            Notification.create(event=event, kind="failure", code=kind, params=json.dumps(details))
            return True
        pending = row.status == "pending"
        if pending:  # not sent yet: the e-mail names the latest reason
            details["first"] = row.params_dict.get("first", details["first"])
            row.params = json.dumps(details)
        row.repeats += 1
        row.updated = now
        row.save()
    return pending


def batch_blocked(report_id: int, key: str) -> bool:
    """A batch that breaks a DATEV rule. For a report whose own notice is still to be sent
    the blocked batch is listed there (under "needs attention"), not sent a second time."""
    waiting = (Notification.select()
               .where(Notification.event == f"report:{report_id}", Notification.status != "sent")
               .exists())
    return False if waiting else failure("batch_blocked", subject=key, report_id=report_id)


# -- the pending notices, claimed and sent as one e-mail ----------------------------------

def newest_pending() -> datetime | None:
    row = (Notification.select(Notification.updated).where(Notification.status == "pending")
           .order_by(Notification.updated.desc()).first())
    return None if row is None else row.updated


def claim(token: str) -> list[Notification]:
    """Take every pending notice for one e-mail (a concurrent flush gets none of them)."""
    with db.atomic():
        (Notification.update(status="sending", claim=token)
         .where(Notification.status == "pending").execute())
    return list(Notification.select().where(Notification.claim == token).order_by(Notification.id))


def mark_sent(token: str) -> int:
    return (Notification.update(status="sent", sent_at=utcnow())
            .where(Notification.claim == token).execute())


def release(token: str) -> int:
    """The e-mail did not go out: the notices wait for the next attempt."""
    return (Notification.update(status="pending", claim=None)
            .where(Notification.claim == token, Notification.status == "sending").execute())


def release_interrupted() -> int:
    """At start: notices claimed by a flush that was killed mid-send are pending again.
    (If the server had accepted that e-mail just before the kill, it goes out twice; the
    other order would lose it.)"""
    return (Notification.update(status="pending", claim=None)
            .where(Notification.status == "sending").execute())


# -- what one e-mail says --------------------------------------------------------------------

@dataclass
class ReportNotice:
    report_id: int
    kind: str
    key: str
    version: int
    origin: str
    period_start: datetime | None
    period_end: datetime | None
    marketplaces: list[str]
    total: Decimal
    currency: str
    batch: str  # valid | blocked | outdated | waiting | not_booked
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # needs attention


@dataclass
class FailureNotice:
    kind: str
    subject: str
    template: str
    detail: str
    params: dict[str, str]
    repeats: int
    first: datetime
    last: datetime


@dataclass
class Digest:
    reports: list[ReportNotice]
    failures: list[FailureNotice]

    @property
    def empty(self) -> bool:
        return not self.reports and not self.failures

    @property
    def attention(self) -> list[ReportNotice]:
        return [r for r in self.reports if r.reasons]


def digest(rows: Iterable[Notification], settings: mail_settings.MailSettings) -> Digest:
    """The e-mail's content for claimed notices, read from the reports and batches as they
    are now (batches are built by the time a debounced e-mail goes out)."""
    origins: dict[int, str] = {}
    failures = []
    for row in rows:
        params = row.params_dict
        if row.kind == "report" and settings.wants("report"):
            origins[params["report_id"]] = params.get("origin", "")
        elif row.kind == "failure" and settings.wants("failure"):
            failures.append(FailureNotice(
                kind=row.code, subject=params.get("subject", ""), template=params.get("template", ""),
                detail=params.get("detail", ""), params=params.get("params", {}), repeats=row.repeats,
                first=datetime.fromisoformat(params["first"]), last=datetime.fromisoformat(params["last"])))
    # Two queries for any number of reports (a first sync may bring dozens); deleted ones drop out.
    ids = list(origins)
    batches = {b.report_id: b for b in (Batch.select()
                                        .where(Batch.report.in_(ids), Batch.status == "current")
                                        .order_by(Batch.version))}
    reports = [_report_notice(r, batches.get(r.id), origins[r.id])
               for r in Report.select().where(Report.id.in_(ids))]
    reports.sort(key=lambda r: (r.kind, r.period_end or datetime.min, r.key))
    return Digest(reports, failures)


def _report_notice(report: Report, batch: Batch | None, origin: str) -> ReportNotice:
    if report.kind not in BOOKABLE_KINDS:
        state = "not_booked"
    elif batch is None:
        state = "waiting"
    elif not batch.ok:
        state = "blocked"
    elif report.batch_status == "outdated":
        state = "outdated"
    else:
        state = "valid"
    reasons: list[tuple[str, dict[str, Any]]] = []
    if not report.reconciles:
        reasons.append(("not_reconciled", {"difference": report.difference, "currency": report.currency}))
    if report.unmapped_count:
        reasons.append(("unmapped", {"num": report.unmapped_count}))
    if state in ("blocked", "outdated"):
        reasons.append((f"batch_{state}", {}))
    return ReportNotice(
        report_id=report.id, kind=report.kind, key=report.key, version=report.version, origin=origin,
        period_start=report.period_start, period_end=report.period_end,
        marketplaces=report.marketplace_list, total=report.total, currency=report.currency,
        batch=state, reasons=reasons)
