"""Words for the codes that core and tasks store (job kinds, outcomes, message codes).

Core and tasks keep codes and parameters; the wording is chosen here, at render time, in
the reader's language. Templates are marked with N_ and translated when shown.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from flask import Flask
from flask_babel import format_decimal, gettext

from core.i18n import N_
from core.mail.smtp import MAIL_ANSWER
from core.models import Job
from core.reports.model import BOOKABLE_KINDS, Kind
from webapp.dates import isodate

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

JOB_KINDS = {
    "import": N_("Import"),
    "export": N_("Export"),
    "delete_report": N_("Delete report"),
    "regenerate": N_("Regenerate batch"),
    "promote_report": N_("Make version current"),
    "backup": N_("Backup"),
    "mail": N_("E-mail"),
    "amazon_sync": N_("Amazon import"),
}
OUTCOMES = {"running": N_("running"), "ok": N_("done"), "failed": N_("failed")}
JOB_MESSAGES = {
    "done": N_("Done."),
    "unexpected_error": N_("An unexpected error stopped this job (%(error)s). It was logged."),
    "disk_full": N_("The disk is full; nothing was stored. Free some space, then try again."),
    "interrupted": N_("Interrupted (settlebook was stopped or lost power); it runs again by itself."),
    "batch_unchanged": N_("Booking batch of %(key)s: nothing changed since version %(version)s; no new version."),
    "batch_not_built": N_("No booking batch stored for %(key)s: the report was deleted or replaced meanwhile, or its rules kept changing."),
    "report_imported": N_("Imported."),
    "report_new_version": N_("Imported as a new version of a report already there."),
    "report_already_imported": N_("Already imported; nothing changed."),
    "report_restored": N_("Identical to an earlier version, which is current again."),
    "report_candidate": N_("Incomplete download: the lines differ from the total by %(difference)s; the complete version stays current."),
    "report_promoted": N_("Version %(version)s of report %(key)s made current by hand."),
    "batch_built": N_("Booking batch version %(version)s of %(key)s: %(bookings)s bookings, valid."),
    "batch_invalid": N_("Booking batch version %(version)s of %(key)s breaks a DATEV rule or could not be built; it is not offered for download."),
    "amazon_sync_done": N_("From Amazon: new payouts: %(settlements)s, new VAT reports: %(vat)s, already there: %(already)s, failed: %(failed)s."),
    "amazon_sync_failed": N_("Amazon could not be reached or refused (%(code)s: %(message)s)."),
    "report_deleted": N_("Deleted version %(version)s of report %(key)s with its lines and batches."),
    "mail_sent": N_("Sent to %(recipients)s."),
    "mail_sent_partly": N_("Sent to %(recipients)s; the mail server refused %(refused)s."),
}


KINDS = {
    Kind.SETTLEMENT: N_("Settlement"),
    Kind.VAT_TRANSACTIONS: N_("VAT Transactions Report"),
    Kind.DATE_RANGE: N_("Date range report"),
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
BATCH_STATUSES = {"none": N_("none"), "created": N_("created"), "blocked": N_("blocked"),
                  "outdated": N_("outdated"), "building": N_("being built")}
SOURCES = {"upload": N_("upload"), "api": N_("API")}
UPLOAD_OUTCOMES = {
    "imported": N_("Imported."),
    "already_imported": N_("Already imported; nothing changed."),
    "new_version": N_("Imported as a new version; the earlier one is kept as superseded."),
    "restored": N_("Identical to an earlier version, which is current again."),
    "candidate": N_("Incomplete download, kept aside; the complete version stays current."),
}


def label(table: dict[str, str], code: str) -> str:
    return gettext(table[code]) if code in table else code


def translate(template: str, params: dict[str, Any] | None = None) -> str:
    """gettext with named parameters; a parameter missing from an old job never breaks a page."""
    # Core stores dates as ISO strings; the reader sees them in their own format.
    params = {k: isodate(v) if isinstance(v, str) and ISO_DATE.fullmatch(v) else v
              for k, v in (params or {}).items()}
    try:
        return gettext(template, **params)
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
    if job.message_code in ("amazon_sync_done", "amazon_sync_failed"):  # with one line per report
        from webapp.amazon_messages import sync_job_message

        return sync_job_message(job, translate(JOB_MESSAGES[job.message_code], job.params_dict))
    template = JOB_MESSAGES.get(job.message_code)
    if template is None:
        return job.message_code
    params = job.params_dict
    if "difference" in params:  # an amount, in the reader's number format
        params["difference"] = money(Decimal(params["difference"]), params.get("currency", ""))
    return translate(template, params)


MONEY_PARAMS = ("lines_sum", "total", "amount", "difference")


def translate_stored(template: str, params: dict[str, Any]) -> str:
    """A stored message; its amounts (kept as "-0.50") in the reader's number format."""
    params = dict(params)
    for name in MONEY_PARAMS:
        try:
            params[name] = format_decimal(Decimal(params[name]), format="#,##0.00")
        except (KeyError, ArithmeticError, ValueError, TypeError):
            pass
    return translate(template, params)


def stored_error(row: Any) -> str:
    """A failed upload's or batch's message, kept as an English template with its parameters."""
    return translate_stored(row.error_template, json.loads(row.error_params or "{}"))


MISSING_REASONS = {
    "not_built": N_("no booking batch has been built yet"),
    "building": N_("its booking batch is being built; try again in a moment"),
    "outdated": N_("its booking batch is outdated (settings, accounts or mappings changed); regenerate it"),
    "blocked": N_("its booking batch is blocked"),
}


def missing_name(item: Any) -> str:
    """A report as the ZIP's missing list names it: kind, key, period."""
    from flask_babel import format_date as day

    report = item.report
    period = ""
    if report.period_start and report.period_end:
        period = f" ({day(report.period_start.date())} – {day(report.period_end.date())})"
    return f"{label(KINDS, report.kind)} {report.key}{period}"


def missing_reason(item: Any) -> str:
    reason = label(MISSING_REASONS, item.reason)
    if item.reason == "blocked" and item.batch is not None:
        detail = stored_error(item.batch) if item.batch.error_template else gettext(
            "a file breaks a DATEV rule")
        reason = f"{reason}: {detail}"
    return reason


def batch_problem(batch: Any) -> str | None:
    """Why a batch is blocked, as a code the page turns into an action."""
    from core.datev import messages as datev_messages

    if batch is None or batch.ok:
        return None
    if batch.error_template == datev_messages.REPORT_NOT_RECONCILED:
        return "not_reconciled"
    if any(f.violation_list for f in batch.files):
        return "violations"
    return "other"


def complete_version(report: Any) -> Any:
    """Another version of the report that adds up (the newest), if there is one."""
    from core.models import Report

    return (Report.select().where(Report.kind == report.kind, Report.key == report.key,
                                  Report.id != report.id, Report.reconciles == True)  # noqa: E712
            .order_by(Report.version.desc()).first())


def stored_message(stored: dict[str, Any]) -> str:
    """A message core stored with `Message.to_json()` (a notice, a DATEV rule violation)."""
    # Violations stored before Message kept the booking and the field beside the params.
    extra = {k: stored[k] for k in ("row", "field") if k in stored}
    return translate_stored(stored["template"], {**extra, **stored.get("params", {})})


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
    app.add_template_global(translate_stored)
    app.add_template_global(batch_problem)
    app.add_template_global(missing_name)
    app.add_template_global(missing_reason)
    app.add_template_global(complete_version)
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
