"""Versioned schema migrations.

Each migration is frozen SQL, never derived from the live models: a model may change
later, but what version N looked like must not. `migrate()` applies the missing ones in
order, each in its own transaction, and records the version in `schema_version`.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import SqliteDatabase

Migration = Callable[[SqliteDatabase], None]


def _sql(*statements: str) -> Migration:
    def apply(db: SqliteDatabase) -> None:
        for statement in statements:
            db.execute_sql(statement)

    return apply


def _autoincrement(*tables: str) -> Migration:
    """Rebuild `tables` with `id INTEGER PRIMARY KEY AUTOINCREMENT`, keeping every row and id.

    Without AUTOINCREMENT SQLite hands the id of a deleted newest row to the next insert, so
    a batch built for a deleted report could attach itself to the next import. The new
    table's SQL is derived from the stored one (not frozen here) so that columns added by
    an earlier migration survive; the copy runs with foreign keys off (`migrate` sees to
    that), or dropping the old table would cascade into the lines, files and batches.
    """

    def apply(db: SqliteDatabase) -> None:
        for table in tables:
            (sql,) = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                    (table,)).fetchone()
            if "AUTOINCREMENT" in sql.upper():
                continue
            indexes = [row[0] for row in db.execute_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
                (table,))]
            head, primary, tail = sql.partition("id INTEGER PRIMARY KEY,")
            if not primary:
                raise RuntimeError(f"table {table} has no integer id to rebuild")
            new_sql = head.replace(f"CREATE TABLE {table}", f"CREATE TABLE {table}_rebuilt", 1)
            db.execute_sql(f"{new_sql}id INTEGER PRIMARY KEY AUTOINCREMENT,{tail}")
            db.execute_sql(f"INSERT INTO {table}_rebuilt SELECT * FROM {table}")
            db.execute_sql(f"DROP TABLE {table}")
            db.execute_sql(f"ALTER TABLE {table}_rebuilt RENAME TO {table}")
            for index in indexes:
                db.execute_sql(index)

    apply.foreign_keys_off = True  # type: ignore[attr-defined]
    return apply


def _all(*migrations: Migration) -> Migration:
    def apply(db: SqliteDatabase) -> None:
        for migration in migrations:
            migration(db)

    apply.foreign_keys_off = any(getattr(m, "foreign_keys_off", False)  # type: ignore[attr-defined]
                                 for m in migrations)
    return apply


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (
        1,
        "settings, login attempts, jobs",
        _sql(
            """CREATE TABLE setting (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
            """CREATE TABLE login_attempt (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                remote_addr TEXT NOT NULL DEFAULT '',
                succeeded INTEGER NOT NULL
            )""",
            """CREATE TABLE job (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                started TEXT NOT NULL,
                finished TEXT,
                outcome TEXT NOT NULL DEFAULT 'running',
                message_code TEXT NOT NULL DEFAULT '',
                params TEXT NOT NULL DEFAULT '{}',
                subject TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX job_started ON job (started)",
        ),
    ),
    (
        2,
        "reports, their lines, original files and uploads",
        _sql(
            # Money is TEXT holding a decimal string: SQLite's NUMERIC would turn it into a float.
            """CREATE TABLE report (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                layout TEXT NOT NULL,
                key TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1,
                status TEXT NOT NULL DEFAULT 'current',
                source TEXT NOT NULL,
                filename TEXT NOT NULL DEFAULT '',
                sha256 TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                currency TEXT NOT NULL DEFAULT '',
                total TEXT NOT NULL,
                lines_sum TEXT NOT NULL,
                difference TEXT NOT NULL,
                reconciles INTEGER NOT NULL DEFAULT 1,
                line_count INTEGER NOT NULL,
                unmapped_count INTEGER NOT NULL DEFAULT 0,
                period_start TEXT,
                period_end TEXT,
                deposit_date TEXT,
                year INTEGER,
                marketplaces TEXT NOT NULL DEFAULT '',
                categories TEXT NOT NULL DEFAULT '{}',
                unmapped TEXT NOT NULL DEFAULT '[]',
                encoding TEXT NOT NULL DEFAULT '',
                imported_at TEXT NOT NULL,
                batch_status TEXT NOT NULL DEFAULT 'none',
                UNIQUE (kind, key, version)
            )""",
            "CREATE INDEX report_list ON report (kind, status, period_end)",
            "CREATE INDEX report_sha256 ON report (sha256)",
            """CREATE TABLE report_file (
                report_id INTEGER PRIMARY KEY REFERENCES report (id) ON DELETE CASCADE,
                filename TEXT NOT NULL,
                size INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                compression TEXT NOT NULL,
                data BLOB NOT NULL
            )""",
            """CREATE TABLE line (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES report (id) ON DELETE CASCADE,
                line_no INTEGER NOT NULL,
                posted TEXT,
                transaction_type TEXT NOT NULL,
                amount_type TEXT NOT NULL,
                amount_description TEXT NOT NULL,
                amount TEXT NOT NULL,
                category TEXT NOT NULL,
                order_id TEXT NOT NULL DEFAULT '',
                adjustment_id TEXT NOT NULL DEFAULT '',
                sku TEXT NOT NULL DEFAULT '',
                quantity INTEGER,
                marketplace TEXT NOT NULL DEFAULT '',
                fulfillment TEXT NOT NULL DEFAULT '',
                settlement_id TEXT NOT NULL DEFAULT '',
                currency TEXT NOT NULL DEFAULT '',
                vat_treatment TEXT,
                vat_rate TEXT,
                vat_net TEXT,
                vat_amount TEXT,
                ship_from TEXT NOT NULL DEFAULT '',
                ship_to TEXT NOT NULL DEFAULT '',
                buyer_vat_id TEXT NOT NULL DEFAULT '',
                seller_vat_id TEXT NOT NULL DEFAULT '',
                jurisdiction TEXT NOT NULL DEFAULT '',
                event_id TEXT NOT NULL DEFAULT '',
                scheme TEXT NOT NULL DEFAULT '',
                collection TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX line_report ON line (report_id)",
            "CREATE INDEX line_order ON line (report_id, order_id)",
            "CREATE INDEX line_unmapped ON line (report_id) WHERE category = 'unmapped'",
            """CREATE TABLE upload (
                id INTEGER PRIMARY KEY,
                filename TEXT NOT NULL,
                size INTEGER NOT NULL,
                lines_expected INTEGER NOT NULL DEFAULT 0,
                created TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'queued',
                outcome TEXT NOT NULL DEFAULT '',
                report_id INTEGER REFERENCES report (id) ON DELETE SET NULL,
                error_template TEXT NOT NULL DEFAULT '',
                error_params TEXT NOT NULL DEFAULT '{}',
                data BLOB
            )""",
        ),
    ),
    (
        3,
        "booking batches, their files, and the user's category mappings",
        _sql(
            """CREATE TABLE batch (
                id INTEGER PRIMARY KEY,
                report_id INTEGER NOT NULL REFERENCES report (id) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                status TEXT NOT NULL DEFAULT 'current',
                created_at TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                settings TEXT NOT NULL,
                ok INTEGER NOT NULL,
                booking_count INTEGER NOT NULL DEFAULT 0,
                error_template TEXT NOT NULL DEFAULT '',
                error_params TEXT NOT NULL DEFAULT '{}',
                notices TEXT NOT NULL DEFAULT '[]',
                diff TEXT,
                UNIQUE (report_id, version)
            )""",
            "CREATE INDEX batch_current ON batch (status, report_id)",
            """CREATE TABLE batch_file (
                id INTEGER PRIMARY KEY,
                batch_id INTEGER NOT NULL REFERENCES batch (id) ON DELETE CASCADE,
                filename TEXT NOT NULL,
                date_from TEXT NOT NULL,
                date_to TEXT NOT NULL,
                booking_count INTEGER NOT NULL,
                violations TEXT NOT NULL DEFAULT '[]',
                data BLOB NOT NULL
            )""",
            "CREATE INDEX batch_file_batch ON batch_file (batch_id)",
            "CREATE INDEX batch_file_dates ON batch_file (date_from, date_to)",
            """CREATE TABLE mapping (
                id INTEGER PRIMARY KEY,
                transaction_type TEXT NOT NULL,
                amount_type TEXT NOT NULL,
                amount_description TEXT NOT NULL,
                category TEXT NOT NULL,
                created TEXT NOT NULL,
                UNIQUE (transaction_type, amount_type, amount_description)
            )""",
        ),
    ),
    (
        5,
        "ids never reused; what a batch was built from; pending builds; imports failed for space",
        _all(
            _autoincrement("report", "batch"),
            _sql(
                # The report content a batch was built from: a build checks it again before storing.
                "ALTER TABLE batch ADD COLUMN report_hash TEXT NOT NULL DEFAULT ''",
                # Set when a build is asked for, cleared by the build's commit: a build cut
                # off by a crash is found again at the next start.
                "ALTER TABLE report ADD COLUMN build_requested TEXT",
                "CREATE INDEX report_build_requested ON report (build_requested) "
                "WHERE build_requested IS NOT NULL",
                # A payout build asks which orders Amazon withheld tax on (deemed supplier).
                "CREATE INDEX line_withheld_tax ON line (report_id, order_id) "
                "WHERE category = 'marketplace_withheld_tax'",
                # An import that failed for lack of space, kept apart from the upload row:
                # rewriting that row (with its file) needs as much space as the file.
                """CREATE TABLE upload_failure (
                    upload_id INTEGER PRIMARY KEY REFERENCES upload (id) ON DELETE CASCADE,
                    error_template TEXT NOT NULL,
                    error_params TEXT NOT NULL DEFAULT '{}',
                    at TEXT NOT NULL
                )""",
            ),
        ),
    ),
    (
        6,
        "server-side login sessions; login attempts looked up per client",
        _sql(
            # The cookie carries a random token; only its SHA-256 is stored, so a copy of
            # the database (or a backup) cannot be turned into a live session.
            """CREATE TABLE session (
                id TEXT PRIMARY KEY,
                created TEXT NOT NULL,
                last_seen TEXT NOT NULL,
                client TEXT NOT NULL DEFAULT ''
            )""",
            "CREATE INDEX login_attempt_client ON login_attempt (remote_addr, at)",
            "CREATE INDEX login_attempt_at ON login_attempt (at)",
            "DELETE FROM setting WHERE key = 'session_epoch'",
        ),
    ),
    (
        7,
        "Amazon connection (encrypted secrets), marketplaces, sync runs, fetched documents",
        _sql(
            # One row per connected seller account; secrets are Fernet tokens, never plain text.
            """CREATE TABLE amazon_connection (
                id INTEGER PRIMARY KEY,
                region TEXT NOT NULL,
                client_id TEXT NOT NULL,
                client_secret_enc TEXT NOT NULL,
                refresh_token_enc TEXT NOT NULL,
                selling_partner_id TEXT NOT NULL DEFAULT '',
                store_name TEXT NOT NULL DEFAULT '',
                method TEXT NOT NULL DEFAULT 'self',
                status TEXT NOT NULL DEFAULT 'ok',
                vat_role TEXT NOT NULL DEFAULT 'unknown',
                error_code TEXT NOT NULL DEFAULT '',
                error_message TEXT NOT NULL DEFAULT '',
                error_request_id TEXT NOT NULL DEFAULT '',
                failures INTEGER NOT NULL DEFAULT 0,
                secret_set_at TEXT NOT NULL,
                created TEXT NOT NULL,
                last_success TEXT
            )""",
            # Every marketplace seen through the API or in a report; `key` is the lower-case
            # name the account rules use ("amazon.de").
            """CREATE TABLE marketplace (
                key TEXT PRIMARY KEY,
                amazon_id TEXT,
                name TEXT NOT NULL,
                country_code TEXT NOT NULL DEFAULT '',
                currency TEXT NOT NULL DEFAULT '',
                participating INTEGER NOT NULL DEFAULT 0,
                enabled INTEGER NOT NULL DEFAULT 0,
                defaults_to_check INTEGER NOT NULL DEFAULT 0,
                source TEXT NOT NULL DEFAULT 'api',
                enabled_at TEXT
            )""",
            """CREATE TABLE sync_run (
                id INTEGER PRIMARY KEY,
                trigger TEXT NOT NULL,
                marketplace TEXT NOT NULL DEFAULT '',
                started TEXT NOT NULL,
                finished TEXT,
                status TEXT NOT NULL DEFAULT 'running',
                pid INTEGER NOT NULL DEFAULT 0,
                host TEXT NOT NULL DEFAULT '',
                heartbeat TEXT NOT NULL,
                total INTEGER NOT NULL DEFAULT 0,
                done INTEGER NOT NULL DEFAULT 0,
                summary TEXT NOT NULL DEFAULT '{}',
                error_code TEXT NOT NULL DEFAULT '',
                error_message TEXT NOT NULL DEFAULT '',
                job_id INTEGER REFERENCES job (id) ON DELETE SET NULL
            )""",
            "CREATE INDEX sync_run_started ON sync_run (started)",
            # What became of each Amazon report document: fetched at most once unless it failed
            # or was skipped for a disabled marketplace.
            """CREATE TABLE amazon_document (
                amazon_report_id TEXT PRIMARY KEY,
                report_type TEXT NOT NULL,
                document_id TEXT NOT NULL DEFAULT '',
                created_time TEXT NOT NULL DEFAULT '',
                period TEXT NOT NULL DEFAULT '',
                outcome TEXT NOT NULL,
                report_id INTEGER REFERENCES report (id) ON DELETE SET NULL,
                marketplaces TEXT NOT NULL DEFAULT '',
                error TEXT NOT NULL DEFAULT '',
                run_id INTEGER REFERENCES sync_run (id) ON DELETE SET NULL,
                fetched_at TEXT NOT NULL
            )""",
            "CREATE INDEX amazon_document_period ON amazon_document (report_type, period)",
        ),
    ),
    (
        9,
        "e-mail notifications: each event notified once",
        _sql(
            # `event` names what happened once ("report:17", "failure:amazon_unreachable:2026-12-02"):
            # its uniqueness is what keeps a notice from going out twice.
            """CREATE TABLE notification (
                id INTEGER PRIMARY KEY,
                event TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                code TEXT NOT NULL DEFAULT '',
                params TEXT NOT NULL DEFAULT '{}',
                repeats INTEGER NOT NULL DEFAULT 1,
                created TEXT NOT NULL,
                updated TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending',
                claim TEXT,
                sent_at TEXT
            )""",
            "CREATE INDEX notification_status ON notification (status, created)",
        ),
    ),
    (
        10,
        "which VAT report books each month when reports overlap; tax profiles per marketplace",
        _sql(
            # One row per (seller account, month) the user decided; months without a row
            # are booked by the default (the monthly report).
            """CREATE TABLE vat_month_choice (
                account TEXT NOT NULL,
                month TEXT NOT NULL,
                report_key TEXT NOT NULL,
                chosen_at TEXT NOT NULL,
                PRIMARY KEY (account, month)
            )""",
            # Profiles the user confirmed (core.booking.profiles); chart-independent.
            """CREATE TABLE marketplace_profile (
                marketplace TEXT PRIMARY KEY,
                profile TEXT NOT NULL,
                confirmed_at TEXT NOT NULL
            )""",
        ),
    ),
    (
        11,
        "what was downloaded of each batch, which batches went to the tax advisor; order id search",
        _sql(
            """CREATE TABLE batch_download (
                id INTEGER PRIMARY KEY,
                batch_id INTEGER NOT NULL REFERENCES batch (id) ON DELETE CASCADE,
                filename TEXT NOT NULL,
                version INTEGER NOT NULL,
                at TEXT NOT NULL
            )""",
            "CREATE INDEX batch_download_batch ON batch_download (batch_id, at)",
            # Search by order id across all reports (the report's own index leads with report_id).
            "CREATE INDEX line_order_id ON line (order_id) WHERE order_id != ''",
            # A report's lines in time order.
            "CREATE INDEX line_report_posted ON line (report_id, posted)",
            """CREATE TABLE batch_handover (
                batch_id INTEGER PRIMARY KEY REFERENCES batch (id) ON DELETE CASCADE,
                at TEXT NOT NULL
            )""",
        ),
    ),
    (
        12,
        "QuickBooks Web Connector: sessions, deliveries per settlement, failed logins",
        _sql(
            """CREATE TABLE qbwc_ticket (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                ticket TEXT NOT NULL UNIQUE,
                created TEXT NOT NULL,
                expires TEXT NOT NULL,
                total INTEGER NOT NULL DEFAULT 0,
                done INTEGER NOT NULL DEFAULT 0,
                delivery_id INTEGER,
                step TEXT NOT NULL DEFAULT '',
                asked TEXT NOT NULL DEFAULT '{}',
                last_error TEXT NOT NULL DEFAULT '',
                closed TEXT
            )""",
            # One row per settlement report picked for QuickBooks; txn_ids maps
            # "SalesReceipt 1234567890A" to the TxnID QuickBooks returned.
            """CREATE TABLE qbwc_delivery (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                report_id INTEGER NOT NULL UNIQUE REFERENCES report (id) ON DELETE CASCADE,
                state TEXT NOT NULL DEFAULT 'pending',
                queued TEXT NOT NULL,
                sent_at TEXT,
                txn_ids TEXT NOT NULL DEFAULT '{}',
                error_code TEXT NOT NULL DEFAULT '',
                error_text TEXT NOT NULL DEFAULT '',
                attempts INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX qbwc_delivery_state ON qbwc_delivery (state)",
            """CREATE TABLE qbwc_login_failure (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                remote_addr TEXT NOT NULL
            )""",
        ),
    ),
]


def current_version(db: SqliteDatabase) -> int:
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)"
    )
    row = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def latest_version() -> int:
    return MIGRATIONS[-1][0]


def applied_versions(db: SqliteDatabase) -> set[int]:
    current_version(db)  # creates schema_version on a new database
    return {row[0] for row in db.execute_sql("SELECT version FROM schema_version")}


def migrate(db: SqliteDatabase, target: int | None = None) -> list[int]:
    """Apply every migration not applied yet (up to `target`); return them.

    Versions are reserved per branch and may land out of order (6 before 4), so a missing
    lower version is still applied on a database that already has a higher one.
    """
    target = latest_version() if target is None else target
    applied = []
    for version, _title, apply in MIGRATIONS:
        if version in applied_versions(db) or version > target:
            continue
        # A table rebuild must not cascade: foreign keys can only be switched off outside
        # a transaction, and are checked by hand before the rebuild commits.
        keys_off = getattr(apply, "foreign_keys_off", False)
        if keys_off:
            db.execute_sql("PRAGMA foreign_keys = OFF")
        try:
            with db.atomic():
                apply(db)
                if keys_off and db.execute_sql("PRAGMA foreign_key_check").fetchone():
                    raise RuntimeError(f"migration {version} left a dangling reference")
                db.execute_sql(
                    "INSERT INTO schema_version (version, applied) VALUES (?, datetime('now'))",
                    (version,),
                )
        finally:
            if keys_off:
                db.execute_sql("PRAGMA foreign_keys = ON")
        applied.append(version)
    return applied
