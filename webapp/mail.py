"""The e-mails' words: subject, plain text and HTML of a notice digest, and the test e-mail,
in the user's language.

E-mails are written in a background task, outside any request, so the catalog is loaded
here directly (the same webapp/translations the pages use) instead of through flask-babel.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_time, get_timezone
from babel.numbers import format_decimal
from babel.support import Translations

from core.i18n import N_
from core.mail.settings import MailSettings
from core.models import Setting
from core.notify import Digest, FailureNotice, ReportNotice
from webapp.messages import KINDS

CATALOGS = Path(__file__).parent / "translations"

FAILURES = {
    "amazon_unreachable": N_("settlebook could not reach Amazon"),
    "credentials_rejected": N_("Amazon rejected the seller account's credentials"),
    "import_failed": N_("A report could not be imported"),
    "batch_blocked": N_("A booking batch breaks a DATEV rule"),
    "sync_failed": N_("The automatic import failed"),
}
FAILURE_ADVICE = {
    "amazon_unreachable": N_("The next run tries again by itself. If this lasts for days, check the internet "
                             "connection of the device settlebook runs on."),
    "credentials_rejected": N_("Connect the seller account again under Connections; "
                               "until then no reports are fetched."),
    "import_failed": N_("Nothing of that file was stored. The job log names the file and the line."),
    "batch_blocked": N_("The batch is not offered for download. Open it to see which rule it breaks."),
    "sync_failed": N_("The next run tries again by itself. The job log has the details."),
}
BATCH_STATES = {
    "valid": N_("booking batch ready"),
    "blocked": N_("booking batch blocked"),
    "outdated": N_("booking batch outdated"),
    "waiting": N_("booking batch not built yet"),
    "not_booked": N_("not booked (information only)"),
}
REASONS = {
    "not_reconciled": N_("does not add up: off by %(difference)s"),
    "batch_blocked": N_("its booking batch breaks a DATEV rule and is not offered for download"),
    "batch_outdated": N_("its booking batch was built with old settings; regenerate it"),
}


class Words:
    """gettext, numbers and dates for one language, without a request."""

    def __init__(self, language: str) -> None:
        self.language = language if (CATALOGS / language).is_dir() or language == "en" else "en"
        self.catalog = Translations.load(str(CATALOGS), [self.language])
        self.timezone = get_timezone(Setting.get_value("timezone") or "Europe/Berlin")

    def _(self, template: str, **params: Any) -> str:
        text = self.catalog.gettext(template)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, num: int, **params: Any) -> str:
        return self.catalog.ngettext(singular, plural, num) % {"num": num, **params}

    def money(self, amount: Decimal, currency: str) -> str:
        return f"{format_decimal(amount, format='#,##0.00', locale=self.language)} {currency}".strip()

    def day(self, value: datetime) -> str:
        return format_date(value.date(), format="medium", locale=self.language)

    def moment(self, value: datetime) -> str:
        """A stored UTC time, in the user's time zone."""
        local = value.replace(tzinfo=UTC).astimezone(self.timezone)
        return f"{self.day(local)}, {format_time(local, format='short', locale=self.language)}"


# -- the digest ----------------------------------------------------------------------------

