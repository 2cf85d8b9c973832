"""Search by settlement id or order id across every report."""

from __future__ import annotations

from flask import Blueprint, request

from core import search as finder
from webapp.htmx import render

bp = Blueprint("search", __name__)


@bp.route("/search")
def index():
    query = request.args.get("q", "")[:100]
    hits = finder.search(query) if query else []
    return render("search/index.html", query=query, hits=hits, too_short=0 < len(query.strip()) < finder.MIN_LENGTH)
