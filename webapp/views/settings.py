from flask import Blueprint

from webapp.htmx import render

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/")
def index():
    return render("settings/index.html")
