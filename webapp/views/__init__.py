"""One blueprint per area of the app."""

from webapp.views import (
    batches,
    checklist,
    connections,
    handover,
    health,
    jobs,
    journal,
    marketplaces,
    overview,
    preferences,
    reports,
    search,
    settings,
    statement,
)

ALL_BLUEPRINTS = [
    health.bp,
    overview.bp,
    reports.bp,
    statement.bp,
    search.bp,
    batches.bp,
    journal.bp,
    handover.bp,
    checklist.bp,
    marketplaces.bp,
    connections.bp,
    settings.bp,
    jobs.bp,
    preferences.bp,
]
