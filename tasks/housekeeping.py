"""Periodic upkeep of the data directory."""

from __future__ import annotations

from datetime import timedelta

from huey import crontab

from core import auth
from core.booking_settings import apply_new_classification_rules, mark_outdated
from core.models import LoginAttempt, utcnow
from core.qbwc import delivery as qbwc_delivery
from tasks.queue import huey, with_db


@with_db
def classify_with_new_rules() -> int:
    """Called once when the worker starts: a release's new classification rules reach
    lines stored before it without a category."""
    changed = apply_new_classification_rules()
    # A release with other booking logic (rules.BOOKING_LOGIC_VERSION) outdates older batches.
    mark_outdated()
    return changed


@huey.periodic_task(crontab(minute="17", hour="3"))
@with_db
def prune_login_attempts() -> int:
    """Forget login attempts older than a week; the brake only looks at the last hour."""
    cutoff = utcnow() - timedelta(days=7)
    return LoginAttempt.delete().where(LoginAttempt.at < cutoff).execute()


@huey.periodic_task(crontab(minute="23", hour="3"))
@with_db
def prune_sessions() -> int:
    """Delete sessions past the longest idle timeout (each request also checks its own)."""
    return auth.prune_sessions(timedelta(days=7))


@huey.periodic_task(crontab(minute="29", hour="3"))
@with_db
def prune_qbwc_sessions() -> int:
    """Forget Web Connector sessions that ended more than a day ago (one per scheduled run)."""
    return qbwc_delivery.cleanup()
