from flask import Blueprint

from webapp.htmx import render

bp = Blueprint("connections", __name__, url_prefix="/connections")


@bp.route("/")
def index():
    return render("connections/index.html")
