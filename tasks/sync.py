"""The Amazon import in the background: the daily check, manual and retroactive runs.

A periodic task looks every few minutes whether the daily run is due (core/sync_runs.py),
so a day missed while the box was off is caught up at its next start. Every run ends in
`finished(result)`, the one place a run's summary goes afterwards.
"""

from __future__ import annotations

import logging
from pathlib import Path

from huey import crontab

from core import amazon, sync, sync_runs
from core.encryption import load_or_create_key
from tasks import mail
from tasks.queue import huey, with_db

log = logging.getLogger(__name__)

_settings: dict = {"data_dir": None, "endpoints": amazon.Endpoints()}


def configure(data_dir: str | Path, endpoints: amazon.Endpoints) -> None:
    """Called by the web app and the worker at start: where the key is, where Amazon is."""
    _settings.update(data_dir=Path(data_dir), endpoints=endpoints)


def key() -> bytes:
    if _settings["data_dir"] is None:
        raise RuntimeError("tasks.sync.configure() was not called")
    return load_or_create_key(_settings["data_dir"])


def endpoints() -> amazon.Endpoints:
    return _settings["endpoints"]


def run_now(trigger: str, marketplace: str = "", retroactive: bool = False) -> sync.SyncResult:
    """Run in this process (the command line, the tasks below)."""
    result = sync.run(key(), endpoints(), trigger, marketplace=marketplace, retroactive=retroactive)
    finished(result)
    return result


def finished(result: sync.SyncResult) -> None:
    """Every run ends here with its summary: logged, and told by e-mail (tasks/mail.py)."""
    mail.sync_finished(result)
    if result.status in ("ok", "partial", "failed"):
        log.info("Amazon import run %s (%s): %s; %s new settlements, %s new VAT reports, "
                 "%s already there, %s failed", result.run_id, result.trigger, result.status,
                 result.new_settlements, result.new_vat_reports, result.already_there, len(result.failed))


def enqueue(trigger: str = "manual", marketplace: str = "", retroactive: bool = False) -> None:
    _run(trigger, marketplace, retroactive)


@huey.task(retries=0)
@with_db
def _run(trigger: str, marketplace: str = "", retroactive: bool = False) -> None:
    run_now(trigger, marketplace, retroactive)


@huey.periodic_task(crontab(minute="*/5"))
@with_db
def daily_check() -> str:
    """Every five minutes: run the daily import when it is due and a connection exists."""
    connection = amazon.current()
    if connection is None or not sync_runs.is_due(connected_at=connection.created):
        return "not due"
    if connection.status == "reenter_credentials":
        # The failed run already said so; until new credentials are entered there is
        # nothing new to report, every five minutes or every day.
        return "paused"
    return run_now("scheduled").status
