"""Storing a report: the report row, every line and the original file in ONE transaction.

The same file twice, or the same settlement from the API and from an upload, is stored
once: first by the file's SHA-256, then by the natural key plus a hash of the normalised
content (an API download and a Seller Central download of one settlement differ in bytes,
not in content). Same key with different content is a re-issue, and the version that is
complete wins: a re-issue that adds up replaces the current version (kept as superseded,
its batch marked outdated); one whose lines do not add up to its total while the current
version does (a cut-off download) is kept as a "candidate" that only a person can promote.
Importing a file identical to an earlier version makes that version current again.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from peewee import Case, DatabaseError

from core import jobs
from core.db import db, is_disk_full
from core.mappings import mapping_overrides
from core.models import Job, Report, ReportFile, utcnow
from core.reports import ReportError, stream
from core.reports import errors as report_errors
from core.reports.model import Category, Kind, Line, ParsedReport, TaxTreatment, VatDetail

log = logging.getLogger(__name__)

CHUNK = 2_000  # rows per executemany: few round trips, bounded memory
PROGRESS_EVERY = 5_000

LINE_COLUMNS = (
    "report_id", "line_no", "posted", "transaction_type", "amount_type", "amount_description",
    "amount", "category", "order_id", "adjustment_id", "sku", "quantity", "marketplace",
    "fulfillment", "settlement_id", "currency", "vat_treatment", "vat_rate", "vat_net",
    "vat_amount", "ship_from", "ship_to", "buyer_vat_id", "seller_vat_id", "jurisdiction",
    "event_id", "scheme", "collection",
)
INSERT_LINE = (f"INSERT INTO line ({', '.join(LINE_COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(LINE_COLUMNS))})")


@dataclass
class ImportResult:
    filename: str
    # imported | already_imported | new_version | candidate | restored | error
    outcome: str
    report_id: int | None = None
    error: ReportError | None = None
    superseded_id: int | None = None
    difference: Decimal | None = None  # a candidate's lines minus its total

    @property
    def stored(self) -> bool:
        """A version that is now current and wants a (new) booking batch."""
        return self.outcome in ("imported", "new_version", "restored")


class _AlreadyStored(Exception):
    """Raised inside the transaction to roll it back: the content is already there."""

    def __init__(self, report_id: int) -> None:
        self.report_id = report_id


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def _posted_text(posted: datetime | None, cache: dict) -> str | None:
    # The lines of one order share a timestamp object; format each one once.
    if posted is None:
        return None
    text = cache.get(posted)
    if text is None:
        text = cache[posted] = _naive_utc(posted).isoformat(sep=" ")
    return text


def _row(report_id: int, line: Line, posted_cache: dict) -> tuple:
    vat = line.vat
    common = (
        report_id, line.line_no, _posted_text(line.posted, posted_cache),
        line.transaction_type, line.amount_type, line.amount_description, str(line.amount),
        str(line.category), line.order_id, line.adjustment_id, line.sku, line.quantity,
        line.marketplace, line.fulfillment, line.settlement_id, line.currency,
    )
    if vat is None:
        return common + _NO_VAT
    return common + (
        str(vat.treatment), None if vat.rate is None else str(vat.rate), str(vat.net), str(vat.vat),
        vat.ship_from, vat.ship_to, vat.buyer_vat_id, vat.seller_vat_id, vat.jurisdiction,
        vat.event_id, vat.scheme, vat.collection,
    )


_NO_VAT = (None, None, None, None, "", "", "", "", "", "", "", "")


def _insert_lines(report_id: int, lines: Iterable[Line], digest: Any,
                  progress: Callable[[int], None] | None) -> None:
    cursor = db.cursor()
    batch: list[tuple] = []
    posted_cache: dict = {}
    count = 0
    for line in lines:
        row = _row(report_id, line, posted_cache)
        # What identifies a line's content (not the file's line numbers, encoding or layout).
        digest.update("\x1f".join((row[2] or "", row[3], row[4], row[5], row[6], row[8],
                                    row[9], row[10], row[14], "\x1e")).encode())
        batch.append(row)
        count += 1
        if len(batch) >= CHUNK:
            cursor.executemany(INSERT_LINE, batch)
            batch.clear()
            if len(posted_cache) > 50_000:
                posted_cache.clear()
            if progress and count % PROGRESS_EVERY < CHUNK:
                progress(count)
    if batch:
        cursor.executemany(INSERT_LINE, batch)
    if progress:
        progress(count)


def import_bytes(
    data: bytes,
    filename: str,
    source: str = "upload",
    progress: Callable[[int], None] | None = None,
    on_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Parse and store one report file. Never raises for a bad file: the result says why.

    `on_commit` runs inside the import's transaction (e.g. to mark an upload as done),
    so the report and that bookkeeping are written together or not at all.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    with db.atomic():
        twin = Report.get_or_none(Report.sha256 == sha256)
        if twin is not None:
            result = _again(filename, twin)
            if on_commit:
                on_commit(result)
            return result
    try:
        result = _store(data, filename, source, sha256, progress, on_commit)
    except _AlreadyStored as stored:
        with db.atomic():
            result = _again(filename, Report.get_by_id(stored.report_id))
            if on_commit:
                on_commit(result)
    except ReportError as error:
        result = _failed(filename, error, on_commit)
    except DatabaseError:
        raise  # locked or full: the caller (a task with retries) tries again later
    except Exception as exc:  # a parser bug must reach the user as a message, not a traceback
        log.exception("importing %s failed unexpectedly", filename)
        result = _failed(filename, report_errors.internal_error(filename, type(exc).__name__), on_commit)
    return result


def _failed(filename: str, error: ReportError,
            on_commit: Callable[[ImportResult], None] | None) -> ImportResult:
    result = ImportResult(filename, "error", error=error)
    if on_commit:
        with db.atomic():
            on_commit(result)
    return result


def _store(data: bytes, filename: str, source: str, sha256: str,
           progress: Callable[[int], None] | None,
           on_commit: Callable[[ImportResult], None] | None) -> ImportResult:
    report_stream = stream(data, filename, overrides=mapping_overrides())
    digest = hashlib.sha256()
    with db.atomic():
        report = Report.create(
            kind=str(report_stream.kind), layout=report_stream.layout,
            key=f"pending:{sha256}", source=source, filename=filename,  # final key at the end
            sha256=sha256, content_hash="", total="0", lines_sum="0", difference="0",
            line_count=0, imported_at=utcnow(),
        )
        _insert_lines(report.id, report_stream, digest, progress)

        key = report_stream.key or ""
        content_hash = hashlib.sha256(
            f"{report_stream.kind}|{key}|{report_stream.total}|{digest.hexdigest()}".encode()
        ).hexdigest()
        siblings = list(Report.select()
                        .where(Report.kind == str(report_stream.kind), Report.key == key,
                               Report.id != report.id)
                        .order_by(Report.version.desc()))
        twin = next((r for r in siblings if r.content_hash == content_hash), None)
        if twin is not None:
            raise _AlreadyStored(twin.id)

        _finish_report(report, report_stream, key, content_hash)
        outcome = "imported"
        superseded_id = None
        if siblings:
            report.version = siblings[0].version + 1
            current = next((r for r in siblings if r.status == "current"), None)
            if _wins(report, current):
                outcome = "new_version"
                superseded_id = _supersede(report) or siblings[0].id
            else:
                outcome = "candidate"
                report.status = "candidate"
        report.save()
        ReportFile.create(report=report, filename=filename, size=len(data), sha256=sha256,
                          compression="gzip", data=gzip.compress(data, compresslevel=1))
        result = ImportResult(filename, outcome, report.id, superseded_id=superseded_id,
                              difference=report.difference if outcome == "candidate" else None)
        if on_commit:
            on_commit(result)
        return result


def _wins(version: Report, current: Report | None) -> bool:
    """Whether `version` may replace `current`: never an incomplete one a complete one."""
    return current is None or version.reconciles or not current.reconciles


def _supersede(version: Report) -> int | None:
    """Make `version` the current one of its kind and key; returns the id it replaced."""
    current = (Report.select(Report.id)
               .where(Report.kind == version.kind, Report.key == version.key,
                      Report.status == "current", Report.id != version.id).first())
    (Report.update(status="superseded", batch_status=_outdated_case(), build_requested=None)
     .where(Report.kind == version.kind, Report.key == version.key,
            Report.status == "current", Report.id != version.id).execute())
    return current.id if current else None


def _again(filename: str, twin: Report) -> ImportResult:
    """A file whose content is already stored as `twin`: nothing new, but an earlier complete
    version imported again becomes current again (e.g. after a cut-off re-download)."""
    if twin.status == "current":
        return ImportResult(filename, "already_imported", twin.id)
    current = (Report.select().where(Report.kind == twin.kind, Report.key == twin.key,
                                     Report.status == "current").first())
    if not _wins(twin, current):
        outcome = "candidate" if twin.status == "candidate" else "already_imported"
        return ImportResult(filename, outcome, twin.id, difference=twin.difference)
    superseded_id = _supersede(twin)
    Report.update(status="current").where(Report.id == twin.id).execute()
    return ImportResult(filename, "restored", twin.id, superseded_id=superseded_id)


def promote(report_id: int) -> Report | None:
    """Make a superseded or candidate version current by hand (the user knows better)."""
    with db.atomic():
        report = Report.get_or_none(Report.id == report_id)
        if report is None or report.status == "current":
            return report
        _supersede(report)
        report.status = "current"
        report.save()
        return report


def _outdated_case() -> Case:
    # A superseded report's batch, if it had one, no longer matches the current data.
    return Case(None, [(Report.batch_status.in_(("created", "blocked")), "outdated")],
                Report.batch_status)


def _finish_report(report: Report, s: Any, key: str, content_hash: str) -> None:
    total = s.total if s.total is not None else s.lines_sum
    period_end, period_start = _naive_utc(s.period_end), _naive_utc(s.period_start)
    report.key = key
    report.content_hash = content_hash
    report.currency = s.currency or ""
    report.total = total
    report.lines_sum = s.lines_sum
    report.difference = s.lines_sum - total
    report.reconciles = report.difference == 0
    report.line_count = s.count
    report.period_start = period_start
    report.period_end = period_end
    report.deposit_date = _naive_utc(s.deposit_date)
    report.year = (period_end or period_start).year if (period_end or period_start) else None
    report.marketplaces = "|".join(s.marketplaces)
    report.categories = json.dumps({str(k): str(v) for k, v in sorted(s.category_totals().items())})
    unmapped = sorted(s.unmapped().items())
    report.unmapped = json.dumps([[*combo, n] for combo, n in unmapped])
    report.unmapped_count = sum(n for _combo, n in unmapped)
    report.encoding = s.encoding


def error_params(error: ReportError) -> dict[str, Any]:
    """What a stored error message needs besides its template: the line, the file, its values."""
    return error.to_json()["params"]


def import_recorded(data: bytes, filename: str, source: str,
                    progress: Callable[[int], None] | None = None,
                    on_commit: Callable[[ImportResult], None] | None = None,
                    job: Job | None = None) -> ImportResult:
    """Import one file and record it in the job log (`job`, or a new one), in the import's
    own transaction."""
    job = job or jobs.start("import", filename)

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
        full = is_disk_full(exc)
        try:
            with db.atomic():
                jobs.finish(job, "failed", "disk_full" if full else "unexpected_error",
                            error=type(exc).__name__)
        except DatabaseError:
            if not full:
                raise
            log.exception("the disk is full; the job log could not record it either")
        raise


def _candidate_params(result: ImportResult) -> dict[str, Any]:
    """What a candidate's job message names: how far its lines are from its total."""
    if result.outcome != "candidate" or result.difference is None:
        return {}
    return {"difference": str(result.difference),
            "currency": Report.get_by_id(result.report_id).currency}


