"""The overview: the checklist until done, figures per month, what arrived lately and what
needs the bookkeeper's attention."""

from zoneinfo import ZoneInfo

from flask import Blueprint, request
from flask_babel import get_timezone

from core import amazon, checklist, figures, jobs, report_queries
from webapp import charts
from webapp.htmx import render

bp = Blueprint("overview", __name__)


@bp.route("/overview")
def index():
    currencies, marketplaces = figures.choices()
    currency = request.args.get("currency", "")
    currency = currency if currency in currencies else (currencies[0] if currencies else "")
    marketplace = request.args.get("marketplace", "")
    marketplace = marketplace if marketplace in marketplaces else ""
    months = figures.monthly(currency, marketplace, zone=ZoneInfo(str(get_timezone()))) if currency else []
    recent = report_queries.recent_imports(8)
    connection = amazon.current()
    return render(
        "overview/index.html", recent=recent, recent_state=figures.last_imports_state(recent),
        attention=report_queries.needing_attention(20), recent_jobs=jobs.recent(5),
        connection=connection,
        secret_days_left=amazon.secret_days_left(connection) if connection else None,
        checklist=checklist.open_steps(), placeholder=checklist.PLACEHOLDER,
        figures=months, currency=currency, currencies=currencies, marketplace=marketplace,
        marketplaces=marketplaces, series=figures.SERIES,
        money_chart=charts.bar_chart([(key, [getattr(m, key) for m in months]) for key in figures.SERIES]),
        ratio_chart=charts.line_chart([m.fee_ratio for m in months]),
    )
