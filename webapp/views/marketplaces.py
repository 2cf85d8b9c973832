"""Marketplaces: every marketplace seen in a report, with its reports, its tax profile
(docs/tax-rules.md §4, shown as a default until confirmed) and its account rules."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _

from core import booking_settings, report_queries
from core.booking.profiles import PROFILES, describe
from webapp.htmx import redirect_to, render

bp = Blueprint("marketplaces", __name__, url_prefix="/marketplaces")


@bp.route("/")
def index():
    counts = report_queries.counts_by_marketplace()
    settings = booking_settings.load_settings()
    accounts = booking_settings.load_accounts(settings)
    markets = []
    for name in sorted(counts):
        profile, confirmed = accounts.profile(name)
        markets.append((name, counts[name], bool(accounts.marketplaces.get(name.lower())),
                        profile, confirmed, describe(profile, settings.chart, name)))
    return render("marketplaces/index.html", markets=markets, profiles=PROFILES)


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
    return redirect_to(url_for("marketplaces.index"))