def render_digest(digest: Digest, settings: MailSettings, language: str) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of one notice e-mail."""
    w = Words(language)
    return _subject(w, digest), _text(w, digest, settings), _html(w, digest, settings)


def _subject(w: Words, digest: Digest) -> str:
    parts = []
    if len(digest.failures) == 1:
        parts.append(w._(FAILURES[digest.failures[0].kind]))
    elif digest.failures:
        parts.append(w.ngettext("%(num)s problem", "%(num)s problems", len(digest.failures)))
    if digest.reports:
        parts.append(w.ngettext("%(num)s new report", "%(num)s new reports", len(digest.reports)))
    if digest.attention:
        parts.append(w.ngettext("%(num)s needs attention", "%(num)s need attention", len(digest.attention)))
    return "settlebook: " + ", ".join(parts)


def _report_title(w: Words, r: ReportNotice) -> str:
    kind = w._(KINDS[r.kind]) if r.kind in KINDS else r.kind
    if r.kind == "vat_transactions" and r.period_start:
        period = format_date(r.period_start.date(), format="MMMM yyyy", locale=w.language)
        return f"{kind} {period}"
    # A settlement is known by its id; a date range report's key is only its dates again.
    title = f"{kind} {r.key}" if r.kind == "settlement" else kind
    if r.period_start and r.period_end:
        title += f" ({w.day(r.period_start)} – {w.day(r.period_end)})"
    elif r.period_end:
        title += f" ({w.day(r.period_end)})"
    return title


def _report_facts(w: Words, r: ReportNotice) -> str:
    facts = [", ".join(r.marketplaces)] if r.marketplaces else []
    facts.append(w.money(r.total, r.currency))
    if r.version > 1:
        facts.append(w._("version %(version)s", version=r.version))
    facts.append(w._(BATCH_STATES[r.batch]))
    return " · ".join(facts)


def _reasons(w: Words, r: ReportNotice) -> str:
    words = []
    for code, params in r.reasons:
        if code == "unmapped":
            words.append(w.ngettext("%(num)s line without a category", "%(num)s lines without a category",
                                    params["num"]))
        elif code == "not_reconciled":
            words.append(w._(REASONS[code], difference=w.money(params["difference"], params["currency"])))
        else:
            words.append(w._(REASONS[code]))
    return "; ".join(words)


def _failure_lines(w: Words, f: FailureNotice) -> tuple[str, str, str]:
    """(headline with how often, the reason, the advice)."""
    reason = f.detail
    headline = w._(FAILURES[f.kind])
    if f.subject:
        headline += f": {f.subject}"
    if f.repeats > 1:
        headline += " " + w.ngettext("(%(num)s time since %(first)s)", "(%(num)s times since %(first)s)",
                                     f.repeats, first=w.moment(f.first))
    else:
        headline += f" ({w.moment(f.first)})"
    if f.template:
        try:
            reason = w._(f.template, **f.params) if f.params else w._(f.template)
        except (KeyError, ValueError, TypeError):
            reason = w._(f.template)
    return headline, reason, w._(FAILURE_ADVICE[f.kind])


def _link(settings: MailSettings, r: ReportNotice) -> str:
    return f"{settings.public_url}/reports/{r.report_id}" if settings.public_url else ""


def _report_sections(w: Words, digest: Digest) -> list[tuple[str, list[tuple[ReportNotice, str]]]]:
    """(heading, [(report, what to say about it)]) for the new reports and those needing attention."""
    sections = []
    if digest.reports:
        sections.append((w._("New reports") + f" ({len(digest.reports)})",
                         [(r, _report_facts(w, r)) for r in digest.reports]))
    if digest.attention:
        sections.append((w._("Needs attention") + f" ({len(digest.attention)})",
                         [(r, _reasons(w, r)) for r in digest.attention]))
    return sections


def _text(w: Words, digest: Digest, settings: MailSettings) -> str:
    out: list[str] = []
    if digest.failures:
        out.append(w._("Problems") + ":")
        for f in digest.failures:
            headline, reason, advice = _failure_lines(w, f)
            out.append(f"- {headline}")
            out.extend(f"  {line}" for line in (reason, advice) if line)
        out.append("")
    for heading, items in _report_sections(w, digest):
        out.append(f"{heading}:")
        for r, words in items:
            out.append(f"- {_report_title(w, r)}: {words}")
            if _link(settings, r):
                out.append(f"  {_link(settings, r)}")
        out.append("")
    out.append("-- ")
    out.append(_footer(w))
    return "\n".join(out) + "\n"


def _footer(w: Words) -> str:
    return w._("Sent by settlebook. Change what you are told under Settings › Notifications.")


def _html(w: Words, digest: Digest, settings: MailSettings) -> str:
    e = html.escape
    out = [f'<!doctype html><html lang="{e(w.language)}"><body style="font-family:sans-serif;line-height:1.4">']
    if digest.failures:
        problems = w._("Problems")  # outside the f-string, where babel finds it
        out.append(f"<h2>{e(problems)}</h2><ul>")
        for f in digest.failures:
            headline, reason, advice = _failure_lines(w, f)
            out.append(f"<li><strong>{e(headline)}</strong>"
                       + "".join(f"<br>{e(line)}" for line in (reason, advice) if line) + "</li>")
        out.append("</ul>")
    for heading, items in _report_sections(w, digest):
        out.append(f"<h2>{e(heading)}</h2><ul>")
        for r, words in items:
            title = e(_report_title(w, r))
            if _link(settings, r):
                title = f'<a href="{e(_link(settings, r))}">{title}</a>'
            out.append(f"<li>{title}: {e(words)}</li>")
        out.append("</ul>")
    out.append(f'<p style="color:#666;font-size:90%">{e(_footer(w))}</p></body></html>')
    return "\n".join(out)


# -- the test e-mail -------------------------------------------------------------------------

def render_test(settings: MailSettings, language: str) -> tuple[str, str]:
    w = Words(language)
    lines = [w._("This is a test e-mail from settlebook. The mail settings work."), ""]
    if settings.notify_batches:
        lines.append("- " + w._("You are told about new reports and booking batches."))
    if settings.notify_failures:
        lines.append("- " + w._("You are told when something fails "
                                "(Amazon not reachable, an import or a batch failed)."))
    if not (settings.notify_batches or settings.notify_failures):
        lines.append(w._("Both kinds of notices are switched off, so only test e-mails are sent."))
    lines += ["", "-- ", _footer(w)]
    return w._("settlebook: test e-mail"), "\n".join(lines) + "\n"
