"""One blueprint per area of the app."""

from webapp.views import (
    batches,
    connections,
    health,
    jobs,
    marketplaces,
    notifications,
    overview,
    preferences,
    qbwc,
    qbwc_setup,
    quickbooks,
    reports,
    settings,
)

ALL_BLUEPRINTS = [
    health.bp,
    overview.bp,
    reports.bp,
    batches.bp,
    marketplaces.bp,
    connections.bp,
    settings.bp,
    notifications.bp,
    quickbooks.bp,
    jobs.bp,
    preferences.bp,
    qbwc.bp,
    qbwc_setup.bp,
]
