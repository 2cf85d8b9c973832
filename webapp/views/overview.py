"""The overview: what arrived lately and what needs the bookkeeper's attention."""

from flask import Blueprint

from core import amazon, jobs, report_queries
from webapp.htmx import render

bp = Blueprint("overview", __name__)


@bp.route("/overview")
def index():
    connection = amazon.current()
    return render("overview/index.html", recent=report_queries.recent_imports(8),
                  attention=report_queries.needing_attention(20), recent_jobs=jobs.recent(5),
                  connection=connection,
                  secret_days_left=amazon.secret_days_left(connection) if connection else None)
