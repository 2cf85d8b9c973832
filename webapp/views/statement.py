"""A settlement's statement as a print view (the browser saves it as PDF)."""

from __future__ import annotations

from flask import Blueprint, abort

from core import statement
from core.models import Report
from core.reports.model import Kind
from webapp.htmx import render
from webapp.view_helpers import get_or_404

bp = Blueprint("statement", __name__, url_prefix="/reports")


@bp.route("/<int:report_id>/statement")
def show(report_id: int):
    report = get_or_404(Report, report_id)
    if report.kind != Kind.SETTLEMENT:  # a statement is the Beleg of a payout
        abort(404)
    return render("reports/statement.html", report=report, groups=statement.statement_groups(report))
