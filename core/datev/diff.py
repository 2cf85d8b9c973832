"""What changed between two versions of a batch ("Regenerate with current settings").

Bookings are matched by what they book, not how: day, document (Belegfeld 1),
marketplace, the rule that produced them (sales, refunds, selling fees …; it travels in
the file as Beleginfo), currency and EU destination. So a new fee account or tax key
shows as a *changed* booking, a new granularity as removed + added. Totals per account
(debit positive) before and after let the UI show the effect at a glance.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from core.datev.batch import BatchFile
from core.datev.booking import Booking

BookingKey = tuple[date, str, str, str, str, str, Decimal | None, int]
# Fields compared for "changed"; the key fields are equal by construction.
_COMPARED = tuple(
    f.name for f in fields(Booking)
    if f.compare and f.name not in ("date", "document", "marketplace", "rule", "source")
)


@dataclass(frozen=True)
class BookingChange:
    old: Booking
    new: Booking
    fields: tuple[str, ...]  # names of the Booking fields that differ


@dataclass(frozen=True)
class AccountTotal:
    account: str
    currency: str
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class BatchDiff:
    added: tuple[Booking, ...]
    removed: tuple[Booking, ...]
    changed: tuple[BookingChange, ...]
    unchanged: int
    totals: tuple[AccountTotal, ...]  # every account touched by either version
    files_before: tuple[str, ...]
    files_after: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def changed_totals(self) -> tuple[AccountTotal, ...]:
        return tuple(t for t in self.totals if t.difference)


def booking_key(booking: Booking, occurrence: int = 0) -> BookingKey:
    # Files from before rules were recorded fall back to the booking text.
    what = booking.rule or booking.text
    return (booking.date, booking.document, booking.marketplace.lower(), what,
            booking.currency, booking.eu_country, booking.eu_rate, occurrence)


def _keyed(bookings: Iterable[Booking]) -> dict[BookingKey, Booking]:
    seen: Counter[BookingKey] = Counter()
    out: dict[BookingKey, Booking] = {}
    for booking in bookings:
        base = booking_key(booking)
        out[booking_key(booking, seen[base])] = booking
        seen[base] += 1
    return out


def diff_batches(old: Sequence[BatchFile], new: Sequence[BatchFile]) -> BatchDiff:
    before = _keyed(b for f in old for b in f.bookings)
    after = _keyed(b for f in new for b in f.bookings)
    changed: list[BookingChange] = []
    unchanged = 0
    for key in before.keys() & after.keys():
        differing = tuple(n for n in _COMPARED if getattr(before[key], n) != getattr(after[key], n))
        if differing:
            changed.append(BookingChange(before[key], after[key], differing))
        else:
            unchanged += 1
    return BatchDiff(
        added=tuple(after[k] for k in sorted(after.keys() - before.keys(), key=_sortable)),
        removed=tuple(before[k] for k in sorted(before.keys() - after.keys(), key=_sortable)),
        changed=tuple(sorted(changed, key=lambda c: _sortable(booking_key(c.new)))),
        unchanged=unchanged,
        totals=_totals(old, new),
        files_before=tuple(f.filename for f in old),
        files_after=tuple(f.filename for f in new),
    )


def _sortable(key: BookingKey) -> tuple[object, ...]:
    return tuple("" if part is None else str(part) for part in key)


def account_totals(files: Iterable[BatchFile]) -> dict[tuple[str, str], Decimal]:
    """Net debit per (account, currency) over all bookings of the files."""
    totals: dict[tuple[str, str], Decimal] = defaultdict(lambda: Decimal("0.00"))
    for f in files:
        for b in f.bookings:
            totals[(b.account, b.currency)] += b.signed(b.account)
            totals[(b.contra_account, b.currency)] += b.signed(b.contra_account)
    return dict(totals)


def _totals(old: Iterable[BatchFile], new: Iterable[BatchFile]) -> tuple[AccountTotal, ...]:
    before, after = account_totals(old), account_totals(new)
    zero = Decimal("0.00")
    return tuple(
        AccountTotal(account, currency, before.get((account, currency), zero),
                     after.get((account, currency), zero))
        for account, currency in sorted(before.keys() | after.keys())
    )
