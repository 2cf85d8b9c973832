"""Login for the single user: a setup page on first start, then login and logout.

Every endpoint needs a logged-in session except the few in PUBLIC. The check runs before
every request, so a new view cannot forget it.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, flash, g, request, session, url_for
from flask_babel import gettext as _

from core import auth
from core.db import db
from webapp import i18n
from webapp.htmx import redirect_to, render
from webapp.view_helpers import safe_next

bp = Blueprint("auth", __name__)

# The Web Connector logs in inside its SOAP calls (core/qbwc/access.py).
PUBLIC = {"auth.login", "auth.setup", "static", "health.healthz", "qbwc.endpoint", "qbwc.wsdl"}


def logged_in() -> bool:
    return auth.session_alive(session.get("sid"), current_app.config["SESSION_IDLE"])


def _client() -> str:
    # ProxyFix (SETTLEBOOK_PROXIES) has already put the real client's address here.
    return request.remote_addr or ""


def _log_in() -> None:
    lang = session.get("lang")
    session.clear()  # a fresh session (and CSRF token) on login
    session.permanent = True  # the cookie lives as long as the idle timeout (refreshed per request)
    session["sid"] = auth.start_session(_client())
    if lang:
        session["lang"] = lang


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    if auth.is_set_up():
        return redirect_to(url_for("auth.login"))
    error = None
    lang = request.form.get("language") or str(i18n.select_locale())
    if request.method == "POST":
        problem = auth.password_problem(
            request.form.get("password", ""), request.form.get("confirmation", "")
        )
        if problem == "too_short":
            error = _("The password needs at least %(n)s characters.", n=auth.MIN_PASSWORD_LENGTH)
        elif problem == "mismatch":
            error = _("The two passwords differ.")
        else:
            password_hash = auth.hash_password(request.form["password"])  # slow: outside the lock
            # One transaction: password, language and the first session, or nothing.
            with db.atomic("IMMEDIATE"):
                if not auth.set_up_once(password_hash):
                    flash(_("settlebook was just set up from another browser. Please log in "
                            "with the password chosen there."), "error")
                    return redirect_to(url_for("auth.login"))
                if lang in i18n.LANGUAGES:
                    i18n.remember(lang)
                _log_in()
            flash(_("Welcome to settlebook. Your password is set."), "success")
            return redirect_to(url_for("index"))
    return render("auth/setup.html", error=error, language=lang), (422 if error else 200)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not auth.is_set_up():
        return redirect_to(url_for("auth.setup"))
    error = None
    if request.method == "POST":
        outcome = auth.attempt_login(request.form.get("password", ""), _client())
        if outcome == "ok":
            _log_in()
            return redirect_to(safe_next(request.args.get("next")))
        if outcome == "wait":
            error = _("Too many wrong passwords. Please wait %(s)s seconds and try again.",
                      s=auth.wait_seconds(_client()))
        else:
            error = _("That password is not right.")
    return render("auth/login.html", error=error), (422 if error else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    auth.end_session(session.get("sid"))  # dead everywhere, even where the cookie was copied
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect_to(url_for("auth.login"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.before_request
    def _require_login():
        if request.endpoint in PUBLIC:
            return None
        if logged_in():
            g.user = True
            return None
        if not auth.is_set_up():
            return redirect_to(url_for("auth.setup"))
        target = request.full_path if request.method == "GET" else None
        return redirect_to(url_for("auth.login", next=target.rstrip("?") if target else None))
