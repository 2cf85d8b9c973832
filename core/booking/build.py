"""The two calls the web layer and the tasks need: build a report's batch, write it checked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.booking.errors import BookingError
from core.booking.orders import build_orders
from core.booking.payout import build_payout
from core.datev import messages as m
from core.datev.accounts import AccountSet
from core.datev.batch import BatchFile
from core.datev.settings import DatevSettings
from core.datev.validate import Violation, validate
from core.reports.model import Kind, ParsedReport


def build_batch(
    report: ParsedReport, settings: DatevSettings, accounts: AccountSet,
    skip_months: Mapping[str, str] | None = None,
) -> list[BatchFile]:
    """Amazon Payout files for a settlement, Amazon Order files for a VAT report (without
    the months `skip_months` says another, overlapping report books)."""
    if report.kind == Kind.SETTLEMENT:
        return build_payout(report, settings, accounts)
    if report.kind == Kind.VAT_TRANSACTIONS:
        return build_orders(report, settings, accounts, skip_months=skip_months)
    raise BookingError(
        "wrong_kind", m.REPORT_WRONG_KIND, key=report.key, kind=report.kind,
        expected=f"{Kind.SETTLEMENT.value} / {Kind.VAT_TRANSACTIONS.value}",
    )


@dataclass(frozen=True)
class WrittenFile:
    """A file's bytes and what the validator found; offer it only when `ok`."""

    batch: BatchFile
    data: bytes
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def filename(self) -> str:
        return self.batch.filename


def write_checked(files: Sequence[BatchFile], created_at: datetime) -> list[WrittenFile]:
    """Render every file and re-read it with the validator (docs/datev.md: never offer a bad file)."""
    written = []
    for batch in files:
        data = batch.to_bytes(created_at)
        written.append(WrittenFile(batch, data, tuple(validate(data))))
    return written
