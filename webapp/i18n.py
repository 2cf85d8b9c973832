"""Language selection: the user's saved choice, then the browser's wish, then English."""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel, get_locale

from core.db import db
from core.models import Setting

LANGUAGES = {"en": "English", "de": "Deutsch"}
DEFAULT = "en"
DEFAULT_TIMEZONE = "Europe/Berlin"


def select_locale() -> str:
    chosen = session.get("lang") or _saved_language()
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT


def _saved_language() -> str | None:
    if db.is_closed():  # e.g. rendering an error page after the request ended
        return None
    return Setting.get_value("language")


def remember(lang: str) -> None:
    """Keep the choice in the session and, for the next device or browser, in the settings."""
    session["lang"] = lang
    Setting.set_value("language", lang)


def select_timezone() -> str:
    """Dates are shown in the user's time zone (a setting), Amazon's UTC stored underneath."""
    if db.is_closed():
        return DEFAULT_TIMEZONE
    return Setting.get_value("timezone", DEFAULT_TIMEZONE)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)

    @app.context_processor
    def _i18n_globals() -> dict[str, object]:
        return {"get_locale": get_locale, "LANGUAGES": LANGUAGES}