# -- reading back -------------------------------------------------------------------------

_STORED_COLUMNS = (
    "line_no, posted, transaction_type, amount_type, amount_description, amount, category, "
    "order_id, adjustment_id, sku, quantity, marketplace, fulfillment, settlement_id, currency, "
    "vat_treatment, vat_rate, vat_net, vat_amount, ship_from, ship_to, buyer_vat_id, "
    "seller_vat_id, jurisdiction, event_id, scheme, collection"
)


def stored_lines(report_id: int) -> Iterator[Line]:
    """The stored lines of a report as `Line` objects, in file order, one at a time.

    Plain cursor rows, with the repeating amounts, timestamps and categories parsed once:
    a 200,000-line settlement streams in seconds and in constant memory.
    """
    cursor = db.execute_sql(f"SELECT {_STORED_COLUMNS} FROM line WHERE report_id = ? ORDER BY id",
                            (report_id,))
    amounts: dict[str | None, Decimal | None] = {None: None}
    moments: dict[str | None, datetime | None] = {None: None}
    categories = {c.value: c for c in Category}
    for (line_no, posted, tt, at, ad, amount, category, order_id, adjustment_id, sku, quantity,
         marketplace, fulfillment, settlement_id, currency, treatment, rate, net, vat_amount,
         ship_from, ship_to, buyer_vat_id, seller_vat_id, jurisdiction, event_id, scheme,
         collection) in cursor:
        value = amounts.get(amount)
        if value is None:
            value = amounts[amount] = Decimal(amount)
        moment = moments.get(posted)
        if moment is None and posted is not None:
            moment = moments[posted] = datetime.fromisoformat(posted).replace(tzinfo=UTC)
        vat = None
        if treatment:
            vat = VatDetail(
                treatment=TaxTreatment(treatment), rate=None if rate is None else Decimal(rate),
                net=Decimal(net), vat=Decimal(vat_amount), ship_from=ship_from, ship_to=ship_to,
                buyer_vat_id=buyer_vat_id, seller_vat_id=seller_vat_id, jurisdiction=jurisdiction,
                event_id=event_id, scheme=scheme, collection=collection,
            )
        yield Line(line_no, moment, tt, at, ad, value, categories[category], order_id,
                   adjustment_id, sku, quantity, marketplace, fulfillment, settlement_id,
                   currency, vat)
        if len(amounts) > 100_000:  # many distinct values: keep the caches bounded
            amounts.clear(), moments.clear()
            amounts[None] = moments[None] = None


