"""Booking dates: Amazon's UTC timestamps read as local days, and the periods of a batch."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def local_date(moment: datetime, zone: ZoneInfo) -> date:
    """The day in the user's time zone: 23:30 UTC on 31 March is 1 April in Berlin."""
    if moment.tzinfo is None:  # the report model promises UTC; be safe with naive values
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def fiscal_year_start(day: date, start_month: int) -> date:
    year = day.year if day.month >= start_month else day.year - 1
    return date(year, start_month, 1)


def period_of(day: date, start_month: int, split_months: bool) -> tuple[date, int, int]:
    """The batch a day belongs to: never across a calendar or fiscal year, by month if set."""
    return (fiscal_year_start(day, start_month), day.year, day.month if split_months else 0)
