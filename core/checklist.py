"""The first-run checklist: what must be set before the first batch goes to the tax advisor.

Steps, in order: the DATEV header data (Beraternummer, Mandantennummer, fiscal year,
chart, account length), a confirmed tax profile for every marketplace the reports name
(core.booking.profiles; until then each books by its default), then reports (uploaded or
fetched). Batches are built before the list is done, but a batch carrying DATEV's
placeholder numbers (the defaults 1001 / 1) is only handed out after the user said
explicitly to use these numbers (`numbers_confirmed`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from core import amazon
from core.booking_settings import SETTINGS_KEY
from core.datev.accounts import marketplace_key
from core.datev.settings import DatevSettings
from core.models import Batch, MarketplaceProfile, Report, Setting
from core.report_queries import counts_by_marketplace

CONFIRMED_KEY = "datev_placeholder_numbers_confirmed"  # [beraternummer, mandantennummer]
DISMISSED_KEY = "checklist_dismissed"  # e.g. a QuickBooks-only seller who never uses DATEV
PLACEHOLDER = (DatevSettings.beraternummer, DatevSettings.mandantennummer)


@dataclass(frozen=True)
class Step:
    code: str  # datev | marketplaces | reports
    done: bool
    count: int = 0  # marketplaces: how many are confirmed …
    of: int = 0  # … of how many the reports name


def is_placeholder(beraternummer: int, mandantennummer: int) -> bool:
    return (beraternummer, mandantennummer) == PLACEHOLDER


def numbers_confirmed(beraternummer: int, mandantennummer: int) -> bool:
    """Whether a batch with these numbers may be handed out."""
    if not is_placeholder(beraternummer, mandantennummer):
        return True
    return Setting.get_value(CONFIRMED_KEY) == [beraternummer, mandantennummer]


def confirm_numbers() -> None:
    Setting.set_value(CONFIRMED_KEY, list(PLACEHOLDER))


def batch_numbers(batch: Batch) -> tuple[int, int]:
    settings = json.loads(batch.settings)["settings"]
    return int(settings["beraternummer"]), int(settings["mandantennummer"])


def unconfirmed(batches: list[Batch]) -> list[Batch]:
    """The batches that carry placeholder numbers nobody confirmed."""
    return [b for b in batches if not numbers_confirmed(*batch_numbers(b))]


def steps() -> list[Step]:
    stored = Setting.get_value(SETTINGS_KEY)
    datev_done = bool(stored) and numbers_confirmed(
        int(stored.get("beraternummer", PLACEHOLDER[0])), int(stored.get("mandantennummer", PLACEHOLDER[1])))
    return [
        Step("datev", datev_done),
        _marketplaces_step(),
        # Reports uploaded, or an Amazon connection that fetches them every day.
        Step("reports", Report.select().exists() or amazon.current() is not None),
    ]


def _marketplaces_step() -> Step:
    names = {marketplace_key(n) for n in counts_by_marketplace()}
    confirmed = {p for (p,) in MarketplaceProfile.select(MarketplaceProfile.marketplace).tuples()}
    count = len(names & confirmed)
    return Step("marketplaces", bool(names) and count == len(names), count, len(names))


def dismiss() -> None:
    Setting.set_value(DISMISSED_KEY, True)


def open_steps() -> list[Step] | None:
    """The checklist while a step is open; None once every step is done or it was dismissed.

    Dismissing hides the list only: placeholder numbers still need their confirmation."""
    if Setting.get_value(DISMISSED_KEY):
        return None
    current = steps()
    return None if all(s.done for s in current) else current
