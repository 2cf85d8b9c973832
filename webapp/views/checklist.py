"""The first-run checklist's own answers: "use these numbers" and "marketplaces checked"."""

from __future__ import annotations

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _

from core import checklist
from webapp.htmx import redirect_to

bp = Blueprint("checklist", __name__, url_prefix="/checklist")


def _safe_next(default: str) -> str:
    target = request.form.get("next", "")
    # Only a path on this site: never an absolute URL or a scheme-relative one.
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.route("/confirm-numbers", methods=["POST"])
def confirm_numbers():
    checklist.confirm_numbers()
    flash(_("Batches with Beraternummer %(b)s and Mandantennummer %(m)s are now offered for download.",
            b=checklist.PLACEHOLDER[0], m=checklist.PLACEHOLDER[1]), "success")
    return redirect_to(_safe_next(url_for("overview.index")))


@bp.route("/dismiss", methods=["POST"])
def dismiss():
    checklist.dismiss()
    return redirect_to(url_for("overview.index"))


@bp.route("/marketplaces-checked", methods=["POST"])
def marketplaces_checked():
    checklist.mark_marketplaces_checked()
    return redirect_to(url_for("overview.index"))
