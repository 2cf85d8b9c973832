"""What went to the tax advisor: every download of a batch, and batches marked handed over.

A batch handed over is in the advisor's books. Its report's next version must not simply
be imported on top (double booking): the old one has to be reversed first, so a download
of the newer version asks for confirmation (`needs_reversal`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from peewee import fn

from core.db import db
from core.models import Batch, BatchDownload, BatchFileRow, BatchHandover, utcnow


def record_download(batches: Iterable[Batch], filename: str) -> None:
    """One row per batch whose file(s) left in `filename` (a CSV, or a ZIP holding several)."""
    now = utcnow()
    rows = [{"batch": b.id, "filename": filename, "version": b.version, "at": now} for b in batches]
    if rows:
        with db.atomic():
            BatchDownload.insert_many(rows).execute()


def mark_handed_over(batch_ids: Iterable[int]) -> int:
    """Mark batches as handed over (already marked ones keep their first date); returns new marks."""
    ids = sorted(set(batch_ids))
    with db.atomic():
        known = {b for (b,) in BatchHandover.select(BatchHandover.batch)
                 .where(BatchHandover.batch.in_(ids)).tuples()}
        now = utcnow()
        fresh = [{"batch": i, "at": now} for i in ids if i not in known]
        if fresh:
            BatchHandover.insert_many(fresh).execute()
    return len(fresh)


def unmark_handed_over(batch_id: int) -> bool:
    return BatchHandover.delete().where(BatchHandover.batch == batch_id).execute() > 0


@dataclass(frozen=True)
class HandoverState:
    handed_over: datetime | None
    last_download: datetime | None
    downloads: int
    # An older version of the same report went to the advisor: reverse it before this one.
    earlier_handed_over: Batch | None


def states(batches: Iterable[Batch]) -> dict[int, HandoverState]:
    """The hand-over state of each batch, in three queries whatever their number."""
    batches = list(batches)
    ids = [b.id for b in batches]
    handed = dict(BatchHandover.select(BatchHandover.batch, BatchHandover.at)
                  .where(BatchHandover.batch.in_(ids)).tuples())
    downloads = {b: (n, at) for b, n, at in
                 BatchDownload.select(BatchDownload.batch, fn.COUNT(BatchDownload.id),
                                      fn.MAX(BatchDownload.at))
                 .where(BatchDownload.batch.in_(ids)).group_by(BatchDownload.batch).tuples()}
    earlier = _earlier_handed_over(batches)
    out = {}
    for b in batches:
        count, last = downloads.get(b.id, (0, None))
        out[b.id] = HandoverState(_as_datetime(handed.get(b.id)), _as_datetime(last), count,
                                  None if b.id in handed else earlier.get(b.id))
    return out


def _as_datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value  # type: ignore[return-value]
    return datetime.fromisoformat(str(value))


def _earlier_handed_over(batches: list[Batch]) -> dict[int, Batch]:
    """For each batch, the newest lower version of its report that was handed over."""
    reports = {b.report_id for b in batches}
    handed = list(Batch.select(Batch).join(BatchHandover, on=(BatchHandover.batch == Batch.id))
                  .where(Batch.report.in_(list(reports))).order_by(Batch.version))
    out: dict[int, Batch] = {}
    for b in batches:
        older = [h for h in handed if h.report_id == b.report_id and h.version < b.version]
        if older:
            out[b.id] = older[-1]
    return out


def needs_reversal(batches: Iterable[Batch]) -> list[tuple[Batch, Batch]]:
    """(batch, the earlier version handed over) for each batch that replaces one in the advisor's books."""
    batches = list(batches)
    found = states(batches)
    return [(b, found[b.id].earlier_handed_over) for b in batches  # type: ignore[misc]
            if found[b.id].earlier_handed_over is not None]


def downloads(batch_id: int) -> list[BatchDownload]:
    """What left of one batch version, newest first."""
    return list(BatchDownload.select().where(BatchDownload.batch == batch_id)
                .order_by(BatchDownload.at.desc(), BatchDownload.id.desc()))


def not_handed_over(files: Iterable[BatchFileRow]) -> list[BatchFileRow]:
    """The files whose batch has not been marked handed over."""
    files = list(files)
    handed = {b for (b,) in BatchHandover.select(BatchHandover.batch)
              .where(BatchHandover.batch.in_([f.batch_id for f in files])).tuples()}
    return [f for f in files if f.batch_id not in handed]
