from flask import Blueprint

from webapp.htmx import render

bp = Blueprint("batches", __name__, url_prefix="/batches")


@bp.route("/")
def index():
    return render("batches/index.html")
