"""Which settlements a date range selects: those whose end date falls within it.

As Connex's order previewer explains it (docs/quickbooks.md): with settlements 12/30–1/13
and 1/13–1/27, the range 1/13–1/27 selects the one ending 1/27 (and, since 1/13 is in the
range too, the one ending 1/13); the range 1/13–1/26 selects only the one ending 1/13.
Both ends of the range count; end dates are the UTC days of Amazon's settlement end.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from core.models import Report
from core.reports.model import Kind

SETTLEMENT = str(Kind.SETTLEMENT)

MAX_DAYS = 366 * 2  # a longer range is most likely a typo; the page asks for a shorter one


def settlements_ending_between(first: date, last: date) -> list[Report]:
    """Current settlement reports whose end date is on or after `first` and on or before `last`."""
    if last < first:
        first, last = last, first
    begin = datetime.combine(first, time.min)
    stop = datetime.combine(last + timedelta(days=1), time.min)
    return list(Report.select()
                .where(Report.kind == SETTLEMENT, Report.status == "current",
                       Report.period_end >= begin, Report.period_end < stop)
                .order_by(Report.period_end, Report.id))


def nearest_outside(first: date, last: date) -> tuple[Report | None, Report | None]:
    """The settlements ending closest before `first` and after `last`, for an empty range."""
    begin = datetime.combine(first, time.min)
    stop = datetime.combine(last + timedelta(days=1), time.min)
    current = (Report.kind == SETTLEMENT) & (Report.status == "current")
    before = (Report.select().where(current, Report.period_end < begin)
              .order_by(Report.period_end.desc()).first())
    after = (Report.select().where(current, Report.period_end >= stop)
             .order_by(Report.period_end).first())
    return before, after


def latest_settlement() -> Report | None:
    """The current settlement that ended last: the previewer's range when none is given."""
    return (Report.select().where(Report.kind == SETTLEMENT, Report.status == "current",
                                  Report.period_end.is_null(False))
            .order_by(Report.period_end.desc()).first())


def any_settlement() -> bool:
    return Report.select().where(Report.kind == SETTLEMENT).exists()