class StoredLines:
    """A report's lines, read from the database afresh on every pass (never all in memory)."""

    def __init__(self, report_id: int, progress: Callable[[int], None] | None = None) -> None:
        self.report_id = report_id
        self.progress = progress

    def __iter__(self) -> Iterator[Line]:
        if self.progress is None:
            return stored_lines(self.report_id)
        return self._counted()

    def _counted(self) -> Iterator[Line]:
        progress = self.progress
        assert progress is not None
        count = 0
        for line in stored_lines(self.report_id):
            yield line
            count += 1
            if count % PROGRESS_EVERY == 0:
                progress(count)
        progress(count)

    def marketplace_counts(self) -> dict[str, int]:
        """How many lines name each marketplace, without a pass over every line in Python."""
        cursor = db.execute_sql("SELECT marketplace, COUNT(*) FROM line WHERE report_id = ? AND "
                                "marketplace != '' GROUP BY marketplace", (self.report_id,))
        return dict(cursor.fetchall())

    def order_ids_with(self, category: str) -> set[str]:
        """Order ids having a line of `category`, without a pass over every line in Python."""
        # The category as a literal (a known enum value), so a partial index on it is used.
        literal = Category(category).value
        cursor = db.execute_sql("SELECT DISTINCT order_id FROM line WHERE report_id = ? AND "
                                f"category = '{literal}' AND order_id != ''", (self.report_id,))
        return {order_id for (order_id,) in cursor}


