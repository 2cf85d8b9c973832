"""QuickBooks summaries of stored settlements: settings in the `setting` table, summaries
built from the stored lines (streamed), IIF files for one settlement or a date range.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from core.db import db
from core.imports import stored_report
from core.models import Report, Setting
from core.quickbooks import preview
from core.quickbooks.iif import write_iif
from core.quickbooks.settings import QuickBooksSettings, marketplace_key, overrides, to_form, validate
from core.quickbooks.summary import SettlementSummary, SummaryError, build_summary

SETTINGS_KEY = "quickbooks_settings"


def load_settings() -> QuickBooksSettings:
    stored = Setting.get_value(SETTINGS_KEY)
    return QuickBooksSettings.from_dict(stored) if stored else QuickBooksSettings()


def form_values(marketplace: str = "") -> dict[str, str]:
    """What the settings form shows: the defaults, or what a marketplace uses."""
    settings = load_settings()
    if marketplace:
        return to_form(settings.for_marketplace(marketplace))
    return to_form(settings)


def save_settings(values: Mapping[str, str], marketplace: str = "") -> dict[str, str]:
    """Validate and store the form (for all marketplaces, or one); {field: template} if wrong.

    A marketplace stores only the values that differ from the defaults, so changing a
    default later still reaches every marketplace that did not choose its own value.
    """
    current = load_settings()
    base = replace(current, marketplaces={})
    merged = {**to_form(current.for_marketplace(marketplace) if marketplace else base), **values}
    settings, errors = validate(merged)
    if errors:
        return errors
    assert settings is not None
    markets = {k: dict(v) for k, v in current.marketplaces.items()}
    if marketplace:
        own = overrides(base, to_form(settings))
        key = marketplace_key(marketplace)
        if own:
            markets[key] = own
        else:
            markets.pop(key, None)
        result = replace(base, marketplaces=markets)
    else:
        result = replace(settings, marketplaces=markets)
    with db.atomic():
        Setting.set_value(SETTINGS_KEY, result.to_dict())
    return {}


def reset_marketplace(marketplace: str) -> None:
    current = load_settings()
    markets = {k: dict(v) for k, v in current.marketplaces.items() if k != marketplace_key(marketplace)}
    Setting.set_value(SETTINGS_KEY, replace(current, marketplaces=markets).to_dict())


def own_marketplaces() -> list[str]:
    return sorted(load_settings().marketplaces)


def summary_for_report(report_id: int, settings: QuickBooksSettings | None = None) -> SettlementSummary:
    """The summary of a stored settlement; raises SummaryError when none can be built."""
    return build_summary(stored_report(report_id), settings or load_settings(), report_id=report_id)


@dataclass
class Selected:
    """A settlement a date range selected, with its summary or why there is none."""

    report: Report
    summary: SettlementSummary | None
    error: SummaryError | None


def select(first: date, last: date) -> list[Selected]:
    settings = load_settings()
    out = []
    for report in preview.settlements_ending_between(first, last):
        try:
            out.append(Selected(report, summary_for_report(report.id, settings), None))
        except SummaryError as error:
            out.append(Selected(report, None, error))
    return out


def iif_for_report(report_id: int) -> tuple[SettlementSummary, bytes]:
    summary = summary_for_report(report_id)
    return summary, write_iif([summary])


def iif_for_range(first: date, last: date) -> tuple[list[Selected], bytes | None]:
    """One IIF file for every settlement of the range that can be summarised."""
    selected = select(first, last)
    summaries = [s.summary for s in selected if s.summary is not None]
    return selected, (write_iif(summaries) if summaries else None)
