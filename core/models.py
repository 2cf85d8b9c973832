"""peewee models for the current schema (the schema itself is owned by core/migrations.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from peewee import AutoField, DateTimeField, IntegerField, Model, TextField

from core.db import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class Setting(BaseModel):
    """Small key/value store for the app's settings; values are JSON."""

    key = TextField(primary_key=True)
    value = TextField()

    @classmethod
    def get_value(cls, key: str, default: Any = None) -> Any:
        row = cls.get_or_none(cls.key == key)
        return default if row is None else json.loads(row.value)

    @classmethod
    def set_value(cls, key: str, value: Any) -> None:
        cls.insert(key=key, value=json.dumps(value)).on_conflict_replace().execute()


class LoginAttempt(BaseModel):
    id = AutoField()
    at = DateTimeField(default=utcnow)
    remote_addr = TextField(default="")
    succeeded = IntegerField()


class Job(BaseModel):
    """A recorded run of background work. `message_code` + `params` are translated by the UI."""

    id = AutoField()
    kind = TextField()
    started = DateTimeField(default=utcnow)
    finished = DateTimeField(null=True)
    outcome = TextField(default="running")  # running | ok | failed
    message_code = TextField(default="")
    params = TextField(default="{}")
    subject = TextField(default="")  # what it was about, e.g. a file name

    @property
    def params_dict(self) -> dict[str, Any]:
        return json.loads(self.params or "{}")
