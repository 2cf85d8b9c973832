"""Marking batches as handed over to the tax advisor (one batch, or every batch of a month)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from flask import Blueprint, flash, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from core import handover
from core.models import Batch
from core.period_export import period_export
from webapp.htmx import redirect_to
from webapp.view_helpers import get_or_404, safe_next

bp = Blueprint("handover", __name__, url_prefix="/batches")


def _back(batch: Batch) -> str:
    return safe_next(request.form.get("next"), url_for("batches.detail", batch_id=batch.id))


@bp.route("/<int:batch_id>/handed-over", methods=["POST"])
def mark(batch_id: int):
    batch = get_or_404(Batch, batch_id)
    handover.mark_handed_over([batch.id])
    flash(_("Version %(n)s of %(key)s is marked as handed over to the tax advisor.",
            n=batch.version, key=batch.report.key), "success")
    return redirect_to(_back(batch))


@bp.route("/<int:batch_id>/handed-over/undo", methods=["POST"])
def unmark(batch_id: int):
    batch = get_or_404(Batch, batch_id)
    handover.unmark_handed_over(batch.id)
    flash(_("Version %(n)s of %(key)s is no longer marked as handed over.",
            n=batch.version, key=batch.report.key), "success")
    return redirect_to(_back(batch))


@bp.route("/handed-over/month", methods=["POST"])
def mark_month():
    try:
        year, number = (int(part) for part in request.form.get("month", "").split("-"))
        first, last = date(year, number, 1), date(year, number, monthrange(year, number)[1])
    except ValueError:
        flash(_("Choose a month."), "error")
        return redirect_to(url_for("batches.index"))
    # The batches the month's ZIP holds: valid, up to date (core.period_export).
    ids = {f.batch_id for f in period_export(first, last).files}
    marked = handover.mark_handed_over(ids)
    flash(ngettext("%(num)s batch of %(month)s is marked as handed over.",
                   "%(num)s batches of %(month)s are marked as handed over.", marked,
                   month=format_date(first, "MMMM yyyy")), "success")
    return redirect_to(url_for("batches.index"))


@bp.app_template_global()
def batch_downloads(batch: Batch) -> list:
    return handover.downloads(batch.id)


@bp.app_template_global()
def handover_state(batch: Batch) -> handover.HandoverState:
    """For templates that show one batch (a list passes `handover_states` for all its rows)."""
    return handover.states([batch])[batch.id]
