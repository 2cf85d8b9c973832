"""Connections: connect the Amazon seller account, test it, the daily import, disconnect.

The web never sleeps on Amazon: the test and the connect calls fail at once when Amazon
is busy, and imports run in the task worker while the page shows their progress.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_babel import gettext as _

from core import amazon, marketplaces, sync_runs
from core.booking.profiles import PROFILES
from core.encryption import load_or_create_key
from core.i18n import N_
from core.models import SyncRun
from core.spapi import SpApiError
from core.spapi.regions import SELLER_CENTRAL
from tasks import sync as sync_tasks
from webapp.htmx import redirect_to, render
from webapp.view_helpers import get_or_404

bp = Blueprint("connections", __name__, url_prefix="/connections")


def _key() -> bytes:
    return load_or_create_key(current_app.config["DATA_DIR"])


def _page(**context):
    connection = amazon.current()
    at, zone = sync_runs.schedule()
    runs = list(SyncRun.select().order_by(SyncRun.id.desc()).limit(10))
    return render("connections/index.html", connection=connection, hosts=SELLER_CENTRAL,
                  redirect_uri=_redirect_uri(),
                  days_left=amazon.secret_days_left(connection) if connection else None,
                  expires_on=amazon.secret_expires_on(connection) if connection else None,
                  schedule_time=at, schedule_zone=zone, runs=runs, running=sync_runs.running(),
                  **context)


@bp.route("/")
def index():
    return _page()


@bp.route("/", methods=["POST"])
def connect():
    form = request.form
    existing = amazon.current()
    try:
        creds = amazon.check_input(form.get("region", ""), form.get("client_id", ""),
                                   form.get("client_secret", ""), form.get("refresh_token", ""))
        expires = amazon.parse_expiry(form.get("secret_expires", ""))
    except amazon.ConnectionProblem as problem:
        message = {"region": _("Choose a region."),
                   "expiry": _("Enter the expiry date as shown in Developer Central, or leave it empty.")
                   }.get(problem.code, _("Enter the client ID, the client secret and the refresh token."))
        return _page(form_error=message, form=form), 422
    try:
        participations = amazon.verify(creds, sync_tasks.endpoints())
    except SpApiError as error:
        return _page(api_error=error, form=form), 422
    first = existing is None and sync_runs.latest() is None
    amazon.connect(_key(), creds, participations, secret_expires=expires)
    if first:
        return redirect_to(url_for("connections.welcome"))
    flash(_("Connected. The credentials are stored encrypted."), "success")
    return redirect_to(url_for("connections.index"))


def _redirect_uri() -> str:
    return url_for("connections.authorized", _external=True)


AUTHORIZATION_PROBLEMS = {
    "state": N_("The answer from Amazon does not belong to an authorization started here. Start again."),
    "expired": N_("The authorization took too long. Start again."),
    "missing": N_("Enter the application ID, the client ID and the client secret."),
    "region": N_("Choose your Seller Central."),
}


@bp.route("/authorize", methods=["POST"])
def authorize():
    """Website authorization: off to Seller Central's consent page with a fresh `state`."""
    form = request.form
    host = form.get("host", "")
    try:
        state = amazon.start_authorization(_key(), host, form.get("application_id", ""),
                                           form.get("client_id", ""), form.get("client_secret", ""))
    except amazon.ConnectionProblem as problem:
        return _page(oauth_error=_(AUTHORIZATION_PROBLEMS[problem.code]), oauth_form=form), 422
    # A link, not a redirect: the Content-Security-Policy's form-action keeps form posts on
    # this site, redirects included.
    return render("connections/authorize.html", consent_url=amazon.consent_url(
        host, form["application_id"].strip(), state, _redirect_uri(), draft=form.get("draft") == "1"))


@bp.route("/authorized")
def authorized():
    """Seller Central sends the seller back here with state, selling_partner_id, spapi_oauth_code."""
    args = request.args
    try:
        amazon.finish_authorization(_key(), args.get("state", ""), args.get("spapi_oauth_code", ""),
                                    args.get("selling_partner_id", ""), _redirect_uri(),
                                    sync_tasks.endpoints())
    except amazon.ConnectionProblem as problem:
        return _page(oauth_error=_(AUTHORIZATION_PROBLEMS[problem.code])), 400
    except SpApiError as error:
        return _page(api_error=error), 422
    # The code in this URL never reaches another site: Referrer-Policy same-origin and a CSP
    # that loads nothing from elsewhere (webapp/headers.py) cover what Amazon asks for.
    return redirect_to(url_for("connections.welcome"))


@bp.route("/test", methods=["POST"])
def test():
    connection = amazon.current()
    if connection is None:
        return redirect_to(url_for("connections.index"))
    try:
        participations = amazon.verify(amazon.credentials(connection, _key()), sync_tasks.endpoints())
    except SpApiError as error:
        return render("connections/_test.html", error=error)
    marketplaces.record_participations(participations, enable_new=False)
    return render("connections/_test.html", participations=participations)


@bp.route("/welcome")
def welcome():
    if amazon.current() is None:
        return redirect_to(url_for("connections.index"))
    from webapp.views.marketplaces import rows

    return render("connections/welcome.html", markets=rows(), connection=amazon.current(), profiles=PROFILES)


@bp.route("/sync", methods=["POST"])
def start_sync():
    if amazon.current() is None:
        abort(404)
    trigger = request.form.get("trigger", "manual")
    if trigger not in ("manual", "first", "retroactive"):
        trigger = "manual"
    running = sync_runs.running()
    if running is not None and running.status == "running":
        flash(_("An import from Amazon is already running."), "warning")
        return redirect_to(url_for("connections.run", run_id=running.id))
    last = sync_runs.latest()
    sync_tasks.enqueue(trigger, request.form.get("marketplace", ""), trigger != "manual")
    return redirect_to(url_for("connections.progress", after=last.id if last else 0))


@bp.route("/progress")
def progress():
    """The run started after run `after` (it may still be waiting for the worker)."""
    after, polls = request.args.get("after", "0"), request.args.get("polls", "0")
    after_id = int(after) if after.isdigit() else 0
    run = SyncRun.select().where(SyncRun.id > after_id).order_by(SyncRun.id).first()
    return render("connections/progress.html", "connections/_run.html", run=run, after=after_id,
                  polls=int(polls) + 1 if polls.isdigit() else 1)


@bp.route("/runs/<int:run_id>")
def run(run_id: int):
    run = get_or_404(SyncRun, run_id)
    return render("connections/progress.html", "connections/_run.html", run=run, after=run_id - 1, polls=0)


@bp.route("/schedule", methods=["POST"])
def schedule():
    if sync_runs.save_schedule(request.form.get("time", ""), sync_runs.DEFAULT_ZONE):
        flash(_("Saved. The daily import runs at %(time)s.", time=request.form["time"][:5]), "success")
    else:
        flash(_("Enter a time of day such as 05:30."), "error")
    return redirect_to(url_for("connections.index"))


@bp.route("/disconnect", methods=["POST"])
def disconnect():
    if request.form.get("confirm") != "yes":
        abort(400)
    amazon.disconnect()
    flash(_("Disconnected. The credentials are deleted; imported reports stay."), "success")
    return redirect_to(url_for("connections.index"))
