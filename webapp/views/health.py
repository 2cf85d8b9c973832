"""GET /healthz for container health checks and monitoring: answers without a login."""

from flask import Blueprint

from core.db import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    db.execute_sql("SELECT 1")
    return {"status": "ok"}
