from flask import Blueprint

from webapp.htmx import render

bp = Blueprint("marketplaces", __name__, url_prefix="/marketplaces")


@bp.route("/")
def index():
    return render("marketplaces/index.html")
