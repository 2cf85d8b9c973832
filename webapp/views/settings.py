"""Settings: DATEV header data, accounts and booking rules, category mappings, password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from core import auth, booking_settings, report_queries
from core.booking.rules import FEE_RULES
from core.datev.accounts import RULE_KEYS, AccountRule
from core.datev.settings import to_form
from core.mappings import unmapped_combinations
from core.reports.model import BOOKABLE_KINDS, Category
from webapp.htmx import fragment, redirect_to, render, wants_fragment
from webapp.messages import rule_problem
from webapp.view_helpers import safe_next

bp = Blueprint("settings", __name__, url_prefix="/settings")



@bp.route("/", methods=["GET", "POST"])
def index():
    errors: dict[str, str] = {}
    if request.method == "POST":
        # Fields not sent keep their stored value. The form always carries the
        # checkbox's hidden twin, so "split_months" absent means "not this form".
        values = to_form(booking_settings.load_settings())
        values.update({key: request.form[key] for key in values if key in request.form})
        if "split_months_sent" in request.form:
            values["split_months"] = "true" if request.form.get("split_months") else "false"
        errors = booking_settings.save_settings(values)
        if not errors:
            flash(_("The DATEV settings are saved. Batches built with other settings are marked outdated."), "success")
            return redirect_to(url_for("settings.index"))
        form = values
    else:
        form = to_form(booking_settings.load_settings())
    return render("settings/index.html", form=form, errors=errors), (422 if errors else 200)


def _marketplace_choices() -> list[str]:
    markets = set()
    for kind in sorted(BOOKABLE_KINDS):
        markets.update(report_queries.filter_choices(kind)[0])
    return sorted(markets)


@bp.route("/accounts")
def accounts():
    marketplace = request.args.get("marketplace", "")
    account_set = booking_settings.load_accounts()
    rows = [(key, account_set.rule(key, marketplace), _is_own(account_set, key, marketplace))
            for key in RULE_KEYS]
    return render("settings/accounts.html", rows=rows, marketplace=marketplace,
                  marketplaces=_marketplace_choices(), chart=account_set.chart, fee_rules=FEE_RULES)


def _is_own(account_set, key: str, marketplace: str) -> bool:
    return bool(marketplace) and key in account_set.marketplaces.get(marketplace.lower(), {})


@bp.route("/accounts/<key>", methods=["POST"])
def save_rule(key: str):
    if key not in RULE_KEYS:
        abort(404)
    marketplace = request.form.get("marketplace", "")
    tax_mode = request.form.get("tax_key", "").strip()
    current = booking_settings.load_accounts().rule(key, marketplace)
    rule = AccountRule(
        account=request.form.get("account", "").strip(),
        tax_key=None if tax_mode == "regime" else tax_mode,
        text=request.form.get("text", "").strip(),
        refund_text=current.refund_text, eu_country=current.eu_country, eu_rate=current.eu_rate,
    )
    problems = booking_settings.save_rule(key, marketplace, rule)
    if not wants_fragment():
        for problem in problems:
            flash(rule_problem(problem), "error")
        if not problems:
            flash(_("Saved. Batches built with the old rule are marked outdated."), "success")
        return redirect_to(url_for("settings.accounts", marketplace=marketplace))
    account_set = booking_settings.load_accounts()
    return fragment("settings/_rule_row.html", key=key, marketplace=marketplace,
                           rule=rule if problems else account_set.rule(key, marketplace),
                           own=_is_own(account_set, key, marketplace), fee_rules=FEE_RULES,
                           problems=problems, saved=not problems)


@bp.route("/accounts/reset", methods=["POST"])
def reset_marketplace():
    marketplace = request.form.get("marketplace", "")
    if marketplace:
        booking_settings.reset_marketplace(marketplace)
        flash(_("%(m)s uses the default accounts again.", m=marketplace), "success")
    return redirect_to(url_for("settings.accounts", marketplace=marketplace))


@bp.route("/mappings", methods=["GET", "POST"])
def mappings():
    mapped = None
    if request.method == "POST":
        category = request.form.get("category", "")
        combo = (request.form.get("transaction_type", ""), request.form.get("amount_type", ""),
                 request.form.get("amount_description", ""))
        if category not in {c.value for c in Category} or category == Category.UNMAPPED:
            flash(_("Choose a category for the line first."), "error")
            return redirect_to(url_for("settings.mappings"))
        count = booking_settings.map_combination(*combo, category)
        mapped = {"combination": combo, "category": category, "lines": count}
        if wants_fragment():
            return fragment("settings/_mapped.html", mapped=mapped)
        flash(ngettext("%(num)s line now has a category. Regenerate the affected batches to book it.",
                       "%(num)s lines now have a category. Regenerate the affected batches to book them.",
                       count), "success")
        return redirect_to(safe_next(request.form.get("next"), url_for("settings.mappings")))
    return render("settings/mappings.html", combinations=unmapped_combinations(),
                  categories=[c.value for c in Category if c not in (Category.UNMAPPED,)])


@bp.route("/password", methods=["POST"])
def password():
    if not auth.check_password(request.form.get("current", "")):
        flash(_("The current password is not right; nothing was changed."), "error")
        return redirect_to(url_for("settings.index") + "#password")
    problem = auth.password_problem(request.form.get("password", ""), request.form.get("confirmation", ""))
    if problem == "too_short":
        flash(_("The password needs at least %(n)s characters.", n=auth.MIN_PASSWORD_LENGTH), "error")
    elif problem == "mismatch":
        flash(_("The two passwords differ."), "error")
    else:
        auth.change_password(request.form["password"])
        flash(_("Your password is changed. Please log in with the new one."), "success")
        return redirect_to(url_for("auth.login"))
    return redirect_to(url_for("settings.index") + "#password")
