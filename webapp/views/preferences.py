"""The language switch in the navigation."""

from flask import Blueprint, abort, request

from webapp import i18n
from webapp.htmx import redirect_to
from webapp.view_helpers import safe_next

bp = Blueprint("preferences", __name__)


@bp.route("/language", methods=["POST"])
def language():
    lang = request.form.get("lang", "")
    if lang not in i18n.LANGUAGES:
        abort(400)
    i18n.remember(lang)
    # A full reload, so no fragment on the page is left in the old language.
    return redirect_to(safe_next(request.form.get("next")))
