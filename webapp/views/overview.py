from flask import Blueprint

from core import jobs
from webapp.htmx import render

bp = Blueprint("overview", __name__)


@bp.route("/overview")
def index():
    return render("overview/index.html", recent_jobs=jobs.recent(5))
