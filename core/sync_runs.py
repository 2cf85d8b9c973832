"""Sync runs: the lock that keeps two runs apart, progress, and when the daily run is due.

The lock is a `sync_run` row with status "running", taken under SQLite's write lock, so a
manual run, the scheduled run and `settlebook sync` in another process never overlap. A
run whose process is gone (killed, power cut) no longer holds it: on this machine its pid
is checked; otherwise its heartbeat must be younger than STALE.
"""

from __future__ import annotations

import os
import socket
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.db import db
from core.models import Job, Setting, SyncRun, utcnow

STALE = timedelta(minutes=30)  # a live run beats at least once per document
RETRY_AFTER_FAILURE = timedelta(hours=1)
SCHEDULE_KEY = "amazon_sync_schedule"
DEFAULT_TIME = "05:30"
DEFAULT_ZONE = "Europe/Berlin"


class AlreadyRunning(Exception):
    def __init__(self, run: SyncRun) -> None:
        super().__init__(run.id)
        self.run = run


def _alive(run: SyncRun, now: datetime) -> bool:
    if run.host == socket.gethostname() and run.pid:
        if run.pid == os.getpid():
            return True  # a thread of this very process (web request and worker share one)
        try:
            os.kill(run.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return now - run.heartbeat < STALE * 4  # a live pid may be reused: not forever
    return now - run.heartbeat < STALE


def acquire(trigger: str, marketplace: str = "", now: datetime | None = None) -> SyncRun:
    """Start a run, or raise AlreadyRunning with the run that holds the lock."""
    now = now or utcnow()
    with db.atomic("IMMEDIATE"):
        for run in SyncRun.select().where(SyncRun.status == "running"):
            if _alive(run, now):
                raise AlreadyRunning(run)
            run.status, run.finished = "interrupted", now
            run.save()
            if run.job_id:  # its job-log entry ends with it
                Job.update(outcome="failed", message_code="interrupted", finished=now).where(
                    Job.id == run.job_id, Job.outcome == "running").execute()
        return SyncRun.create(trigger=trigger, marketplace=marketplace, started=now, heartbeat=now,
                              pid=os.getpid(), host=socket.gethostname())


def beat(run: SyncRun, done: int | None = None, total: int | None = None) -> None:
    values = {"heartbeat": utcnow()}
    if done is not None:
        values["done"] = run.done = done
    if total is not None:
        values["total"] = run.total = total
    SyncRun.update(**values).where(SyncRun.id == run.id).execute()


def running() -> SyncRun | None:
    return SyncRun.select().where(SyncRun.status == "running").order_by(SyncRun.id.desc()).first()


def latest(trigger: str | None = None) -> SyncRun | None:
    query = SyncRun.select().order_by(SyncRun.id.desc())
    if trigger:
        query = query.where(SyncRun.trigger == trigger)
    return query.first()


# -- schedule ---------------------------------------------------------------------------------

def schedule() -> tuple[str, str]:
    stored = Setting.get_value(SCHEDULE_KEY) or {}
    return stored.get("time", DEFAULT_TIME), stored.get("zone", DEFAULT_ZONE)


def save_schedule(at: str, zone: str = DEFAULT_ZONE) -> bool:
    """Store "HH:MM" in an IANA zone; False (storing nothing) when either is not valid."""
    try:
        time.fromisoformat(at)
        ZoneInfo(zone)
    except (ValueError, KeyError):
        return False
    Setting.set_value(SCHEDULE_KEY, {"time": at[:5], "zone": zone})
    return True


def last_due(now: datetime, at: str, zone: str) -> datetime:
    """The latest scheduled moment at or before `now` (naive UTC in, naive UTC out)."""
    tz = ZoneInfo(zone)
    local_now = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz)
    moment = time.fromisoformat(at)
    day: date = local_now.date()
    scheduled = datetime.combine(day, moment, tz)
    if scheduled > local_now:
        scheduled = datetime.combine(day - timedelta(days=1), moment, tz)
    return scheduled.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def is_due(now: datetime | None = None, connected_at: datetime | None = None) -> bool:
    """Due when no run started since the last scheduled moment; a day the box was off is
    caught up at the next check. After a failed run, wait an hour before trying again.
    The first daily run is the first scheduled moment after connecting (connecting offers
    its own import of the last 90 days)."""
    now = now or utcnow()
    at, zone = schedule()
    due_since = last_due(now, at, zone)
    last = (SyncRun.select().where(SyncRun.trigger.in_(("scheduled", "manual", "cli")),
                                   SyncRun.status.in_(("ok", "partial", "failed", "running")))
            .order_by(SyncRun.started.desc()).first())
    if last is None:
        return connected_at is None or connected_at < due_since
    if last.status == "running":
        return False
    if last.status == "failed":
        return now - last.started >= RETRY_AFTER_FAILURE
    return last.started < due_since
