"""Booking batches: the list, building and regenerating, and downloads (one file or a ZIP)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from io import BytesIO

from flask import Blueprint, abort, flash, request, send_file, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from core import batches, report_queries
from core.models import Batch, BatchFileRow, Report
from core.period_export import period_export, zip_bytes
from core.reports.model import BOOKABLE_KINDS
from tasks import batches as batch_tasks
from webapp.htmx import fragment, redirect_to, render, wants_fragment
from webapp.messages import missing_name, missing_reason
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
    """Build or regenerate in the background; the page polls `build_status` for progress."""
    report = get_or_404(Report, report_id)
    if report.kind not in BOOKABLE_KINDS or report.status != "current":
        abort(400)
    batch_tasks.enqueue_build(report.id)
    if wants_fragment():
        return build_status(report_id)
    flash(_("The booking batch is being built; this page shows it when it is ready."), "success")
    return redirect_to(url_for("reports.detail", report_id=report_id) + "#batch")


@bp.route("/report/<int:report_id>/build-status")
def build_status(report_id: int):
    """The batch block (or row) of a report: progress while building, then the result."""
    report = get_or_404(Report, report_id)
    view = request.values.get("view", "")
    building = report.build_requested is not None
    outcome = None if building else batch_tasks.last_result(report_id)
    batch = batches.current_batch(report_id)
    just_built = outcome is not None and batch is not None and outcome.get("batch_id") == batch.id
    context = dict(report=report, batch=batch, building=building, view=view,
                   progress=batch_tasks.progress(report_id) if building else None,
                   diff=batch.diff_summary if just_built and not outcome.get("unchanged") else None,
                   unchanged=just_built and outcome.get("unchanged"), just_built=just_built)
    if view == "row":  # the batch list's row
        return fragment("batches/_row.html", **context)
    return fragment("batches/_report_batch.html", versions=batches.batch_versions(report_id), **context)


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
    """Every report of the period, or a page naming those without a valid batch (409);
    with missing=list the ZIP goes out anyway, listing them in FEHLT.txt."""
    period = _period()
    if period is None or period[0] > period[1]:
        flash(_("Choose a month, or a start and an end date."), "error")
        return redirect_to(url_for("batches.index"))
    export = period_export(*period)
    if not export.files and not export.missing:
        flash(_("There are no booking batches between %(start)s and %(end)s.",
                start=format_date(period[0]), end=format_date(period[1])), "warning")
        return redirect_to(url_for("batches.index"))
    go_ahead = request.args.get("missing") == "list"
    if export.missing and not go_ahead:
        return render("batches/zip_incomplete.html", export=export,
                      with_list=url_for("batches.download_zip", **{**request.args, "missing": "list"})), 409
    name = f"EXTF_Buchungsstapel_{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.zip"
    return send_file(BytesIO(zip_bytes(export, _missing_text)), as_attachment=True, download_name=name,
                     mimetype="application/zip")


def _missing_text(export) -> str:
    """FEHLT.txt, in the user's language: which reports of the period are not in the ZIP, and why."""
    lines = [_("These reports of %(start)s – %(end)s have no valid booking batch and are NOT in this ZIP:",
               start=format_date(export.first), end=format_date(export.last)), ""]
    for item in export.missing:
        lines.append(f"- {missing_name(item)}: {missing_reason(item)}")
    return "\r\n".join(lines) + "\r\n"
