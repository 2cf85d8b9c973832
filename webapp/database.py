"""One database connection per request, opened before and closed after it."""

from flask import Flask, g

from core.db import db


def init_app(app: Flask) -> None:
    @app.before_request
    def _connect() -> None:
        # False when a connection is already open in this thread (a test, a CLI
        # command): then that owner closes it, not us.
        g.db_opened_here = db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(exc: BaseException | None) -> None:
        # Immediate-mode tasks run inside the request and share its connection,
        # so it is closed here, once the whole request is done.
        if g.get("db_opened_here") and not db.is_closed():
            db.close()
