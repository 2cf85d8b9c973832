"""One Amazon import run: settlements and VAT reports through the same import as uploads.

    result = sync.run(key, endpoints, trigger="scheduled")

fetches every settlement report Amazon still lists (90 days) that is not stored yet, and
the previous month's VAT Transactions Report from the 3rd of a month (a retroactive run:
every month within the 90 days), imports each document with `core.uploads.import_recorded`
(so an API download, a second listing and an earlier upload of one settlement are stored
once, by content), builds the batch of each new report, and returns a `SyncResult`.

A document's fate is written in `amazon_document` in the import's own transaction, so a
run killed at any moment imports nothing twice when it runs again.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core import amazon, batches, jobs, marketplaces, sync_runs
from core.db import db
from core.imports import ImportResult, import_bytes
from core.models import AmazonDocument, Report, SyncRun, utcnow
from core.reports.model import BOOKABLE_KINDS, Kind
from core.spapi import SpApiClient, SpApiError
from core.spapi import errors as api_errors
from core.spapi.client import RETENTION_DAYS
from core.spapi.regions import VAT_REPORT_MARKETPLACES

log = logging.getLogger(__name__)

SETTLEMENT = "GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2"
VAT = "GET_VAT_TRANSACTION_DATA"
FINAL = ("imported", "new_version", "already_imported", "no_data")
VAT_AVAILABLE_DAY = 3  # Amazon offers a month's VAT report from the 3rd of the next month


@dataclass
class DocumentOutcome:
    kind: str  # "settlement" | "vat_transactions"
    amazon_report_id: str
    outcome: str  # imported | new_version | already_imported | skipped | failed | no_data | fatal
    report_id: int | None = None  # settlebook's report, when stored (or already there)
    key: str = ""  # the settlement id or the VAT month ("2026-11")
    message: str = ""  # why it failed, was skipped or had no data (Amazon's words, or English)
    error: dict[str, Any] | None = None  # a report the importer refused: Message.to_json(), translatable


@dataclass
class SyncResult:
    """What a run did; the e-mail notification and every caller read this."""

    run_id: int | None
    trigger: str  # scheduled | manual | retroactive | cli | first
    status: str  # ok | partial (some documents failed) | failed | busy | paused | not_connected
    started: datetime
    finished: datetime | None = None
    documents: list[DocumentOutcome] = field(default_factory=list)
    batch_ids: list[int] = field(default_factory=list)  # batches built for new reports
    error_code: str = ""  # why the run failed as a whole (Amazon's code or ours)
    error_message: str = ""
    error_request_id: str = ""
    missing_months: list[str] = field(default_factory=list)  # "2026-05": upload by hand
    vat_role_missing: bool = False

    def count(self, kind: str | None = None, *outcomes: str) -> int:
        return sum(1 for d in self.documents
                   if (kind is None or d.kind == kind) and (not outcomes or d.outcome in outcomes))

    @property
    def new_settlements(self) -> int:
        return self.count(Kind.SETTLEMENT, "imported", "new_version")

    @property
    def new_vat_reports(self) -> int:
        return self.count(Kind.VAT_TRANSACTIONS, "imported", "new_version")

    @property
    def already_there(self) -> int:
        return self.count(None, "already_imported")

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [d for d in self.documents if d.outcome in ("failed", "fatal")]

    @property
    def new_report_ids(self) -> list[int]:
        return [d.report_id for d in self.documents
                if d.outcome in ("imported", "new_version") and d.report_id is not None]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["started"] = self.started.isoformat()
        data["finished"] = self.finished.isoformat() if self.finished else None
        data.update(new_settlements=self.new_settlements, new_vat_reports=self.new_vat_reports,
                    already_there=self.already_there, failed_count=len(self.failed))
        return data


def run(key: bytes, endpoints: amazon.Endpoints, trigger: str = "manual", *, marketplace: str = "",
        retroactive: bool = False, now: datetime | None = None,
        client: SpApiClient | None = None) -> SyncResult:
    """One run, start to end. Never raises for Amazon's or a report's faults: the result says."""
    started = now or utcnow()
    connection = amazon.current()
    if connection is None:
        return SyncResult(None, trigger, "not_connected", started)
    if connection.status == "reenter_credentials" and trigger == "scheduled":
        # Amazon refused the secret: asking again every day changes nothing until it is re-entered.
        return SyncResult(None, trigger, "paused", started, error_code=connection.error_code,
                          error_message=connection.error_message)
    try:
        sync_run = sync_runs.acquire(trigger, marketplace, started)
    except sync_runs.AlreadyRunning as busy:
        return SyncResult(busy.run.id, trigger, "busy", started)
    result = SyncResult(sync_run.id, trigger, "ok", started)
    job = jobs.start("amazon_sync", "Amazon")
    SyncRun.update(job=job).where(SyncRun.id == sync_run.id).execute()
    try:
        client = client or amazon.make_client(amazon.credentials(connection, key), endpoints)
        _Run(client, sync_run, result, retroactive or trigger in ("retroactive", "first"), started).go()
        amazon.record_success(connection)
    except SpApiError as error:
        result.status = "failed"
        result.error_code, result.error_message, result.error_request_id = \
            error.code, error.message, error.request_id
        if error.details:
            result.error_message += f" ({error.details})"
        amazon.record_failure(connection, error)
    except Exception as exc:  # a bug must end the run with a message, not leave it "running"
        log.exception("Amazon import run %s failed", sync_run.id)
        result.status = "failed"
        result.error_code, result.error_message = "unexpected_error", type(exc).__name__
    if result.status == "ok" and result.failed:
        result.status = "partial"
    result.missing_months = missing_months(started)
    result.finished = utcnow()
    _finish(sync_run, job, result)
    return result


def _finish(sync_run: SyncRun, job: Any, result: SyncResult) -> None:
    with db.atomic():
        SyncRun.update(status=result.status, finished=result.finished, heartbeat=result.finished,
                       summary=json.dumps(result.to_dict(), default=str),
                       error_code=result.error_code, error_message=result.error_message
                       ).where(SyncRun.id == sync_run.id).execute()
        documents = [asdict(d) for d in result.documents]  # what arrived before it failed, too
        if result.status == "failed":
            jobs.finish(job, "failed", "amazon_sync_failed", code=result.error_code,
                        message=result.error_message, request_id=result.error_request_id,
                        documents=documents)
        else:
            jobs.finish(job, "failed" if result.failed else "ok", "amazon_sync_done",
                        settlements=result.new_settlements, vat=result.new_vat_reports,
                        already=result.already_there, failed=len(result.failed), documents=documents)


class _Run:
    def __init__(self, client: SpApiClient, sync_run: SyncRun, result: SyncResult,
                 retroactive: bool, now: datetime) -> None:
        self.client, self.sync_run, self.result = client, sync_run, result
        self.retroactive, self.now = retroactive, now

    def go(self) -> None:
        since = self.now.replace(tzinfo=UTC) - timedelta(days=RETENTION_DAYS)
        listed = list(self.client.list_reports([SETTLEMENT], since))
        todo = [r for r in listed if self._settlement_todo(r)]
        months = self._vat_months()
        sync_runs.beat(self.sync_run, 0, len(todo) + len(months))
        for number, report in enumerate(todo, 1):
            self._settlement(report)
            sync_runs.beat(self.sync_run, number)
        for number, month in enumerate(months, len(todo) + 1):
            self._vat(month)
            sync_runs.beat(self.sync_run, number)
        self._build_missing()

    def _build_missing(self) -> None:
        """Reports fetched by a run that was stopped before their batch was built."""
        waiting = (Report.select(Report.id).where(
            Report.source == "api", Report.status == "current", Report.batch_status == "none",
            Report.kind.in_(BOOKABLE_KINDS)).order_by(Report.id))
        for report in waiting:
            self.result.batch_ids.append(batches.build(report.id).batch.id)

    # -- settlements -----------------------------------------------------------------------

    def _settlement_todo(self, report: dict[str, Any]) -> bool:
        row = AmazonDocument.get_or_none(AmazonDocument.amazon_report_id == report["reportId"])
        if row is None or row.outcome in ("failed", "fatal"):
            return True
        if row.outcome == "skipped":  # its marketplace may have been enabled since
            keys = {k for k in row.marketplaces.split("|") if k}
            return bool(keys & marketplaces.enabled_keys())
        return False

    def _settlement(self, report: dict[str, Any]) -> None:
        report_id = report["reportId"]
        try:
            document = self.client.document(report_id, report["reportDocumentId"])
        except SpApiError as error:
            if not error.retryable and error.error_class != api_errors.INPUT:
                raise  # credentials or role: the whole run stops
            self._record(report, Kind.SETTLEMENT, DocumentOutcome(Kind.SETTLEMENT, report_id, "failed",
                                                               message=str(error)))
            return
        keys = marketplaces.document_marketplaces(document.text)
        if marketplaces.should_skip(keys):
            self._record(report, Kind.SETTLEMENT, DocumentOutcome(
                Kind.SETTLEMENT, report_id, "skipped", message=", ".join(sorted(keys))), keys)
            return
        self._import(report, Kind.SETTLEMENT, document.text, f"amazon-settlement-{report_id}.txt", keys)

    # -- VAT reports -----------------------------------------------------------------------

    def _vat_months(self) -> list[str]:
        """The months whose VAT report is fetched in this run."""
        today = self.now.date()
        last_full = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        if today.day < VAT_AVAILABLE_DAY:
            last_full = (last_full - timedelta(days=1)).replace(day=1)
        months = [last_full]
        if self.retroactive:
            earliest = today - timedelta(days=RETENTION_DAYS)
            month = last_full
            while True:
                month = (month - timedelta(days=1)).replace(day=1)
                if _month_end(month) < earliest:
                    break
                months.append(month)
        return [m.strftime("%Y-%m") for m in sorted(months) if not self._vat_done(m.strftime("%Y-%m"))]

    @staticmethod
    def _vat_done(month: str) -> bool:
        if AmazonDocument.select().where(AmazonDocument.report_type == VAT, AmazonDocument.period == month,
                                         AmazonDocument.outcome.in_(FINAL)).exists():
            return True
        # Uploaded by hand already: its key ends with the month (seller:YYYY-MM).
        return Report.select().where(Report.kind == Kind.VAT_TRANSACTIONS,
                                     Report.key.endswith(f":{month}")).exists()

    def _vat(self, month: str) -> None:
        ids = sorted(m.amazon_id for m in marketplaces.all_marketplaces()
                     if m.enabled and m.amazon_id in VAT_REPORT_MARKETPLACES)
        if not ids:
            return  # no marketplace Amazon offers the VAT report for is enabled
        pending = (AmazonDocument.select().where(AmazonDocument.report_type == VAT,
                                                 AmazonDocument.period == month,
                                                 AmazonDocument.outcome == "requested").first())
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
        end = datetime.combine(_month_end(start.date()), datetime.max.time()).replace(microsecond=0, tzinfo=UTC)
        try:
            if pending is not None:  # a run stopped while Amazon prepared it: keep waiting for that one
                report_id = pending.amazon_report_id
            else:
                report_id = self.client.create_report(VAT, ids, start, end)
                with db.atomic():
                    AmazonDocument.create(amazon_report_id=report_id, report_type=VAT, period=month,
                                          outcome="requested", run=self.sync_run.id)
            report = self.client.wait_for_report(report_id)
        except SpApiError as error:
            if error.error_class == api_errors.PERMISSION:
                self.result.vat_role_missing = True
                amazon.set_vat_role("missing")
                return
            if error.error_class == api_errors.AUTHORISATION:
                raise
            self.result.documents.append(DocumentOutcome(Kind.VAT_TRANSACTIONS, "", "failed", key=month,
                                                         message=str(error)))
            return
        amazon.set_vat_role("yes")
        info = {"reportId": report_id, "reportType": VAT, "createdTime": report.get("createdTime", ""),
                "reportDocumentId": report.get("reportDocumentId", "")}
        status = report.get("processingStatus")
        if status == "CANCELLED":
            self._record(info, Kind.VAT_TRANSACTIONS, DocumentOutcome(
                Kind.VAT_TRANSACTIONS, report_id, "no_data", key=month,
                message="Amazon has no VAT transactions for this month."), period=month)
            return
        if status == "FATAL":
            text = ""
            if report.get("reportDocumentId"):
                try:
                    text = self.client.document(report_id, report["reportDocumentId"]).text[:2000]
                except SpApiError as error:
                    text = str(error)
            self._record(info, Kind.VAT_TRANSACTIONS, DocumentOutcome(
                Kind.VAT_TRANSACTIONS, report_id, "fatal", key=month, message=text.strip()), period=month)
            return
        try:
            document = self.client.document(report_id, report["reportDocumentId"], restricted=True)
        except SpApiError as error:
            if error.error_class in (api_errors.AUTHORISATION, api_errors.PERMISSION):
                if error.error_class == api_errors.PERMISSION:
                    self.result.vat_role_missing = True
                    amazon.set_vat_role("missing")
                    return
                raise
            self._record(info, Kind.VAT_TRANSACTIONS, DocumentOutcome(
                Kind.VAT_TRANSACTIONS, report_id, "failed", key=month, message=str(error)), period=month)
            return
        self._import(info, Kind.VAT_TRANSACTIONS, document.text, f"amazon-vat-{month}.txt", set(), month)

    # -- shared ----------------------------------------------------------------------------

    def _import(self, report: dict[str, Any], kind: str, text: str, filename: str,
                keys: set[str], period: str = "") -> None:
        outcome = DocumentOutcome(kind, report["reportId"], "failed", key=period)

        def record(imported: ImportResult) -> None:  # inside the import's transaction
            outcome.outcome = "failed" if imported.error else imported.outcome
            outcome.report_id = imported.report_id
            if imported.error:
                outcome.message = imported.error.message()
                outcome.error = imported.error.to_json()
            elif imported.report_id:
                stored = Report.get_by_id(imported.report_id)
                outcome.key = outcome.key or stored.key
            self._write(report, outcome, keys, period)

        # The text as decoded by the client (header charset, else UTF-8, else cp1252), as UTF-8.
        # Not import_recorded: the run is one job-log entry that lists every document.
        import_bytes(text.encode("utf-8"), filename, "api", on_commit=record)
        self.result.documents.append(outcome)
        if outcome.outcome in ("imported", "new_version") and outcome.report_id:
            self.result.batch_ids.append(batches.build(outcome.report_id).batch.id)

    def _record(self, report: dict[str, Any], kind: str, outcome: DocumentOutcome,
                keys: set[str] = frozenset(), period: str = "") -> None:
        with db.atomic():
            self._write(report, outcome, keys, period)
        self.result.documents.append(outcome)

    def _write(self, report: dict[str, Any], outcome: DocumentOutcome, keys: set[str] | frozenset,
               period: str) -> None:
        (AmazonDocument.insert(
            amazon_report_id=report["reportId"], report_type=report.get("reportType", ""),
            document_id=report.get("reportDocumentId", ""), created_time=report.get("createdTime", ""),
            period=period, outcome=outcome.outcome, report=outcome.report_id,
            marketplaces="|".join(sorted(keys)), error=outcome.message[:2000], run=self.sync_run.id,
            fetched_at=utcnow())
         .on_conflict_replace().execute())


def _month_end(month_start: date) -> date:
    return (month_start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def missing_months(now: datetime, first: date | None = None) -> list[str]:
    """Months from January of the year 90 days back up to that cut-off that have no VAT
    report or no settlement: Amazon no longer lists them, so they must be uploaded."""
    cutoff = (now - timedelta(days=RETENTION_DAYS)).date()
    month = first or cutoff.replace(month=1, day=1)
    covered_vat = {key.rsplit(":", 1)[-1] for (key,) in Report.select(Report.key)
                   .where(Report.kind == Kind.VAT_TRANSACTIONS).tuples()}
    settled: set[str] = set()
    for start, end in (Report.select(Report.period_start, Report.period_end)
                       .where(Report.kind == Kind.SETTLEMENT).tuples()):
        if start and end:
            day = start.date().replace(day=1)
            while day <= end.date():
                settled.add(day.strftime("%Y-%m"))
                day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    missing = []
    while month <= cutoff:
        label = month.strftime("%Y-%m")
        if label not in covered_vat or label not in settled:
            missing.append(label)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return missing
