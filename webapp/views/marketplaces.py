"""Marketplaces: every marketplace seen in a report, with its reports and its account rules."""

from flask import Blueprint

from core import booking_settings, report_queries
from webapp.htmx import render

bp = Blueprint("marketplaces", __name__, url_prefix="/marketplaces")


@bp.route("/")
def index():
    counts = report_queries.counts_by_marketplace()
    own = booking_settings.load_accounts().marketplaces
    markets = [(name, counts[name], bool(own.get(name.lower()))) for name in sorted(counts)]
    return render("marketplaces/index.html", markets=markets)
