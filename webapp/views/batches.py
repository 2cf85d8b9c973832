"""Booking batches: the list, building and regenerating, and downloads (one file or a ZIP)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from io import BytesIO

from flask import Blueprint, abort, flash, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from core import batches, report_queries
from core.models import Batch, BatchFileRow, Report
from core.reports.model import BOOKABLE_KINDS
from tasks import batches as batch_tasks
from webapp.htmx import fragment, redirect_to, render, wants_fragment
from webapp.view_helpers import get_or_404

bp = Blueprint("batches", __name__, url_prefix="/batches")


@bp.route("/")
def index():
    year = request.args.get("year", "")
    status = request.args.get("status", "")
    rows = batches.current_batches(int(year) if year.isdigit() else None, status)
    outdated = len(report_queries.outdated_report_ids())
    today = date.today()
    return render("batches/index.html", rows=rows, year=year, status=status, outdated=outdated,
                  default_month=f"{today.year}-{today.month:02d}")


@bp.route("/report/<int:report_id>/build", methods=["POST"])
def build(report_id: int):
    report = get_or_404(Report, report_id)
    if report.kind not in BOOKABLE_KINDS:
        abort(400)
    result = batches.build_recorded(report.id)
    report = Report.get_by_id(report_id)
    if wants_fragment() and request.form.get("view") == "row":  # the batch list's row
        return fragment("batches/_row.html", batch=result.batch, report=report,
                      diff=result.diff, just_built=True)
    if wants_fragment():
        return fragment("batches/_report_batch.html", report=report,
                      batch=result.batch, versions=batches.batch_versions(report_id), diff=result.diff,
                      just_built=True)
    if result.diff is not None:
        flash(_("Regenerated: %(added)s bookings added, %(removed)s removed, %(changed)s changed.",
                added=result.diff["added"], removed=result.diff["removed"], changed=result.diff["changed"]),
              "success")
    else:
        flash(_("The booking batch is built."), "success")
    return redirect_to(url_for("reports.detail", report_id=report_id) + "#batch")


@bp.route("/regenerate-outdated", methods=["POST"])
def regenerate_outdated():
    ids = report_queries.outdated_report_ids()
    for report_id in ids:
        batch_tasks.enqueue_build(report_id)
    flash(ngettext("%(num)s outdated batch is being regenerated; the job log shows the result.",
                   "%(num)s outdated batches are being regenerated; the job log shows each result.",
                   len(ids)), "success")
    return redirect_to(url_for("batches.index"))


@bp.route("/<int:batch_id>")
def detail(batch_id: int):
    batch = get_or_404(Batch, batch_id)
    return render("batches/detail.html", batch=batch, report=batch.report,
                  versions=batches.batch_versions(batch.report_id))


@bp.route("/files/<int:file_id>")
def download(file_id: int):
    stored = get_or_404(BatchFileRow, file_id)
    if stored.violation_list:
        # A file that breaks a DATEV rule is shown, never offered (docs/datev.md).
        return render("batches/blocked.html", file=stored, batch=stored.batch), 409
    return send_file(BytesIO(bytes(stored.data)), as_attachment=True, download_name=stored.filename,
                     mimetype="text/csv")


@bp.route("/<int:batch_id>/zip")
def download_batch(batch_id: int):
    """All files of one batch version (a settlement across a month end has several)."""
    batch = get_or_404(Batch, batch_id)
    files = list(batch.files)
    if any(f.violation_list for f in files) or not files:
        return render("batches/blocked.html", file=next((f for f in files if f.violation_list), None),
                      batch=batch), 409
    name = f"EXTF_Buchungsstapel_{batch.report.key}_v{batch.version}.zip"
    return send_file(BytesIO(batches.zip_files(files)), as_attachment=True, download_name=name,
                     mimetype="application/zip")


def _period() -> tuple[date, date] | None:
    month = request.args.get("month", "")
    try:
        if month:
            year, number = (int(part) for part in month.split("-"))
            return date(year, number, 1), date(year, number, monthrange(year, number)[1])
        return date.fromisoformat(request.args["from"]), date.fromisoformat(request.args["to"])
    except (KeyError, ValueError):
        return None


@bp.route("/zip")
def download_zip():
    period = _period()
    if period is None or period[0] > period[1]:
        flash(_("Choose a month, or a start and an end date."), "error")
        return redirect_to(url_for("batches.index"))
    files = batches.files_between(*period)
    blocked = [f for f in files if f.violation_list]
    if blocked:
        flash(ngettext("%(num)s file in this period breaks a DATEV rule and is not offered; open it to see why.",
                       "%(num)s files in this period break a DATEV rule and are not offered; open them to see why.",
                       len(blocked)), "error")
        return redirect_to(url_for("batches.index"))
    if not files:
        flash(_("There are no booking batches between %(start)s and %(end)s.",
                start=period[0].isoformat(), end=period[1].isoformat()), "warning")
        return redirect_to(url_for("batches.index"))
    name = f"EXTF_Buchungsstapel_{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.zip"
    return send_file(BytesIO(batches.zip_files(files)), as_attachment=True, download_name=name,
                     mimetype="application/zip")
