"""One database connection per request, opened before and closed after it."""

from flask import Flask

from core.db import db


def init_app(app: Flask) -> None:
    @app.before_request
    def _connect() -> None:
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc: BaseException | None) -> None:
        # Immediate-mode tasks run inside the request and share its connection,
        # so the connection is closed here only, once the whole request is done.
        if not db.is_closed():
            db.close()
