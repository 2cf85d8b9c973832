"""What the user chose for booking: DATEV settings, account rules and category mappings.

Every change marks the reports whose current batch was built with other choices as
"outdated" (the batch stores the fingerprint of the choices it was built with).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from peewee import Case, fn

from core import vat_months
from core.booking.profiles import PROFILES
from core.booking.rules import BOOKING_LOGIC_VERSION
from core.datev.accounts import (
    AccountRule,
    AccountSet,
    check_account_set,
    default_account_set,
    marketplace_key,
    sha256_json,
)
from core.datev.settings import DatevSettings, validate_settings
from core.db import db
from core.mappings import classify_unmapped_lines, mapping_overrides, store_mapping
from core.models import Batch, MarketplaceProfile, Report, Setting, utcnow

SETTINGS_KEY = "datev_settings"


def load_settings() -> DatevSettings:
    stored = Setting.get_value(SETTINGS_KEY)
    return DatevSettings.from_dict(stored) if stored else DatevSettings()


def save_settings(values: Mapping[str, str]) -> dict[str, str]:
    """Validate and store the settings form; {field: template} when something is wrong."""
    settings, errors = validate_settings(values)
    if errors:
        return errors
    assert settings is not None
    with db.atomic():
        Setting.set_value(SETTINGS_KEY, settings.to_dict())
        mark_outdated()
    return {}


def _accounts_key(settings: DatevSettings) -> str:
    return f"accounts:{settings.chart}:{settings.account_length}"


def load_accounts(settings: DatevSettings | None = None) -> AccountSet:
    """The account set of the chart, with the tax profiles the user confirmed."""
    settings = settings or load_settings()
    stored = Setting.get_value(_accounts_key(settings))
    accounts = (AccountSet.from_dict(stored, settings.account_length) if stored
                else default_account_set(settings.chart, settings.account_length))
    profiles = {p.marketplace: p.profile for p in MarketplaceProfile.select()}
    return replace(accounts, profiles=profiles)


def save_profile(marketplace: str, profile: str | None) -> None:
    """Confirm a marketplace's tax profile (None: back to the unconfirmed default)."""
    key = marketplace_key(marketplace)
    with db.atomic():
        if profile is None:
            MarketplaceProfile.delete().where(MarketplaceProfile.marketplace == key).execute()
        else:
            if profile not in PROFILES:
                raise ValueError(profile)
            (MarketplaceProfile.insert(marketplace=key, profile=profile, confirmed_at=utcnow())
             .on_conflict_replace().execute())
        mark_outdated()


def save_rule(key: str, marketplace: str, rule: AccountRule) -> list[Any]:
    """Store one rule (for all marketplaces or one); returns the problems, storing nothing then."""
    settings = load_settings()
    accounts = load_accounts(settings).with_rule(key, rule, marketplace)
    problems = [p for p in check_account_set(accounts, settings.account_length)
                if p.rule == key and (p.marketplace or "") == (marketplace.lower() if marketplace else "")]
    if problems:
        return problems
    with db.atomic():
        Setting.set_value(_accounts_key(settings), accounts.overrides_dict(settings.account_length))
        mark_outdated()
    return []


def reset_marketplace(marketplace: str) -> None:
    """Drop a marketplace's own rules: it uses the defaults again."""
    settings = load_settings()
    accounts = load_accounts(settings)
    markets = {k: v for k, v in accounts.marketplaces.items() if k != marketplace.lower()}
    with db.atomic():
        Setting.set_value(_accounts_key(settings), AccountSet(accounts.chart, accounts.default, markets)
                          .overrides_dict(settings.account_length))
        mark_outdated()


def map_combination(transaction_type: str, amount_type: str, description: str, category: str) -> int:
    """Give an unknown combination a category: stored lines and report totals follow at once.

    Returns how many lines changed. Reports whose batch used the old category become outdated.
    """
    with db.atomic():
        changed = store_mapping(transaction_type, amount_type, description, category)
        mark_outdated()
    return changed


def apply_new_classification_rules() -> int:
    """Lines stored without a category that today's rules classify get it (see
    `classify_unmapped_lines`); their reports' batches become outdated."""
    with db.atomic():
        changed, reports = classify_unmapped_lines()
        # The rules' fingerprint did not move, the data did: these batches are outdated.
        (Report.update(batch_status="outdated")
         .where(Report.id.in_(list(reports)), Report.batch_status == "created").execute())
    return changed


def rules_fingerprint() -> tuple[str, dict[str, Any]]:
    """The fingerprint of today's settings, accounts and mappings, with what it covers."""
    settings = load_settings()
    snapshot = {"booking_logic": BOOKING_LOGIC_VERSION,
                "settings": settings.to_dict(), "accounts": load_accounts(settings).to_dict(),
                "mappings": sorted([*k, v] for k, v in mapping_overrides().items())}
    return sha256_json(snapshot), snapshot


def mark_outdated() -> int:
    """Reports whose current batch was built with anything else than today's rules."""
    fingerprint, _ = rules_fingerprint()
    stale = Batch.select(Batch.report).where(Batch.status == "current", Batch.fingerprint != fingerprint)
    fresh = Batch.select(Batch.report).where(Batch.status == "current", Batch.fingerprint == fingerprint)
    # A superseded report stays outdated: its data, not the rules, moved on.
    current = Report.status == "current"
    Report.update(batch_status=_built_status()).where(current, Report.id.in_(fresh)).execute()
    changed = Report.update(batch_status="outdated").where(current, Report.id.in_(stale)).execute()
    # Overlapping VAT reports: a batch whose month split no longer holds is outdated too.
    return changed + vat_months.mark_stale()


def _built_status() -> Case:
    """"created" or "blocked", from the report's current batch (SQL, for bulk updates)."""
    invalid = (Batch.select(Batch.id).where(Batch.report == Report.id, Batch.status == "current",
                                            Batch.ok == False))  # noqa: E712 - peewee expression
    return Case(None, [(fn.EXISTS(invalid), "blocked")], "created")
