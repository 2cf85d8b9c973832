"""Small helpers every view shares: a row or 404, and a safe place to go back to."""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import urlparse

from flask import abort, url_for
from peewee import Model

M = TypeVar("M", bound=Model)


def get_or_404(model: type[M], row_id: int) -> M:
    """The row with this id, or the 404 page."""
    row = model.get_or_none(model.id == row_id)
    if row is None:
        abort(404)
    return row


def safe_next(target: str | None, default: str | None = None) -> str:
    """A local path to go on to (never another site), else `default` (the overview)."""
    if target and target.startswith("/") and not target.startswith("//") and not urlparse(target).netloc:
        return target
    return default or url_for("index")
