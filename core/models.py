"""peewee models for the current schema (the schema itself is owned by core/migrations.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CompositeKey,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

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


class Session(BaseModel):
    """A logged-in browser. `id` is the SHA-256 of the token in its cookie."""

    id = TextField(primary_key=True)
    created = DateTimeField(default=utcnow)
    last_seen = DateTimeField(default=utcnow)
    client = TextField(default="")


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


class MoneyField(TextField):
    """A Decimal kept as its exact string; SQLite's numeric types would round through float."""

    def db_value(self, value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    def python_value(self, value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)


class Report(BaseModel):
    """One imported source document (a version of it: a corrected re-issue is a new row)."""

    id = AutoField()
    kind = TextField()
    layout = TextField()
    key = TextField()
    version = IntegerField(default=1)
    # current | superseded | candidate (a re-issue that does not add up while the current
    # version does: kept, shown, promotable by hand, never current by itself)
    status = TextField(default="current")
    source = TextField()  # upload | api
    filename = TextField(default="")
    sha256 = TextField()
    content_hash = TextField()
    currency = TextField(default="")
    total = MoneyField()
    lines_sum = MoneyField()
    difference = MoneyField()
    reconciles = BooleanField(default=True)
    line_count = IntegerField()
    unmapped_count = IntegerField(default=0)
    period_start = DateTimeField(null=True)
    period_end = DateTimeField(null=True)
    deposit_date = DateTimeField(null=True)
    year = IntegerField(null=True)
    marketplaces = TextField(default="")  # "|"-joined
    categories = TextField(default="{}")  # JSON {category: decimal string}
    unmapped = TextField(default="[]")  # JSON [[type, amount type, description, count], …]
    encoding = TextField(default="")
    imported_at = DateTimeField(default=utcnow)
    batch_status = TextField(default="none")  # none | created | blocked | outdated
    build_requested = DateTimeField(null=True)  # a build is queued or running (cleared by its commit)

    @property
    def marketplace_list(self) -> list[str]:
        return [m for m in self.marketplaces.split("|") if m]

    @property
    def currency_totals(self) -> list[tuple[str, Decimal]]:
        """The total per currency; a VAT month of EUR and GBP rows is never one sum."""
        if "/" not in (self.currency or ""):
            return [(self.currency, self.total)]
        from peewee import fn

        # Amounts are decimal text; summed here, never as SQLite floats.
        amounts_text = fn.GROUP_CONCAT(LineRow.amount, "|").coerce(False)
        rows = (LineRow.select(LineRow.currency, amounts_text)
                .where(LineRow.report == self.id).group_by(LineRow.currency).tuples())
        return [(currency, sum((Decimal(a) for a in amounts.split("|")), Decimal("0")))
                for currency, amounts in sorted(rows) if amounts]

    @property
    def category_totals(self) -> dict[str, Decimal]:
        return {k: Decimal(v) for k, v in json.loads(self.categories).items()}

    @property
    def unmapped_list(self) -> list[tuple[str, str, str, int]]:
        return [tuple(item) for item in json.loads(self.unmapped)]

    @property
    def needs_attention(self) -> bool:
        return (not self.reconciles or self.unmapped_count > 0
                or self.batch_status in ("outdated", "blocked"))


class ReportFile(BaseModel):
    report = ForeignKeyField(Report, primary_key=True, backref="file", on_delete="CASCADE")
    filename = TextField()
    size = IntegerField()
    sha256 = TextField()
    compression = TextField()
    data = BlobField()


class LineRow(BaseModel):
    """A stored `core.reports.model.Line` (table `line`)."""

    id = AutoField()
    report = ForeignKeyField(Report, backref="lines", on_delete="CASCADE")
    line_no = IntegerField()
    posted = DateTimeField(null=True)
    transaction_type = TextField()
    amount_type = TextField()
    amount_description = TextField()
    amount = MoneyField()
    category = TextField()
    order_id = TextField(default="")
    adjustment_id = TextField(default="")
    sku = TextField(default="")
    quantity = IntegerField(null=True)
    marketplace = TextField(default="")
    fulfillment = TextField(default="")
    settlement_id = TextField(default="")
    currency = TextField(default="")
    vat_treatment = TextField(null=True)
    vat_rate = MoneyField(null=True)
    vat_net = MoneyField(null=True)
    vat_amount = MoneyField(null=True)
    ship_from = TextField(default="")
    ship_to = TextField(default="")
    buyer_vat_id = TextField(default="")
    seller_vat_id = TextField(default="")
    jurisdiction = TextField(default="")
    event_id = TextField(default="")
    scheme = TextField(default="")
    collection = TextField(default="")

    class Meta:
        table_name = "line"


class Upload(BaseModel):
    """A file waiting for, or done with, its background import."""

    id = AutoField()
    filename = TextField()
    size = IntegerField()
    lines_expected = IntegerField(default=0)  # physical lines, for the progress bar
    created = DateTimeField(default=utcnow)
    status = TextField(default="queued")  # queued | running | done (see UploadFailure)
    outcome = TextField(default="")  # imported | already_imported | new_version | error
    report = ForeignKeyField(Report, null=True, on_delete="SET NULL")
    error_template = TextField(default="")
    error_params = TextField(default="{}")
    data = BlobField(null=True)


class UploadFailure(BaseModel):
    """An upload whose import failed for lack of disk space; it is tried again on request."""

    upload = ForeignKeyField(Upload, primary_key=True, on_delete="CASCADE")
    error_template = TextField()
    error_params = TextField(default="{}")
    at = DateTimeField(default=utcnow)


class Batch(BaseModel):
    """One version of a report's booking batch: the files plus what they were built with."""

    id = AutoField()
    report = ForeignKeyField(Report, backref="batches", on_delete="CASCADE")
    version = IntegerField()
    status = TextField(default="current")  # current | replaced
    created_at = DateTimeField(default=utcnow)
    fingerprint = TextField()  # settings + accounts + mappings it was built with
    report_hash = TextField(default="")  # the report's content_hash it was built from
    settings = TextField()  # JSON snapshot of those
    ok = BooleanField()  # every file passed the validator
    booking_count = IntegerField(default=0)
    error_template = TextField(default="")  # when the report could not be booked at all
    error_params = TextField(default="{}")
    notices = TextField(default="[]")  # JSON [{code, line, template, params}]
    diff = TextField(null=True)  # JSON summary against the previous version

    @property
    def notice_list(self) -> list[dict[str, Any]]:
        return json.loads(self.notices)

    @property
    def diff_summary(self) -> dict[str, Any] | None:
        return json.loads(self.diff) if self.diff else None


class BatchFileRow(BaseModel):
    id = AutoField()
    batch = ForeignKeyField(Batch, backref="files", on_delete="CASCADE")
    filename = TextField()
    date_from = DateField()
    date_to = DateField()
    booking_count = IntegerField()
    violations = TextField(default="[]")  # JSON [{row, field, rule_code, template, params}]
    data = BlobField()

    class Meta:
        table_name = "batch_file"

    @property
    def violation_list(self) -> list[dict[str, Any]]:
        return json.loads(self.violations)


class Mapping(BaseModel):
    """The user's category for a combination Amazon's files use (overrides the defaults)."""

    id = AutoField()
    transaction_type = TextField()
    amount_type = TextField()
    amount_description = TextField()
    category = TextField()
    created = DateTimeField(default=utcnow)


class Notification(BaseModel):
    """An event the user is told about by e-mail, at most once (see core/notify.py)."""

    id = AutoField()
    event = TextField(unique=True)
    kind = TextField()  # report | failure
    code = TextField(default="")  # the failure's kind
    params = TextField(default="{}")
    repeats = IntegerField(default=1)  # the same failure again the same day
    created = DateTimeField(default=utcnow)
    updated = DateTimeField(default=utcnow)
    status = TextField(default="pending")  # pending | sending | sent
    claim = TextField(null=True)  # which flush is sending it
    sent_at = DateTimeField(null=True)

    @property
    def params_dict(self) -> dict[str, Any]:
        return json.loads(self.params or "{}")


class AmazonConnection(BaseModel):
    """A connected seller account. The secrets are Fernet tokens (core/encryption.py)."""

    id = AutoField()
    region = TextField()
    client_id = TextField()
    client_secret_enc = TextField()
    refresh_token_enc = TextField()
    selling_partner_id = TextField(default="")
    store_name = TextField(default="")
    method = TextField(default="self")  # self (self-authorization) | website (OAuth consent)
    status = TextField(default="ok")  # ok | failing | reenter_credentials
    vat_role = TextField(default="unknown")  # unknown | yes | missing (Tax Remittance role)
    error_code = TextField(default="")
    error_message = TextField(default="")
    error_request_id = TextField(default="")
    failures = IntegerField(default=0)  # runs failed in a row
    secret_set_at = DateTimeField(default=utcnow)
    created = DateTimeField(default=utcnow)
    last_success = DateTimeField(null=True)


class Marketplace(BaseModel):
    key = TextField(primary_key=True)  # "amazon.de", as the account rules key it
    amazon_id = TextField(null=True)
    name = TextField()
    country_code = TextField(default="")
    currency = TextField(default="")
    participating = BooleanField(default=False)
    enabled = BooleanField(default=False)
    # (column defaults_to_check of migration 7 is unused: the tax profile's confirmation,
    # table marketplace_profile, says whether a marketplace's defaults were checked)
    source = TextField(default="api")  # api | report
    enabled_at = DateTimeField(null=True)


class SyncRun(BaseModel):
    id = AutoField()
    trigger = TextField()  # scheduled | manual | retroactive | cli
    marketplace = TextField(default="")  # for a retroactive import of one marketplace
    started = DateTimeField(default=utcnow)
    finished = DateTimeField(null=True)
    status = TextField(default="running")  # running | ok | partial | failed | interrupted
    pid = IntegerField(default=0)
    host = TextField(default="")
    heartbeat = DateTimeField(default=utcnow)
    total = IntegerField(default=0)
    done = IntegerField(default=0)
    summary = TextField(default="{}")
    error_code = TextField(default="")
    error_message = TextField(default="")
    job = ForeignKeyField(Job, null=True, on_delete="SET NULL")

    @property
    def summary_dict(self) -> dict[str, Any]:
        return json.loads(self.summary or "{}")


class AmazonDocument(BaseModel):
    amazon_report_id = TextField(primary_key=True)
    report_type = TextField()
    document_id = TextField(default="")
    created_time = TextField(default="")
    period = TextField(default="")  # "2026-11" for a VAT month
    outcome = TextField()  # imported | already_imported | new_version | skipped | failed | no_data | fatal | requested
    report = ForeignKeyField(Report, null=True, on_delete="SET NULL")
    marketplaces = TextField(default="")  # "|"-joined keys found in the document
    error = TextField(default="")
    run = ForeignKeyField(SyncRun, null=True, on_delete="SET NULL")
    fetched_at = DateTimeField(default=utcnow)


class VatMonthChoice(BaseModel):
    """The VAT report the user chose to book a month of one seller account."""

    account = TextField()
    month = TextField()  # YYYY-MM
    report_key = TextField()
    chosen_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "vat_month_choice"
        primary_key = CompositeKey("account", "month")


class MarketplaceProfile(BaseModel):
    """A tax profile the user confirmed for a marketplace (core.booking.profiles)."""

    marketplace = TextField(primary_key=True)
    profile = TextField()
    confirmed_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "marketplace_profile"


class BatchDownload(BaseModel):
    """One download of a batch's file or of a ZIP that held it (file name, version, time)."""

    id = AutoField()
    batch = ForeignKeyField(Batch, backref="downloads", on_delete="CASCADE")
    filename = TextField()  # the file, or the ZIP it was in
    version = IntegerField()
    at = DateTimeField(default=utcnow)


class BatchHandover(BaseModel):
    """A batch version the bookkeeper marked as handed over to the tax advisor."""

    batch = ForeignKeyField(Batch, primary_key=True, backref="handover", on_delete="CASCADE")
    at = DateTimeField(default=utcnow)


class QbwcTicket(BaseModel):
    """One Web Connector session: its ticket, progress and the last error it reported."""

    id = AutoField()
    ticket = TextField(unique=True)
    created = DateTimeField(default=utcnow)
    expires = DateTimeField()
    total = IntegerField(default=0)  # deliveries this session started with
    done = IntegerField(default=0)
    delivery_id = IntegerField(null=True)  # the delivery the last request was about
    step = TextField(default="")  # query | add
    # JSON {"all": keys of the delivery's transactions, "asked": keys in this step's request,
    # in request order}: the answer is read against it without building the summary again.
    asked = TextField(default="{}")
    last_error = TextField(default="")
    closed = DateTimeField(null=True)

    class Meta:
        table_name = "qbwc_ticket"


class QbwcDelivery(BaseModel):
    """A settlement's summary on its way to QuickBooks Desktop: pending, sent or error."""

    id = AutoField()
    report = ForeignKeyField(Report, unique=True, on_delete="CASCADE")
    state = TextField(default="pending")  # pending | sent | error
    queued = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    txn_ids = TextField(default="{}")  # JSON {"SalesReceipt REF": TxnID}
    error_code = TextField(default="")  # QuickBooks' statusCode, or ours
    error_text = TextField(default="")
    attempts = IntegerField(default=0)

    class Meta:
        table_name = "qbwc_delivery"

    @property
    def txn_id_map(self) -> dict[str, str]:
        return json.loads(self.txn_ids or "{}")


class QbwcLoginFailure(BaseModel):
    id = AutoField()
    at = DateTimeField(default=utcnow)
    remote_addr = TextField()

    class Meta:
        table_name = "qbwc_login_failure"
