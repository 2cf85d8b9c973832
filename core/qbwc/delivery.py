"""Web Connector sessions and what each settlement's delivery to QuickBooks has reached.

A session walks the pending deliveries one at a time, in two requests each: first a query by
reference number (QuickBooks Desktop does not enforce unique reference numbers, so this is
what keeps a summary from arriving twice), then an Add for whatever QuickBooks did not have.
Every step is stored, so a session cut off anywhere resumes safely in the next one.
"""

from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timedelta

from core.db import db
from core.models import QbwcDelivery, QbwcTicket, Report, utcnow
from core.qbwc import access, qbxml
from core.qbwc.summaries import SummaryUnavailable, transactions_for
from core.reports.model import Kind

TICKET_LIFETIME = timedelta(minutes=30)
SERVER_VERSION = "settlebook 1"
FAILED = -101  # receiveResponseXML: negative means "error, ask getLastError"


# -- which settlements go to QuickBooks ------------------------------------------------------

def _settlements():
    return Report.select().where(Report.kind == Kind.SETTLEMENT.value, Report.status == "current")


def queue_new() -> int:
    """Queue current settlements imported since the Web Connector was set up."""
    since = access.current().since
    if since is None:
        return 0
    queued = QbwcDelivery.select(QbwcDelivery.report)
    new = _settlements().where(Report.imported_at >= since, Report.id.not_in(queued))
    return _queue(new)


def queue_range(start: date, end: date) -> int:
    """Queue the settlements whose end date falls in [start, end] (older ones are picked so)."""
    queued = QbwcDelivery.select(QbwcDelivery.report)
    chosen = _settlements().where(
        Report.period_end >= datetime.combine(start, datetime.min.time()),
        Report.period_end < datetime.combine(end + timedelta(days=1), datetime.min.time()),
        Report.id.not_in(queued))
    return _queue(chosen)


def queue_report(report_id: int) -> int:
    return _queue(_settlements().where(Report.id == report_id))


def _queue(reports) -> int:
    with db.atomic():
        rows = [{"report": r.id, "queued": utcnow()} for r in reports]
        if rows:
            QbwcDelivery.insert_many(rows).on_conflict_ignore().execute()
    return len(rows)


def send_again(delivery_id: int) -> bool:
    """Back to pending; the next session asks QuickBooks first, so nothing is added twice."""
    return bool(QbwcDelivery.update(state="pending", error_code="", error_text="")
                .where(QbwcDelivery.id == delivery_id).execute())


def pending() -> list[QbwcDelivery]:
    return list(QbwcDelivery.select().where(QbwcDelivery.state == "pending").order_by(QbwcDelivery.id))


def for_report(report_id: int) -> QbwcDelivery | None:
    return QbwcDelivery.get_or_none(QbwcDelivery.report == report_id)


def listing(limit: int = 200) -> list[QbwcDelivery]:
    return list(QbwcDelivery.select(QbwcDelivery, Report).join(Report)
                .order_by(Report.period_end.desc(), QbwcDelivery.id.desc()).limit(limit))


# -- the eight calls -------------------------------------------------------------------------

def authenticate(username: str, password: str, remote_addr: str) -> list[str]:
    if not access.check(username, password, remote_addr):
        return ["", "nvu"]
    queue_new()
    work = len(pending())
    now = utcnow()
    ticket = QbwcTicket.create(ticket=secrets.token_urlsafe(32), created=now,
                               expires=now + TICKET_LIFETIME, total=work)
    # "" = use the company file open in QuickBooks; "none" = nothing to do this time.
    return [ticket.ticket, "" if work else "none"]


def _session(ticket: str) -> QbwcTicket | None:
    row = QbwcTicket.get_or_none(QbwcTicket.ticket == ticket)
    if row is None or row.closed is not None or row.expires < utcnow():
        return None
    row.expires = utcnow() + TICKET_LIFETIME
    return row


def send_request(ticket: str) -> str:
    """The next qbXML request of this session, or "" (then getLastError says why)."""
    with db.atomic("IMMEDIATE"):
        session = _session(ticket)
        if session is None:
            return ""
        while True:
            delivery = _current(session)
            if delivery is None:
                session.last_error = "nothing_to_send"
                session.save()
                return ""
            try:
                txns = transactions_for(delivery.report)
            except SummaryUnavailable as exc:
                _fail(delivery, "summary", exc.text)
                session.done += 1
                session.delivery_id, session.step = None, ""
                continue
            known = delivery.txn_id_map
            if session.step != "add":
                session.step = "query"
            asked = [t for t in txns if session.step == "query" or qbxml.key(t) not in known]
            session.asked = json.dumps({"all": [qbxml.key(t) for t in txns],
                                        "asked": [qbxml.key(t) for t in asked]})
            session.save()
            build = qbxml.query_request if session.step == "query" else qbxml.add_request
            return build(asked)


