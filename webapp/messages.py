"""Words for the codes that core and tasks store (job kinds, outcomes, message codes).

Core and tasks keep codes and parameters; the wording is chosen here, at render time, in
the reader's language. Templates are marked with N_ and translated when shown.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flask import Flask
from flask_babel import format_decimal, gettext

from core.i18n import N_
from core.mail.smtp import MAIL_ANSWER
from core.models import Job
from core.reports.model import BOOKABLE_KINDS, Kind

JOB_KINDS = {
    "import": N_("Import"),
    "export": N_("Export"),
    "delete_report": N_("Delete report"),
    "regenerate": N_("Regenerate batch"),
    "backup": N_("Backup"),
    "mail": N_("E-mail"),
}
OUTCOMES = {"running": N_("running"), "ok": N_("done"), "failed": N_("failed")}
JOB_MESSAGES = {
    "done": N_("Done."),
    "unexpected_error": N_("An unexpected error stopped this job (%(error)s). It was logged."),
    "interrupted": N_("Interrupted (settlebook was stopped or lost power); an upload is imported again."),
    "report_imported": N_("Imported."),
    "report_new_version": N_("Imported as a new version of a report already there."),
    "report_already_imported": N_("Already imported; nothing changed."),
    "batch_built": N_("Booking batch version %(version)s of %(key)s: %(bookings)s bookings, valid."),
    "batch_invalid": N_("Booking batch version %(version)s of %(key)s breaks a DATEV rule or could not be built; it is not offered for download."),
    "report_deleted": N_("Deleted version %(version)s of report %(key)s with its lines and batches."),
    "mail_sent": N_("Sent to %(recipients)s."),
    "mail_sent_partly": N_("Sent to %(recipients)s; the mail server refused %(refused)s."),
}


KINDS = {
    Kind.SETTLEMENT: N_("Payout"),
    Kind.VAT_TRANSACTIONS: N_("Order (VAT report)"),
    Kind.DATE_RANGE: N_("Date range"),
}
KIND_DESCRIPTIONS = {
    Kind.SETTLEMENT: N_("Settlement reports: one per payout, usually every 14 days."),
    Kind.VAT_TRANSACTIONS: N_("VAT Transactions Reports: one per month, with the tax facts of every order."),
    Kind.DATE_RANGE: N_("Date range transaction reports from the Payments reports repository."),
}
CATEGORIES = {
    "product_sales": N_("Product sales"),
    "product_tax": N_("Tax on product sales"),
    "shipping": N_("Shipping credits"),
    "shipping_tax": N_("Tax on shipping"),
    "gift_wrap": N_("Gift wrap credits"),
    "gift_wrap_tax": N_("Tax on gift wrap"),
    "promotion": N_("Promotions"),
    "marketplace_withheld_tax": N_("Tax withheld by Amazon"),
    "selling_fee": N_("Selling fees"),
    "fba_fee": N_("FBA fees"),
    "storage_fee": N_("Storage fees"),
    "shipping_label": N_("Shipping labels"),
    "other_fee": N_("Other fees"),
    "advertising": N_("Advertising"),
    "subscription": N_("Subscription"),
    "reimbursement": N_("Reimbursements"),
    "reserve_held": N_("Reserve held"),
    "reserve_released": N_("Reserve released"),
    "carried_balance": N_("Balance carried over"),
    "card_charge": N_("Card charge"),
    "payout": N_("Payout"),
    "stock_movement": N_("Stock movements (not booked)"),
    "informational": N_("Information only"),
    "unmapped": N_("Not mapped yet"),
}
# Rules that book one category reuse its label; the others are named here.
RULES = {
    **{key: CATEGORIES[key] for key in (
        "product_sales", "shipping", "gift_wrap", "promotion",
        "selling_fee", "fba_fee", "storage_fee", "shipping_label",
        "other_fee", "advertising", "subscription", "reserve_held",
        "reserve_released", "reimbursement", "carried_balance", "card_charge",
    )},
    "refund": N_("Refunds"),
    "deemed_supplier": N_("Sales where Amazon owes the VAT (deemed supplier)"),
    "payout": N_("Payout (money in transit)"),
    "unmapped": N_("Lines without a category (suspense account)"),
    "clearing": N_("Amazon clearing account"),
    "debtor": N_("Amazon debtor (with the Amazon Order integration)"),
    "domestic_19": N_("Domestic sales 19 %"),
    "domestic_7": N_("Domestic sales 7 %"),
    "oss": N_("EU distance sales (OSS)"),
    "intra_eu_b2b": N_("Intra-EU supplies to businesses"),
    "export": N_("Exports outside the EU"),
    "foreign_domestic": N_("Sales taxed in another EU country"),
    "eu_taxed_home_19": N_("EU sales taxed in Germany 19 %"),
    "eu_taxed_home_7": N_("EU sales taxed in Germany 7 %"),
    "third_country": N_("Sales from stock outside the EU (not taxable in Germany)"),
    "verbringen_out": N_("Own goods moved out of Germany (Verbringen)"),
    "verbringen_in_19": N_("Own goods moved into Germany 19 % (Verbringen)"),
    "verbringen_in_7": N_("Own goods moved into Germany 7 % (Verbringen)"),
    "verbringen_clearing": N_("Verbringen clearing account"),
}
PROFILES = {
    "home": N_("home marketplace (Germany)"),
    "eu": N_("other EU marketplace"),
    "third_country": N_("third-country marketplace"),
}
BATCH_STATUSES = {"none": N_("none"), "created": N_("created"), "outdated": N_("outdated")}
SOURCES = {"upload": N_("upload"), "api": N_("API")}
UPLOAD_OUTCOMES = {
    "imported": N_("Imported."),
    "already_imported": N_("Already imported; nothing changed."),
    "new_version": N_("Imported as a new version; the earlier one is kept as superseded."),
}


def label(table: dict[str, str], code: str) -> str:
    return gettext(table[code]) if code in table else code


def translate(template: str, params: dict[str, Any] | None = None) -> str:
    """gettext with named parameters; a parameter missing from an old job never breaks a page."""
    try:
        return gettext(template, **(params or {}))
    except (KeyError, ValueError, TypeError):
        return gettext(template)


def job_kind(job: Job) -> str:
    return gettext(JOB_KINDS[job.kind]) if job.kind in JOB_KINDS else job.kind


def job_outcome(job: Job) -> str:
    return gettext(OUTCOMES[job.outcome]) if job.outcome in OUTCOMES else job.outcome


def job_message(job: Job) -> str:
    if job.message_code == "report_error":  # the parser's own sentence, translated
        params = job.params_dict
        return translate(params.pop("template", ""), params)
    if job.message_code == "mail_failed":
        return mail_error(job.params_dict)  # stored with MailError.to_json()
    template = JOB_MESSAGES.get(job.message_code)
    return job.message_code if template is None else translate(template, job.params_dict)


def stored_error(row: Any) -> str:
    """A failed upload's or batch's message, kept as an English template with its parameters."""
    return translate(row.error_template, json.loads(row.error_params or "{}"))


def stored_message(stored: dict[str, Any]) -> str:
    """A message core stored with `Message.to_json()` (a notice, a DATEV rule violation)."""
    # Violations stored before Message kept the booking and the field beside the params.
    extra = {k: stored[k] for k in ("row", "field") if k in stored}
    return translate(stored["template"], {**extra, **stored.get("params", {})})


def rule_problem(problem: Any) -> str:
    """An account-set problem, naming the rule as the settings page does."""
    params = dict(problem.params)
    if "rule" in params:
        params["rule"] = label(RULES, str(params["rule"]))
    return translate(problem.template, params)


def money(value: Decimal | None, currency: str = "") -> str:
    """1.141,18 EUR in German, 1,141.18 EUR in English; always two decimals, never a float."""
    if value is None:
        return ""
    text = format_decimal(value, format="#,##0.00")
    return f"{text} {currency}".strip()


def init_app(app: Flask) -> None:
    app.add_template_global(translate)
    app.add_template_global(rule_problem)
    app.add_template_global(stored_error)
    app.add_template_global(stored_message)
    app.add_template_filter(money)
    app.add_template_global(label)
    app.add_template_global(list(Kind), "report_kinds")
    app.add_template_global(BOOKABLE_KINDS, "bookable_kinds")
    app.add_template_global(dict(RULES=RULES, PROFILES=PROFILES, KINDS=KINDS, KIND_DESCRIPTIONS=KIND_DESCRIPTIONS,
                                 CATEGORIES=CATEGORIES,
                                 BATCH_STATUSES=BATCH_STATUSES, SOURCES=SOURCES,
                                 UPLOAD_OUTCOMES=UPLOAD_OUTCOMES), "labels")
    app.add_template_filter(job_kind)
    app.add_template_filter(job_outcome)
    app.add_template_filter(job_message)
    app.add_template_global(mail_error)


def mail_error(stored: dict[str, Any]) -> str:
    """A failed e-mail (`MailError.to_json()`) in plain words, then the server's own answer."""
    text = stored_message(stored)
    answer = stored.get("params", {}).get("answer")
    return f"{text} {translate(MAIL_ANSWER, {'answer': answer})}" if answer else text
