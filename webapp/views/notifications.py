"""Settings › Notifications: the mail server, who gets e-mails about what, and a test e-mail."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flask import Blueprint, flash, render_template, request, url_for
from flask_babel import gettext as _

from core.mail import settings as mail_settings
from core.mail.smtp import MailError
from tasks import mail
from webapp.htmx import redirect_to, render, wants_fragment
from webapp.messages import mail_error

bp = Blueprint("notifications", __name__, url_prefix="/settings/notifications")

FIELDS = ("host", "port", "security", "user", "sender", "recipients", "public_url")
SWITCHES = ("notify_batches", "notify_failures")


def _form_values() -> dict[str, str]:
    values = {name: request.form.get(name, "") for name in FIELDS}
    values.update({name: "true" if request.form.get(name) else "false" for name in SWITCHES})
    return values


def _password_change() -> str | None:
    """None keeps the stored password; the field left empty never erases it."""
    if request.form.get("forget_password"):
        return ""
    return request.form.get("password") or None


@bp.route("/", methods=["GET", "POST"])
def index():
    stored = mail_settings.load()
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = _form_values()
        settings, errors = mail_settings.validate(form)
        if settings is not None:
            mail.save_settings(settings, _password_change())
            flash(_("The e-mail settings are saved. Send a test e-mail to check them."), "success")
            return redirect_to(url_for("notifications.index"))
    else:
        form = mail_settings.to_form(stored)
    status = mail_settings.last_status()
    if status:
        status["at"] = datetime.fromisoformat(status["at"])
        status["error"] = mail_error(status["error"]) if "error" in status else ""
    return render("settings/notifications.html", form=form, errors=errors, stored=stored,
                  status=status), (422 if errors else 200)


@bp.route("/test", methods=["POST"])
def test():
    """Send a test e-mail with the values in the form (saved or not), or else the saved ones."""
    ok, message = False, ""
    try:
        settings, errors = mail_settings.validate(_form_values()) if "host" in request.form else (None, {})
        if settings is None and not errors:
            settings = mail.stored_settings()
        if errors or settings is None or not settings.configured:
            message = _("Fill in the mail server, the sender and at least one recipient first.")
        else:
            password = _password_change()
            if password is None:  # the stored one, unless the user typed a new one
                password = mail.stored_settings().password
            settings = replace(settings, password=password)
            refused = mail.send_test(settings)
            ok = True
            message = (_("The mail server accepted the test e-mail for %(to)s but refused %(refused)s.",
                         to=", ".join(a for a in settings.recipients if a not in refused),
                         refused=", ".join(refused)) if refused else
                       _("The test e-mail was sent to %(to)s. Check the inbox (and the spam folder).",
                         to=", ".join(settings.recipients)))
    except MailError as error:
        message = mail_error(error.to_json())
    if wants_fragment():
        return render_template("settings/_mail_test.html", ok=ok, message=message)
    flash(message, "success" if ok else "error")
    return redirect_to(url_for("notifications.index"))
