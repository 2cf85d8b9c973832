"""Reports: the list with its tabs and filters, uploads, a report's detail, download, delete."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, current_app, flash, request, send_file, url_for
from flask_babel import gettext as _

from core import batches, jobs, report_queries, vat_months
from core.imports import delete_report, original_file
from core.models import Report
from core.reports.model import Kind
from core.uploads import queue, safe_filename
from tasks import uploads as upload_tasks
from webapp import multipart
from webapp.htmx import fragment, redirect_to, render
from webapp.view_helpers import get_or_404

bp = Blueprint("reports", __name__, url_prefix="/reports")


def _int(name: str, default: int | None = None) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else default


@bp.route("/")
def index():
    kind = request.args.get("kind", "")
    if kind not in set(Kind):
        kind = Kind.SETTLEMENT.value
    status = request.args.get("status", "")
    filters = report_queries.ReportFilter(
        kind=kind, marketplace=request.args.get("marketplace", ""),
        status=status if status in report_queries.STATUSES else "",
        year=_int("year"), page=_int("page", 1) or 1,
    )
    page = report_queries.list_reports(filters)
    marketplaces, years = report_queries.filter_choices(kind)
    return render("reports/index.html", "reports/_list.html", page=page, filters=filters,
                  marketplaces=marketplaces, years=years, counts=report_queries.counts_by_kind(),
                  statuses=report_queries.STATUSES)


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    queued, refused = [], None
    if request.method == "POST":
        files = [f for f in request.files.getlist("files") if f and f.filename]
        if not files:
            refused = _("Choose one or more report files first.")
        elif len(files) > current_app.config["MAX_FILES"]:
            refused = multipart.too_many_files_message()
            files = []
        for storage in files:
            upload = queue(storage.filename, storage.read())
            queued.append(upload.id)
            upload_tasks.enqueue(upload.id)
    # After a POST the new files; on a page load the recent ones, still polling if running.
    items = report_queries.uploads(queued) if request.method == "POST" else report_queries.recent_uploads()
    return render("reports/upload.html", "reports/_uploads.html", uploads=items, refused=refused,
                  max_mb=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024))


@bp.route("/uploads/<int:upload_id>")
def upload_status(upload_id: int):
    items = report_queries.uploads([upload_id])
    if not items:
        abort(404)
    return fragment("reports/_upload.html", upload=items[0],
                  progress=upload_tasks.progress(upload_id))


@bp.route("/<int:report_id>")
def detail(report_id: int):
    report = get_or_404(Report, report_id)
    lines = report_queries.report_lines(report_id)
    return render("reports/detail.html", report=report, lines=lines, search="",
                  unmapped_only=False, versions=report_queries.versions(report),
                  **_batch_context(report_id))


def _batch_context(report_id: int) -> dict:
    return {"batch": batches.current_batch(report_id), "batch_versions": batches.batch_versions(report_id),
            "overlap": vat_months.month_table(Report.get_by_id(report_id))}


@bp.route("/<int:report_id>/months", methods=["POST"])
def choose_month(report_id: int):
    """Which of several overlapping VAT reports books a month (docs/tax-rules.md §6)."""
    report = get_or_404(Report, report_id)
    month, key = request.form.get("month", ""), request.form.get("report_key", "")
    table = dict(vat_months.month_table(report))
    if month not in table or key not in {k for k, _owner in table[month]}:
        flash(_("Choose one of the reports that cover the month."), "error")
        return redirect_to(url_for("reports.detail", report_id=report_id))
    vat_months.choose(vat_months.account_of(report.key), month, key)
    # Rebuild every affected batch now, so no month is ever offered twice.
    for affected in [report, *vat_months.overlapping(report)]:
        if batches.current_batch(affected.id) is not None:
            batches.build_recorded(affected.id)
    flash(_("%(month)s is now booked by report %(key)s; the batches were rebuilt.",
            month=month, key=key), "success")
    return redirect_to(url_for("reports.detail", report_id=report_id))


@bp.route("/<int:report_id>/lines")
def lines(report_id: int):
    report = get_or_404(Report, report_id)
    search = request.args.get("q", "")[:100]
    unmapped_only = request.args.get("unmapped") == "1"
    page = report_queries.report_lines(report_id, search, unmapped_only, _int("page", 1) or 1)
    return render("reports/detail.html", "reports/_lines.html", report=report, lines=page,
                  search=search, unmapped_only=unmapped_only,
                  versions=report_queries.versions(report), **_batch_context(report_id))


@bp.route("/<int:report_id>/file")
def download(report_id: int):
    get_or_404(Report, report_id)
    filename, data = original_file(report_id)
    # Names stored before they were cleaned on upload may hold CR/LF: never into a header.
    return send_file(BytesIO(data), as_attachment=True, download_name=safe_filename(filename),
                     mimetype="text/plain")


@bp.route("/<int:report_id>/delete", methods=["POST"])
def delete(report_id: int):
    report = get_or_404(Report, report_id)
    with jobs.recorded("delete_report", report.filename or report.key) as job:
        delete_report(report_id)
        jobs.finish(job, "ok", "report_deleted", kind=report.kind, key=report.key,
                    version=report.version)
    flash(_("The report %(key)s was deleted.", key=report.key), "success")
    return redirect_to(url_for("reports.index", kind=report.kind))
