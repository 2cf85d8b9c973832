"""Storing a report: the report row, every line and the original file in ONE transaction.

The same file twice, or the same settlement from the API and from an upload, is stored
once: first by the file's SHA-256, then by the natural key plus a hash of the normalised
content (an API download and a Seller Central download of one settlement differ in bytes,
not in content). Same key with different content is a corrected re-issue: it becomes a new
version, the old one is kept as superseded and its batches are marked outdated.
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
from core.db import db
from core.mappings import mapping_overrides
from core.models import Report, ReportFile, utcnow
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
    outcome: str  # imported | already_imported | new_version | error
    report_id: int | None = None
    error: ReportError | None = None
    superseded_id: int | None = None


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
            result = ImportResult(filename, "already_imported", twin.id)
            if on_commit:
                on_commit(result)
            return result
    try:
        result = _store(data, filename, source, sha256, progress, on_commit)
    except _AlreadyStored as stored:
        result = ImportResult(filename, "already_imported", stored.report_id)
        if on_commit:
            with db.atomic():
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
        if any(r.content_hash == content_hash for r in siblings):
            current = next((r for r in siblings if r.status == "current"), siblings[0])
            raise _AlreadyStored(current.id)
        previous = siblings[0] if siblings else None

        outcome = "imported"
        superseded_id = None
        if previous is not None:
            outcome = "new_version"
            report.version = previous.version + 1
            superseded = (Report.update(status="superseded",
                                        batch_status=_outdated_case())
                          .where(Report.kind == str(report_stream.kind), Report.key == key,
                                 Report.status == "current", Report.id != report.id))
            superseded.execute()
            superseded_id = previous.id

        _finish_report(report, report_stream, key, content_hash)
        ReportFile.create(report=report, filename=filename, size=len(data), sha256=sha256,
                          compression="gzip", data=gzip.compress(data, compresslevel=1))
        result = ImportResult(filename, outcome, report.id, superseded_id=superseded_id)
        if on_commit:
            on_commit(result)
        return result


def _outdated_case() -> Case:
    # A superseded report's batch, if it had one, no longer matches the current data.
    return Case(None, [(Report.batch_status == "created", "outdated")], Report.batch_status)


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
    report.save()


def error_params(error: ReportError) -> dict[str, Any]:
    """What a stored error message needs besides its template: the line, the file, its values."""
    return error.to_json()["params"]


def import_recorded(data: bytes, filename: str, source: str,
                    progress: Callable[[int], None] | None = None,
                    on_commit: Callable[[ImportResult], None] | None = None) -> ImportResult:
    """Import one file and record it in the job log, in the import's own transaction."""
    job = jobs.start("import", filename)

    def finish(result: ImportResult) -> None:
        if on_commit:
            on_commit(result)
        if result.error is not None:
            jobs.finish(job, "failed", "report_error", template=result.error.template,
                        **error_params(result.error))
        else:
            jobs.finish(job, "ok", f"report_{result.outcome}", report_id=result.report_id)

    try:
        return import_bytes(data, filename, source, progress, finish)
    except Exception as exc:
        with db.atomic():
            jobs.finish(job, "failed", "unexpected_error", error=type(exc).__name__)
        raise


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

    def __init__(self, report_id: int) -> None:
        self.report_id = report_id

    def __iter__(self) -> Iterator[Line]:
        return stored_lines(self.report_id)


class StoredReport(ParsedReport):
    """A ParsedReport whose sum of lines comes from the import, not another pass over them."""

    __slots__ = ("stored_lines_sum",)

    @property
    def lines_sum(self) -> Decimal:
        return self.stored_lines_sum


def stored_report(report_id: int) -> ParsedReport:
    """A stored report as the ParsedReport the booking code takes; its lines stream."""
    r = Report.get_by_id(report_id)

    def aware(d: datetime | None) -> datetime | None:
        return d.replace(tzinfo=UTC) if d else None

    report = StoredReport(
        kind=Kind(r.kind), layout=r.layout, key=r.key, currency=r.currency, total=r.total,
        period_start=aware(r.period_start), period_end=aware(r.period_end),
        deposit_date=aware(r.deposit_date), marketplaces=r.marketplace_list,
        lines=StoredLines(report_id),  # type: ignore[arg-type]
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
            # The newest earlier version, if any, becomes current again.
            previous = (Report.select().where(Report.kind == report.kind, Report.key == report.key)
                        .order_by(Report.version.desc()).first())
            if previous is not None:
                previous.status = "current"
                previous.save()
        if report.kind == "vat_transactions":
            # An overlapping report may now have to book months this one booked.
            from core import vat_months

            vat_months.mark_stale(vat_months.account_of(report.key))
        return report
