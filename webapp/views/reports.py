"""Reports: the list with its tabs and filters, uploads, a report's detail, download, delete."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, current_app, flash, request, send_file, url_for
from flask_babel import gettext as _
from peewee import DatabaseError

from core import batches, jobs, report_queries, vat_months
from core.db import is_disk_full
from core.imports import delete_report, original_file
from core.imports import promote as promote_version
from core.models import Report
from core.reports.model import BOOKABLE_KINDS, Kind
from core.uploads import queue, retry, safe_filename
from tasks import batches as batch_tasks
from tasks import uploads as upload_tasks
from webapp import multipart
from webapp.htmx import fragment, redirect_to, render, wants_fragment
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
            try:
                upload = queue(storage.filename, storage.read())
            except DatabaseError as exc:
                if not is_disk_full(exc):
                    raise
                refused = _("%(filename)s could not be received: the disk is full. Free some space, "
                            "then upload it again.", filename=safe_filename(storage.filename))
                continue
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


@bp.route("/uploads/<int:upload_id>/retry", methods=["POST"])
def retry_upload(upload_id: int):
    """Import an upload again that failed because the disk was full."""
    if retry(upload_id):
        upload_tasks.enqueue(upload_id)
    if not wants_fragment():
        return redirect_to(url_for("reports.upload"))
    return upload_status(upload_id)


@bp.route("/<int:report_id>")
def detail(report_id: int):
    report = get_or_404(Report, report_id)
    lines = report_queries.report_lines(report_id)
    return render("reports/detail.html", report=report, lines=lines, search="",
                  unmapped_only=False, versions=report_queries.versions(report),
                  changes=report_queries.version_changes(report), **_batch_context(report_id))


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


@bp.route("/<int:report_id>/promote", methods=["POST"])
def promote(report_id: int):
    """Make a candidate or superseded version current by hand, then build its batch."""
    report = get_or_404(Report, report_id)
    with jobs.recorded("promote_report", report.filename or report.key) as job:
        promote_version(report_id)
        jobs.finish(job, "ok", "report_promoted", key=report.key, version=report.version)
    if report.kind in BOOKABLE_KINDS:
        batch_tasks.enqueue_build(report_id)
    flash(_("Version %(n)s of %(key)s is the current one now.", n=report.version, key=report.key),
          "success")
    return redirect_to(url_for("reports.detail", report_id=report_id))


@bp.route("/<int:report_id>/delete", methods=["POST"])
def delete(report_id: int):
    report = get_or_404(Report, report_id)
    with jobs.recorded("delete_report", report.filename or report.key) as job:
        delete_report(report_id)
        jobs.finish(job, "ok", "report_deleted", kind=report.kind, key=report.key,
                    version=report.version)
    flash(_("The report %(key)s was deleted.", key=report.key), "success")
    return redirect_to(url_for("reports.index", kind=report.kind))
