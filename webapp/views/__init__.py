"""One blueprint per area of the app."""

from webapp.views import (
    batches,
    connections,
    health,
    jobs,
    journal,
    marketplaces,
    overview,
    preferences,
    reports,
    settings,
)

ALL_BLUEPRINTS = [
    health.bp,
    overview.bp,
    reports.bp,
    batches.bp,
    journal.bp,
    marketplaces.bp,
    connections.bp,
    settings.bp,
    jobs.bp,
    preferences.bp,
]
