"""A settlement's statement as a print view (the browser saves it as PDF)."""

from __future__ import annotations

from flask import Blueprint, abort

from core import statement
from core.models import Report
from webapp.htmx import render

bp = Blueprint("statement", __name__, url_prefix="/reports")


@bp.route("/<int:report_id>/statement")
def show(report_id: int):
    report = Report.get_or_none(Report.id == report_id)
    if report is None or report.kind != "settlement":
        abort(404)
    return render("reports/statement.html", report=report, groups=statement.statement_groups(report))
