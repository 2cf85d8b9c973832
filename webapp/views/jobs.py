"""The job log ("Protokoll"): what ran in the background and how it ended."""

from flask import Blueprint

from core import jobs
from webapp.htmx import render

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.route("/")
def index():
    return render("jobs/index.html", "jobs/_table.html", jobs=jobs.recent(200), poll=True)
