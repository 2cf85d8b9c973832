"""The Flask application factory: configuration, extensions and blueprints, nothing else."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask_htmx import HTMX
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

import tasks
from core import private_files
from core.db import init_db
from core.reports import decode
from webapp import (
    amazon_messages,
    auth,
    config,
    database,
    dates,
    errors,
    headers,
    i18n,
    messages,
    multipart,
    report_names,
)
from webapp import htmx as htmx_helpers
from webapp.views import ALL_BLUEPRINTS

csrf = CSRFProtect()
htmx_ext = HTMX()  # not `htmx`: that name is the webapp.htmx module


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config.app_config(config.from_environ(os.environ)))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        TASKS_IMMEDIATE=False,
    )
    app.config.update(overrides or {})
    # The cookie expires with the server-side idle timeout (refreshed on every request).
    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SESSION_IDLE"]
    data_dir = app.config["DATA_DIR"] = Path(app.config["DATA_DIR"])
    private_files.tighten(private_files.private_dir(data_dir))  # installations from before 0600
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or config.secret_key(data_dir)
    app.config.setdefault("DATABASE", config.database_path(data_dir))
    app.config.setdefault("QUEUE", config.queue_path(data_dir))

    init_db(app.config["DATABASE"])
    decode.set_unpacked_limit(app.config["MAX_UNPACKED"])
    tasks.configure(app.config["QUEUE"], immediate=app.config["TASKS_IMMEDIATE"])
    tasks.mail.configure(data_dir, app.config["MAIL_DELAY"])
    tasks.sync.configure(data_dir, app.config.get("AMAZON_ENDPOINTS") or config.amazon_endpoints(app.config))

    if app.config["PROXIES"]:
        n = app.config["PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)

    database.init_app(app)
    csrf.init_app(app)
    htmx_ext.init_app(app)
    i18n.init_app(app)
    dates.init_app(app)
    htmx_helpers.init_app(app)
    headers.init_app(app)
    multipart.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    messages.init_app(app)
    report_names.init_app(app)
    amazon_messages.init_app(app)

    for blueprint in ALL_BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.add_url_rule("/", endpoint="index", view_func=app.view_functions["overview.index"])
    return app
