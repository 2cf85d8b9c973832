"""The overview: what arrived lately and what needs the bookkeeper's attention."""

from flask import Blueprint

from core import jobs, report_queries
from webapp.htmx import render

bp = Blueprint("overview", __name__)


@bp.route("/overview")
def index():
    return render("overview/index.html", recent=report_queries.recent_imports(8),
                  attention=report_queries.needing_attention(20), recent_jobs=jobs.recent(5))
