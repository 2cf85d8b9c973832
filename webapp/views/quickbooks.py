"""QuickBooks: the settings tab, the order previewer and the IIF downloads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from flask import Blueprint, abort, flash, request, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _

from core import report_queries
from core.i18n import N_
from core.models import Report
from core.quickbooks import preview, service
from core.quickbooks.iif import filename_for
from core.quickbooks.settings import LINE_KINDS, field_limit, form_fields, marketplace_key
from core.quickbooks.summary import SummaryError
from core.reports.model import Kind
from webapp.htmx import redirect_to, render
from webapp.messages import money
from webapp.view_helpers import get_or_404

bp = Blueprint("quickbooks", __name__)

KIND_LABELS = {
    "product": N_("Products (when not one item per SKU, and sales without a SKU)"),
    "shipping": N_("Shipping"),
    "gift_wrap": N_("Gift wrap"),
    "promotion": N_("Promotions"),
    "sales_tax": N_("Sales tax collected and withheld"),
    "selling_fee": N_("Selling fees"),
    "fba_fee": N_("FBA fees"),
    "other_fee": N_("Other fees"),
    "shipping_chargeback": N_("Shipping and gift wrap charged back (expense)"),
    "storage_fee": N_("Storage fees"),
    "shipping_label": N_("Shipping labels"),
    "advertising": N_("Advertising"),
    "subscription": N_("Subscription"),
    "reimbursement": N_("Reimbursements"),
    "reserve": N_("Reserve held and released"),
    "carried_balance": N_("Balances carried over and card charges"),
}
TRANSACTION_NAMES = {"sales receipt": N_("sales receipt"), "credit memo": N_("credit memo")}
TXN_TITLES = {"sales_receipt": N_("Sales receipt"), "credit_memo": N_("Credit memo"),
              "journal": N_("Journal entry (everything else)")}


def summary_text(obj: Any) -> str:
    """A SummaryError's or Notice's sentence in the reader's language, amounts as money."""
    params = {}
    for key, value in obj.params.items():
        if isinstance(value, Decimal):
            value = money(value)
        elif key == "transaction":
            value = _(TRANSACTION_NAMES.get(value, value))
        params[key] = value
    return _(obj.template, **params)


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"summary_text": summary_text, "qb_kind_labels": KIND_LABELS, "qb_txn_titles": TXN_TITLES}


@bp.app_template_filter("decimal_rate")
def decimal_rate(value: Decimal) -> str:
    """A unit price as QuickBooks keeps it: at least two, at most five decimals."""
    return format_decimal(value, format="#,##0.00###")


# -- settings --------------------------------------------------------------------------------

def _marketplaces() -> list[str]:
    markets = {marketplace_key(m) for m in report_queries.filter_choices(Kind.SETTLEMENT)[0]}
    return sorted(markets | set(service.own_marketplaces()))


@bp.route("/settings/quickbooks", methods=["GET", "POST"])
def settings():
    marketplace = marketplace_key(request.values.get("marketplace", ""))
    markets = _marketplaces()
    if marketplace and marketplace not in markets:
        abort(404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.form[k] for k in form_fields() if k in request.form}
        for switch in ("add_fees", "cancel_shipping", "split_months"):
            # An unticked checkbox sends nothing; its hidden twin says the form had it.
            if f"{switch}_sent" in request.form:
                values[switch] = "true" if request.form.get(switch) else "false"
        errors = service.save_settings(values, marketplace)
        if not errors:
            flash(_("The QuickBooks settings are saved. Summaries and IIF files use them from now on."),
                  "success")
            return redirect_to(url_for("quickbooks.settings", marketplace=marketplace or None))
        form = {**service.form_values(marketplace), **values}
    else:
        form = service.form_values(marketplace)
    own = marketplace in service.own_marketplaces()
    status = 422 if errors else 200
    return render("quickbooks/settings.html", form=form, errors=errors, kinds=LINE_KINDS,
                  marketplace=marketplace, marketplaces=markets, own=own,
                  limit=field_limit), status


@bp.route("/settings/quickbooks/reset", methods=["POST"])
def reset():
    marketplace = marketplace_key(request.form.get("marketplace", ""))
    if marketplace:
        service.reset_marketplace(marketplace)
        flash(_("%(m)s uses the QuickBooks defaults again.", m=marketplace), "success")
    return redirect_to(url_for("quickbooks.settings", marketplace=marketplace or None))


# -- order previewer -------------------------------------------------------------------------

def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None


def _range() -> tuple[date | None, date | None, str]:
    """The requested range, or the latest settlement's period; and what is wrong with it."""
    first, last = _date("first"), _date("last")
    if "first" not in request.args and "last" not in request.args:
        latest = preview.latest_settlement()
        if latest is not None:
            last = latest.period_end.date()
            first = latest.period_start.date() if latest.period_start else last
        return first, last, ""
    if first is None or last is None:
        return first, last, _("Enter both dates of the range.")
    if last < first:
        return first, last, _("The range ends before it starts; swap the two dates.")
    if (last - first).days > preview.MAX_DAYS:
        return first, last, _("Choose a range of at most two years.")
    return first, last, ""


@bp.route("/quickbooks/preview")
def preview_page():
    first, last, problem = _range()
    selected, before, after = [], None, None
    if first and last and not problem:
        selected = service.select(first, last)
        if not selected:
            before, after = preview.nearest_outside(first, last)
    any_settlement = preview.any_settlement()
    return render("quickbooks/preview.html", first=first, last=last, problem=problem,
                  selected=selected, before=before, after=after, any_settlement=any_settlement,
                  ranged=_ranged)


def _ranged(report: Report) -> str:
    """The previewer for exactly this settlement's end day."""
    day = report.period_end.date()
    return url_for("quickbooks.preview_page", first=day.isoformat(), last=day.isoformat())


@bp.route("/quickbooks/preview.iif")
def preview_iif():
    first, last, problem = _range()
    if problem or not first or not last:
        flash(problem or _("Enter both dates of the range."), "error")
        return redirect_to(url_for("quickbooks.preview_page"))
    selected, data = service.iif_for_range(first, last)
    if data is None:
        flash(_("No settlement in this range can be sent to QuickBooks; the previewer says why."), "error")
        return redirect_to(url_for("quickbooks.preview_page", first=first.isoformat(), last=last.isoformat()))
    name = f"quickbooks_{first:%Y%m%d}_{last:%Y%m%d}.iif"
    return _iif_response(data, name)


@bp.route("/reports/<int:report_id>/quickbooks.iif")
def report_iif(report_id: int):
    report = get_or_404(Report, report_id)
    if report.kind != Kind.SETTLEMENT:
        abort(404)
    try:
        summary, data = service.iif_for_report(report_id)
    except SummaryError as error:
        flash(summary_text(error), "error")
        return redirect_to(url_for("reports.detail", report_id=report_id))
    return _iif_response(data, filename_for(summary))


def _iif_response(data: bytes, name: str):
    return send_file(BytesIO(data), as_attachment=True, download_name=name,
                     mimetype="application/octet-stream", max_age=0)
