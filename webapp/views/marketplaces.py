"""Marketplaces: those Amazon lists for the account and those seen in reports, each with
its reports, its accounts, whether it is imported, and a retroactive import."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _

from core import amazon, booking_settings, marketplaces, report_queries
from core.models import Marketplace
from core.reports.model import Kind
from tasks import sync as sync_tasks
from webapp.htmx import redirect_to, render

bp = Blueprint("marketplaces", __name__, url_prefix="/marketplaces")


@dataclass
class Row:
    key: str
    name: str
    counts: dict[Kind, int]
    own_rules: bool
    market: Marketplace | None  # None: seen in reports only, never through the API


def rows() -> list[Row]:
    """The API's marketplaces first, then those only seen in uploaded reports."""
    counts = {marketplaces.key_of(name): (name, c) for name, c in report_queries.counts_by_marketplace().items()}
    own = booking_settings.load_accounts().marketplaces
    empty = dict.fromkeys(Kind, 0)
    found = [Row(m.key, m.name, counts.get(m.key, ("", empty))[1], bool(own.get(m.key)), m)
             for m in marketplaces.all_marketplaces()]
    known = {r.key for r in found}
    found += [Row(key, name, c, bool(own.get(key)), None)
              for key, (name, c) in sorted(counts.items()) if key not in known]
    return found


def _row(key: str) -> Row:
    row = next((r for r in rows() if r.key == key), None)
    if row is None:
        abort(404)
    return row


@bp.route("/")
def index():
    return render("marketplaces/index.html", markets=rows(), connection=amazon.current())


@bp.route("/<key>/enabled", methods=["POST"])
def toggle(key: str):
    enabled = request.form.get("enabled") == "1"
    if marketplaces.set_enabled(key, enabled) is None:
        abort(404)
    return _row_fragment(key)


@bp.route("/<key>/confirm", methods=["POST"])
def confirm(key: str):
    marketplaces.confirm_defaults(key)
    return _row_fragment(key)


def _row_fragment(key: str):
    # The welcome page shows the same rows without the actions column.
    return render("marketplaces/index.html", "marketplaces/_row.html", row=_row(key), markets=rows(),
                  connection=amazon.current(), show_actions=request.form.get("actions") == "1")


@bp.route("/<key>/retroactive", methods=["POST"])
def retroactive(key: str):
    row = _row(key)
    if amazon.current() is None or row.market is None or not row.market.enabled:
        flash(_("Switch the marketplace on first; then its reports can be fetched."), "error")
        return redirect_to(url_for("marketplaces.index"))
    from core import sync_runs

    last = sync_runs.latest()
    sync_tasks.enqueue("retroactive", key, True)
    return redirect_to(url_for("connections.progress", after=last.id if last else 0))
