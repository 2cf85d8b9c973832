"""Dates as a German bookkeeper writes them: four-digit years, never ISO.

flask-babel's `dateformat`/`datetimeformat` filters are replaced by versions whose
"short" format keeps the locale's order but writes the year with four digits
(de: 01.03.2026 and 01.03.2026, 14:18; en: 3/1/2026). Other formats pass through. A date
stored as an ISO string (e.g. in a batch's JSON diff) goes through `isodate`. A
date-only value is always shown without a time.
"""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from flask import Flask
from flask_babel import format_date, format_datetime, format_time, get_locale


def _short_date_pattern() -> str:
    locale = get_locale() or Locale.parse("en")
    pattern = locale.date_formats["short"].pattern
    return pattern.replace("yyyy", "y").replace("yy", "y").replace("y", "yyyy")


def dateformat(value: date | datetime | None, format: str | None = None) -> str:
    if value is None:
        return ""
    if format in (None, "short"):
        return format_date(value, _short_date_pattern())
    return format_date(value, format)


def datetimeformat(value: datetime | None, format: str | None = None) -> str:
    if value is None:
        return ""
    if format in (None, "short"):
        if not isinstance(value, datetime):  # a date has no time to show
            return dateformat(value)
        locale = get_locale() or Locale.parse("en")
        glue = str(locale.datetime_formats["short"])
        return glue.replace("{1}", format_date(value, _short_date_pattern())).replace(
            "{0}", format_time(value, "short"))
    return format_datetime(value, format)


def isodate(value: str | None, format: str | None = None) -> str:
    """"2026-03-05" (as stored in JSON) in the reader's format."""
    if not value:
        return ""
    return dateformat(date.fromisoformat(value[:10]), format)


def init_app(app: Flask) -> None:
    # Registered after flask-babel, so these win over its filters of the same names.
    app.jinja_env.filters["dateformat"] = dateformat
    app.jinja_env.filters["datetimeformat"] = datetimeformat
    app.jinja_env.filters["isodate"] = isodate
