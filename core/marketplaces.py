"""Which marketplaces are imported: those from the Sellers API and those seen in reports,
each enabled or not. A newly enabled marketplace books with its tax profile's default
accounts (core/booking/profiles.py), shown as "default, please confirm" until the user
confirms the profile on the Marketplaces page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from core.db import db
from core.models import Marketplace, Report, utcnow

MARKETPLACE_COLUMNS = ("marketplace-name", "marketplace")


def key_of(name: str) -> str:
    """"Amazon.de", "amazon.de" and "www.amazon.de" are one marketplace: "amazon.de"."""
    return name.strip().lower().removeprefix("www.")


def all_marketplaces() -> list[Marketplace]:
    return list(Marketplace.select().order_by(Marketplace.enabled.desc(), Marketplace.key))


def record_participations(participations: list[dict[str, Any]], enable_new: bool,
                          now: datetime | None = None) -> list[str]:
    """Store the marketplaces from the Sellers API; returns the keys enabled now.

    Marketplaces the user already decided on keep their state. New ones are enabled when
    `enable_new` (the command line, which cannot ask) or when reports from them were
    already imported (the seller uses them); otherwise the user enables them on the page.
    """
    now = now or utcnow()
    seen = seen_in_reports()
    enabled = []
    with db.atomic():
        for item in participations:
            market = item.get("marketplace") or {}
            participation = item.get("participation") or {}
            key = key_of(market.get("name") or market.get("domainName") or "")
            if not key.startswith("amazon."):
                continue  # Amazon also lists internal ones ("Non-Amazon DE", "SI Prod …"): never in reports
            row = Marketplace.get_or_none(Marketplace.key == key)
            values = dict(amazon_id=market.get("id"), name=market.get("name") or key,
                          country_code=market.get("countryCode") or "",
                          currency=market.get("defaultCurrencyCode") or "",
                          participating=bool(participation.get("isParticipating")))
            if row is None:
                turn_on = values["participating"] and (enable_new or key in seen)
                Marketplace.create(key=key, source="api", enabled=turn_on,
                                   enabled_at=now if turn_on else None, **values)
                if turn_on:
                    enabled.append(key)
            else:
                Marketplace.update(**values).where(Marketplace.key == key).execute()
    return enabled


def seen_in_reports() -> set[str]:
    keys: set[str] = set()
    for (names,) in Report.select(Report.marketplaces).distinct().tuples():
        keys.update(key_of(n) for n in names.split("|") if n.strip())
    return keys


def record_seen(keys: Iterable[str]) -> None:
    """Marketplaces met in a downloaded document but not (yet) known through the API."""
    for key in keys:
        if key.startswith("amazon.") and Marketplace.get_or_none(Marketplace.key == key) is None:
            name = "Amazon." + key.removeprefix("amazon.")
            Marketplace.create(key=key, name=name, source="report", enabled=False)


def set_enabled(key: str, enabled: bool, now: datetime | None = None) -> Marketplace | None:
    with db.atomic():
        row = Marketplace.get_or_none(Marketplace.key == key)
        if row is None:
            return None
        if enabled and not row.enabled:
            row.enabled_at = now or utcnow()
        row.enabled = enabled
        row.save()
        return row


def enabled_keys() -> set[str]:
    return {m.key for m in Marketplace.select(Marketplace.key).where(Marketplace.enabled == True)}  # noqa: E712


def document_marketplaces(text: str) -> set[str]:
    """The marketplaces a downloaded report names (its marketplace column), as keys."""
    lines = text.splitlines()
    if not lines:
        return set()
    header = lines[0].lstrip("\ufeff")
    delimiter = "\t" if "\t" in header else ","
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    columns = [c.strip().lower() for c in next(rows, [])]
    index = next((columns.index(c) for c in MARKETPLACE_COLUMNS if c in columns), None)
    if index is None:
        return set()
    found = set()
    for row in rows:
        if len(row) > index and row[index].strip():
            found.add(key_of(row[index]))
    return {k for k in found if k.startswith("amazon.")}


def should_skip(keys: set[str]) -> bool:
    """A document is skipped only when every Amazon marketplace it names is disabled."""
    if not keys:
        return False
    record_seen(keys)
    return not (keys & enabled_keys())
