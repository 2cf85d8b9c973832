"""One error page for every HTTP error; no traceback ever reaches the user."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from webapp import multipart
from webapp.htmx import wants_fragment

log = logging.getLogger(__name__)

MESSAGES = {
    400: _l("The request could not be understood. Please go back and try again."),
    403: _l("You are not allowed to do this."),
    404: _l("There is nothing at this address."),
    405: _l("This address does not accept that kind of request."),
    413: _l("The upload is too large. Split it into smaller files or raise SETTLEBOOK_MAX_UPLOAD_MB."),
    500: _l("Something went wrong on our side. The error was logged; please try again."),
}
CSRF_MESSAGE = _l("The form had expired or did not come from this page. Reload the page and try again.")


def _page(code: int, message: object) -> tuple[str, int]:
    return render_template("error.html", code=code, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return _page(400, CSRF_MESSAGE)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error: RequestEntityTooLarge) -> tuple[str, int]:
        # Werkzeug raises 413 for a body over MAX_CONTENT_LENGTH and for too many form parts.
        if multipart.too_many_files(request.content_length, app.config["MAX_CONTENT_LENGTH"]):
            message = multipart.too_many_files_message()
        else:
            message = str(MESSAGES[413])
        if wants_fragment():  # the upload form's list shows it (htmx swaps 413, see base.html)
            return render_template("reports/_uploads.html", uploads=[], refused=message), 413
        return _page(413, message)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return _page(code, MESSAGES.get(code, error.description))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unhandled error", exc_info=error)
        return _page(500, MESSAGES[500])