def _current(session: QbwcTicket) -> QbwcDelivery | None:
    if session.delivery_id is not None:
        delivery = QbwcDelivery.get_or_none(QbwcDelivery.id == session.delivery_id)
        if delivery is not None and delivery.state == "pending":
            return delivery
    # Deliveries already tried in this session are behind it, so a failing one cannot loop.
    after = session.delivery_id or 0
    delivery = (QbwcDelivery.select().where(QbwcDelivery.state == "pending", QbwcDelivery.id > after)
                .order_by(QbwcDelivery.id).first())
    session.delivery_id, session.step = (delivery.id if delivery else None), ""
    return delivery


def _fail(delivery: QbwcDelivery, code: str, text: str, retry: bool = False) -> None:
    delivery.state = "pending" if retry else "error"
    delivery.error_code, delivery.error_text = code, text
    delivery.attempts += 1
    delivery.save()


def receive_response(ticket: str, response: str, hresult: str, message: str) -> int:
    """Store what QuickBooks answered; the percentage done, or FAILED."""
    with db.atomic("IMMEDIATE"):
        session = _session(ticket)
        if session is None:
            return FAILED
        delivery = (QbwcDelivery.get_or_none(QbwcDelivery.id == session.delivery_id)
                    if session.delivery_id else None)
        if delivery is None:
            session.save()
            return 100
        if hresult:
            # QuickBooks could not even process the request (e.g. 0x80040400: bad qbXML).
            _fail(delivery, "hresult", f"{hresult}: {message}".strip(": "))
            return _failed(session, delivery)
        try:
            results = qbxml.read_response(response)
        except qbxml.ResponseError as exc:
            _fail(delivery, "unreadable", str(exc))
            return _failed(session, delivery)
        sent = json.loads(session.asked or "{}")
        everything, asked = sent.get("all", []), sent.get("asked", [])
        known = delivery.txn_id_map
        problem = None
        for result in results:
            if result.ok and result.txn_id:
                key = _asked(asked, result)
                if key:
                    known[key] = result.txn_id
            elif not result.ok and not result.not_found:
                problem = problem or result
        delivery.txn_ids = json.dumps(known)
        if problem is not None:
            _fail(delivery, problem.status_code, problem.status_message,
                  retry=problem.status_code in qbxml.RETRY_LATER)
            return _failed(session, delivery)
        if all(key in known for key in everything):
            delivery.state, delivery.sent_at = "sent", utcnow()
            delivery.error_code = delivery.error_text = ""
            delivery.save()
            session.done += 1
            session.step = ""
        else:
            delivery.save()
            if session.step == "add":  # QuickBooks said OK but returned no TxnID
                _fail(delivery, "no_txn_id", "")
                return _failed(session, delivery)
            session.step = "add"
        session.save()
        return _progress(session)


def _asked(asked: list[str], result: qbxml.Result) -> str | None:
    """The key of the transaction a result answers: requests were numbered in asked order."""
    try:
        key = asked[int(result.request_id)]
    except (ValueError, IndexError):
        return None
    return key if key.split(" ", 1)[0] == result.kind else None


def _failed(session: QbwcTicket, delivery: QbwcDelivery) -> int:
    session.last_error = f"delivery:{delivery.id}"
    session.done += 1
    session.step = ""
    session.save()
    return FAILED


def _progress(session: QbwcTicket) -> int:
    more = QbwcDelivery.select().where(
        QbwcDelivery.state == "pending",
        (QbwcDelivery.id > (session.delivery_id or 0)) | (QbwcDelivery.id == session.delivery_id)
    ).exists()
    if not more:
        return 100
    total = max(session.total, session.done + 1)
    return min(99, session.done * 100 // total)


def connection_error(ticket: str, hresult: str, message: str) -> str:
    session = QbwcTicket.get_or_none(QbwcTicket.ticket == ticket)
    if session is not None:
        session.last_error = f"connection:{hresult} {message}".strip()
        session.closed = utcnow()
        session.save()
    return "done"  # nothing to retry with: the next scheduled run starts afresh


def last_error(ticket: str) -> tuple[str, dict[str, str]]:
    """A message code and its parameters for getLastError (worded by the caller)."""
    session = QbwcTicket.get_or_none(QbwcTicket.ticket == ticket)
    if session is None or (session.closed is None and session.expires < utcnow()):
        return "session_expired", {}
    code = session.last_error
    if code.startswith("delivery:"):
        delivery = QbwcDelivery.get_or_none(QbwcDelivery.id == int(code.split(":")[1]))
        if delivery is not None:
            return "delivery_failed", {"code": delivery.error_code, "text": delivery.error_text,
                                       "settlement": delivery.report.key}
    if code == "nothing_to_send":
        return "nothing_to_send", {}
    return "unknown", {"text": code}


def close(ticket: str) -> tuple[str, dict[str, int]]:
    session = QbwcTicket.get_or_none(QbwcTicket.ticket == ticket)
    if session is None:
        return "closed", {"sent": 0}
    session.closed = session.closed or utcnow()
    session.save()
    sent = (QbwcDelivery.select().where(QbwcDelivery.sent_at >= session.created).count())
    return "closed", {"sent": sent}


def cleanup(now: datetime | None = None) -> int:
    """Drop sessions that ended more than a day ago."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    return QbwcTicket.delete().where(QbwcTicket.expires < cutoff).execute()
