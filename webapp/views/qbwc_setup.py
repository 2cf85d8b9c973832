"""Connections › QuickBooks Web Connector: its login, the public URL, the .qwc file, and
what each settlement's delivery has reached (with "send again" and picking older ones)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from core.qbwc import access, delivery, qwc
from webapp.htmx import redirect_to, render
from webapp.view_helpers import safe_next
from webapp.views.qbwc import delivery_error_text

bp = Blueprint("qbwc_setup", __name__, url_prefix="/connections/quickbooks")

PROBLEMS = {
    "username_missing": lambda: _("Enter a user name for the Web Connector."),
    "too_short": lambda: _("The password needs at least %(n)s characters.", n=access.MIN_PASSWORD_LENGTH),
    "mismatch": lambda: _("The two passwords differ."),
    "not_a_url": lambda: _("Enter the address settlebook is reached at, e.g. https://books.example.com."),
    "needs_https": lambda: _("The Web Connector accepts only https addresses (plain http only for localhost)."),
}


def _page(errors: dict[str, str] | None = None, form: dict[str, str] | None = None, status: int = 200):
    settings = access.current()
    return render("quickbooks/connector.html", settings=settings, errors=errors or {},
                  form=form or {"username": settings.username, "public_url": settings.public_url},
                  deliveries=delivery.listing(), error_text=delivery_error_text), status


@bp.route("/")
def index():
    return _page()


@bp.route("/login", methods=["POST"])
def save_login():
    form = {"username": request.form.get("username", ""), "public_url": access.current().public_url}
    problem = access.login_problem(form["username"], request.form.get("password", ""),
                                   request.form.get("confirmation", ""))
    if problem:
        return _page({"login": PROBLEMS[problem]()}, form, 422)
    access.set_login(form["username"], request.form["password"])
    flash(_("The Web Connector's login is saved. Settlements imported from now on are sent to QuickBooks."), "success")
    return redirect_to(url_for("qbwc_setup.index"))


@bp.route("/url", methods=["POST"])
def save_url():
    url = request.form.get("public_url", "").strip()
    form = {"username": access.current().username, "public_url": url}
    problem = qwc.url_problem(url)
    if problem:
        return _page({"public_url": PROBLEMS[problem]()}, form, 422)
    access.set_public_url(url)
    flash(_("The address is saved. Download the .qwc file and add it to the Web Connector."), "success")
    return redirect_to(url_for("qbwc_setup.index"))


@bp.route("/settlebook.qwc")
def qwc_file():
    settings = access.current()
    if not settings.public_url or not settings.configured:
        flash(_("Set the Web Connector's login and settlebook's address first."), "error")
        return redirect_to(url_for("qbwc_setup.index"))
    body = qwc.qwc_file(settings.public_url, settings.username, settings.owner_id, settings.file_id)
    return Response(body, content_type="application/xml",
                    headers={"Content-Disposition": 'attachment; filename="settlebook.qwc"'})


@bp.route("/pick", methods=["POST"])
def pick():
    try:
        start = date.fromisoformat(request.form.get("start", ""))
        end = date.fromisoformat(request.form.get("end", ""))
    except ValueError:
        return _page({"pick": _("Enter both dates of the range.")}, None, 422)
    if end < start:
        return _page({"pick": _("The range ends before it starts.")}, None, 422)
    count = delivery.queue_range(start, end)
    if count:
        flash(ngettext("%(num)s settlement will be sent at the Web Connector's next run.",
                       "%(num)s settlements will be sent at the Web Connector's next run.", count), "success")
    else:
        flash(_("No settlement that is not already on the list ends in this range."), "info")
    return redirect_to(url_for("qbwc_setup.index"))


@bp.route("/reports/<int:report_id>/send", methods=["POST"])
def send_report(report_id: int):
    if not delivery.queue_report(report_id):
        abort(404)
    flash(_("It will be sent at the Web Connector's next run."), "success")
    return redirect_to(url_for("reports.detail", report_id=report_id))


@bp.route("/deliveries/<int:delivery_id>/send-again", methods=["POST"])
def send_again(delivery_id: int):
    if not delivery.send_again(delivery_id):
        abort(404)
    flash(_("It will be sent at the Web Connector's next run; QuickBooks is asked first, "
            "so nothing arrives twice."), "success")
    return redirect_to(safe_next(request.form.get("back"), url_for("qbwc_setup.index")))


@bp.app_context_processor
def _delivery_lookup():
    # The settlement page shows its QuickBooks state without its view knowing about QuickBooks.
    return {"qbwc_delivery": delivery.for_report, "qbwc_error_text": delivery_error_text}
