"""Marketplaces: every marketplace seen in a report, with its reports and its account rules."""

from flask import Blueprint

from core import booking_settings
from core.models import Report
from core.reports.model import Kind
from webapp.htmx import render

bp = Blueprint("marketplaces", __name__, url_prefix="/marketplaces")


@bp.route("/")
def index():
    counts: dict[str, dict[str, int]] = {}
    rows = Report.select(Report.kind, Report.marketplaces).where(Report.status == "current").tuples()
    for kind, marketplaces in rows:
        for name in filter(None, marketplaces.split("|")):
            counts.setdefault(name, dict.fromkeys(Kind, 0))[Kind(kind)] += 1
    own = booking_settings.load_accounts().marketplaces
    markets = [(name, counts[name], bool(own.get(name.lower()))) for name in sorted(counts)]
    return render("marketplaces/index.html", markets=markets)
