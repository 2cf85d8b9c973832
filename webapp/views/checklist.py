"""The first-run checklist's own answers: "use these numbers", and closing the list."""

from __future__ import annotations

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _

from core import checklist
from webapp.htmx import redirect_to
from webapp.view_helpers import safe_next

bp = Blueprint("checklist", __name__, url_prefix="/checklist")


@bp.route("/confirm-numbers", methods=["POST"])
def confirm_numbers():
    checklist.confirm_numbers()
    flash(_("Batches with Beraternummer %(b)s and Mandantennummer %(m)s are now offered for download.",
            b=checklist.PLACEHOLDER[0], m=checklist.PLACEHOLDER[1]), "success")
    return redirect_to(safe_next(request.form.get("next"), url_for("overview.index")))


@bp.route("/dismiss", methods=["POST"])
def dismiss():
    checklist.dismiss()
    return redirect_to(url_for("overview.index"))
