"""A batch's booking journal: one booking traced back to the report lines it sums."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint

from core import journal
from core.models import Batch
from webapp.htmx import render
from webapp.view_helpers import get_or_404

bp = Blueprint("journal", __name__, url_prefix="/batches")


@bp.route("/<int:batch_id>/bookings/<int:file_no>/<int:row_no>")
def booking_lines(batch_id: int, file_no: int, row_no: int):
    batch = get_or_404(Batch, batch_id)
    trace = journal.source_lines(batch, file_no, row_no)
    line_sum = sum((line.amount for line in trace.lines), Decimal("0.00")) if trace else None
    return render("journal/lines.html", batch=batch, trace=trace, line_sum=line_sum)
