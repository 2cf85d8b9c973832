"""Marketplaces: those Amazon lists for the account and those seen in reports, each with its
reports, whether it is fetched from Amazon, its tax profile (docs/tax-rules.md §4, shown as a
default until confirmed), its account rules, and a retroactive import."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _

from core import amazon, booking_settings, marketplaces, report_queries, sync_runs
from core.booking.profiles import PROFILES, describe
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
    profile: str  # the tax profile it books by
    confirmed: bool  # False: the profile is the default for its country, shown "please confirm"
    facts: Any  # describe(): the revenue and fee accounts of that profile
    market: Marketplace | None  # None: seen in reports only, never through the API


def rows() -> list[Row]:
    """The API's marketplaces first, then those only seen in uploaded reports."""
    settings = booking_settings.load_settings()
    accounts = booking_settings.load_accounts(settings)
    counts = {marketplaces.key_of(name): (name, c) for name, c in report_queries.counts_by_marketplace().items()}
    empty = dict.fromkeys(Kind, 0)

    def row(key: str, name: str, kind_counts: dict[Kind, int], market: Marketplace | None) -> Row:
        profile, confirmed = accounts.profile(name)
        return Row(key, name, kind_counts, bool(accounts.marketplaces.get(key)), profile, confirmed,
                   describe(profile, settings.chart, name), market)

    found = [row(m.key, m.name, counts.get(m.key, ("", empty))[1], m) for m in marketplaces.all_marketplaces()]
    known = {r.key for r in found}
    found += [row(key, name, c, None) for key, (name, c) in sorted(counts.items()) if key not in known]
    return found


def _row(key: str) -> Row:
    row = next((r for r in rows() if r.key == key), None)
    if row is None:
        abort(404)
    return row


@bp.route("/")
def index():
    return render("marketplaces/index.html", markets=rows(), connection=amazon.current(), profiles=PROFILES)


@bp.route("/<key>/enabled", methods=["POST"])
def toggle(key: str):
    if marketplaces.set_enabled(key, request.form.get("enabled") == "1") is None:
        abort(404)
    # The welcome page shows the same rows without the actions column.
    return render("marketplaces/index.html", "marketplaces/_row.html", row=_row(key), markets=rows(),
                  connection=amazon.current(), profiles=PROFILES,
                  show_actions=request.form.get("actions") == "1")


@bp.route("/profile", methods=["POST"])
def save_profile():
    name = request.form.get("marketplace", "").strip()
    profile = request.form.get("profile", "")
    if not name or (profile not in PROFILES and profile != "default"):
        flash(_("Choose a tax profile for the marketplace."), "error")
        return redirect_to(url_for("marketplaces.index"))
    booking_settings.save_profile(name, None if profile == "default" else profile)
    if profile == "default":
        flash(_("%(name)s books with its default tax profile again.", name=name), "success")
    else:
        flash(_("Tax profile of %(name)s confirmed; batches built with other rules are now "
                "marked outdated.", name=name), "success")
    back = "connections.welcome" if request.form.get("back") == "welcome" else "marketplaces.index"
    return redirect_to(url_for(back))


@bp.route("/<key>/retroactive", methods=["POST"])
def retroactive(key: str):
    row = _row(key)
    if amazon.current() is None or row.market is None or not row.market.enabled:
        flash(_("Switch the marketplace on first; then its reports can be fetched."), "error")
        return redirect_to(url_for("marketplaces.index"))
    last = sync_runs.latest()
    sync_tasks.enqueue("retroactive", key, True)
    return redirect_to(url_for("connections.progress", after=last.id if last else 0))
