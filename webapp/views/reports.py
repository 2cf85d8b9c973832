from flask import Blueprint

from webapp.htmx import render

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.route("/")
def index():
    return render("reports/index.html")
