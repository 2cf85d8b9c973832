"""A report's readable name: "Abrechnung 87886501365", "USt-Transaktionsbericht Februar 2026",
"Zeitraumbericht 02.02.2026–28.02.2026".

Dates are the report's own calendar dates, never shifted into another time zone (a VAT
report of February starts on 1 February wherever the reader is).
"""

from __future__ import annotations

from babel.dates import format_date
from flask import Flask
from flask_babel import get_locale, gettext

from core.models import Report


def report_name(report: Report) -> str:
    locale = get_locale()
    if report.kind == "settlement":
        return gettext("Settlement %(id)s", id=report.key)
    if report.kind == "vat_transactions" and report.period_start:
        month = format_date(report.period_start.date(), "LLLL yyyy", locale=locale)
        return gettext("VAT Transactions Report %(month)s", month=month)
    if report.kind == "date_range" and report.period_start and report.period_end:
        return gettext("Date range report %(start)s–%(end)s",
                       start=format_date(report.period_start.date(), "medium", locale=locale),
                       end=format_date(report.period_end.date(), "medium", locale=locale))
    return f"{report.kind} {report.key}"


def init_app(app: Flask) -> None:
    app.add_template_global(report_name)
