"""Marketplaces: those Amazon lists for the account and those seen in reports, each with
its reports, its accounts, whether it is imported, and a retroactive import."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _

from core import amazon, batches, marketplaces
from core.models import Marketplace, Report
from tasks import sync as sync_tasks
from webapp.htmx import redirect_to, render

bp = Blueprint("marketplaces", __name__, url_prefix="/marketplaces")


@dataclass
class Row:
    key: str
    name: str
    counts: dict[str, int]
    own_rules: bool
    market: Marketplace | None  # None: seen in reports only, never through the API


def _counts() -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    rows = Report.select(Report.kind, Report.marketplaces).where(Report.status == "current").tuples()
    for kind, names in rows:
        for name in filter(None, names.split("|")):
            key = marketplaces.key_of(name)
            counts.setdefault(key, {"settlement": 0, "vat_transactions": 0, "date_range": 0, "name": name})
            counts[key][kind] += 1
    return counts


def rows() -> list[Row]:
    counts = _counts()
    own = batches.load_accounts().marketplaces
    empty = {"settlement": 0, "vat_transactions": 0, "date_range": 0}
    rows = [Row(m.key, m.name, counts.get(m.key, empty), bool(own.get(m.key)), m)
            for m in marketplaces.all_marketplaces()]
    known = {r.key for r in rows}
    rows += [Row(key, c["name"], c, bool(own.get(key)), None)
             for key, c in sorted(counts.items()) if key not in known]
    return rows


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