class StoredReport(ParsedReport):
    """A ParsedReport whose sum of lines comes from the import, not another pass over them."""

    __slots__ = ("stored_lines_sum",)

    @property
    def lines_sum(self) -> Decimal:
        return self.stored_lines_sum


def stored_report(report_id: int, progress: Callable[[int], None] | None = None) -> ParsedReport:
    """A stored report as the ParsedReport the booking code takes; its lines stream."""
    r = Report.get_by_id(report_id)

    def aware(d: datetime | None) -> datetime | None:
        return d.replace(tzinfo=UTC) if d else None

    report = StoredReport(
        kind=Kind(r.kind), layout=r.layout, key=r.key, currency=r.currency, total=r.total,
        period_start=aware(r.period_start), period_end=aware(r.period_end),
        deposit_date=aware(r.deposit_date), marketplaces=r.marketplace_list,
        lines=StoredLines(report_id, progress),  # type: ignore[arg-type]
        encoding=r.encoding, filename=r.filename,
    )
    report.stored_lines_sum = r.lines_sum
    return report


def original_file(report_id: int) -> tuple[str, bytes]:
    stored = ReportFile.get_by_id(report_id)
    return stored.filename, gzip.decompress(stored.data)


def delete_report(report_id: int) -> Report | None:
    """Delete a report with its lines, file and batches (cascade), in one transaction."""
    with db.atomic():
        report = Report.get_or_none(Report.id == report_id)
        if report is None:
            return None
        report.delete_instance()
        if report.status == "current":
            # The newest remaining version that adds up (else the newest) becomes current again.
            previous = (Report.select().where(Report.kind == report.kind, Report.key == report.key)
                        .order_by(Report.reconciles.desc(), Report.version.desc()).first())
            if previous is not None:
                previous.status = "current"
                previous.save()
        if report.kind == "vat_transactions":
            # An overlapping report may now have to book months this one booked.
            from core import vat_months

            vat_months.mark_stale(vat_months.account_of(report.key))
        return report
