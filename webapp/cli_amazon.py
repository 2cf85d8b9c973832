"""`settlebook connect` and `settlebook sync`: the Amazon connection from the command line.

Each parses its arguments and calls the same services as the Connections page and the
daily task; messages go to stderr and the exit status is 2 when Amazon refuses or is away.
"""

from __future__ import annotations

import argparse
import os
import sys

import tasks.sync
from core import amazon
from core.db import db, init_db
from core.encryption import load_or_create_key
from core.mail.smtp import MailError
from core.marketplaces import all_marketplaces
from core.spapi import SpApiError
from core.sync import SyncResult
from tasks import mail
from webapp import config


def _settings() -> dict:
    return config.app_config(config.from_environ(os.environ))


def _open_database():
    init_db(config.database_path(_settings()["DATA_DIR"]))
    return db.connection_context()


def cmd_connect(args: argparse.Namespace) -> int:
    """Verify the credentials with one API call, then store them encrypted."""
    settings = _settings()
    # "-" reads the value from standard input, so it stays out of `ps` and the shell history.
    secret, token = (sys.stdin.readline().strip() if value == "-" else value
                     for value in (args.client_secret, args.refresh_token))
    try:
        creds = amazon.check_input(args.region, args.client_id, secret, token)
        expires = amazon.parse_expiry(args.secret_expires or "")
    except amazon.ConnectionProblem as problem:
        print("settlebook connect: --secret-expires must be a date such as 2027-05-31." if problem.code == "expiry"
              else "settlebook connect: --client-id, --client-secret and --refresh-token must not be empty.",
              file=sys.stderr)
        return 2
    try:
        participations = amazon.verify(creds, config.amazon_endpoints(settings), may_sleep=True)
    except SpApiError as error:
        print(f"settlebook connect: Amazon refused the connection: {error}", file=sys.stderr)
        return 2
    key = load_or_create_key(settings["DATA_DIR"])
    with _open_database():
        amazon.connect(key, creds, participations, enable_participating=True, secret_expires=expires)
        markets = all_marketplaces()
    print(f"Connected to Amazon ({creds.region}); the credentials are stored encrypted.")
    for m in markets:
        state = "enabled" if m.enabled else "not imported"
        print(f"  {m.name:<14} {m.amazon_id or '':<15} {state}")
    print("Run `settlebook sync` to import now; the daily import runs by itself while settlebook serves.")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """The daily import, now, in this process; prints what it imported."""
    settings = _settings()
    tasks.sync.configure(settings["DATA_DIR"], config.amazon_endpoints(settings))
    mail.configure(settings["DATA_DIR"], settings["MAIL_DELAY"])
    with _open_database():
        result = tasks.sync.run_now("cli", retroactive=args.retroactive)
        _send_notices()  # this process ends now: the e-mail cannot wait for a quiet period
    return _print_sync(result)


def _send_notices() -> None:
    """Send the notices the run recorded. A failing mail server is reported (and in the job
    log) but changes nothing about the run's own outcome."""
    try:
        sent = mail.deliver()
    except MailError as error:
        print(f"settlebook sync: the notification e-mail could not be sent: {error.message()}", file=sys.stderr)
        return
    if sent is not None:
        print(f"Notification e-mail sent: {sent.subject}")


SYNC_WORDS = {"imported": "imported", "new_version": "imported as a new version",
              "already_imported": "already there", "skipped": "skipped (marketplace not enabled)",
              "failed": "failed", "no_data": "no data for this month", "fatal": "Amazon could not create it"}


def _print_sync(result: SyncResult) -> int:
    if result.status == "not_connected":
        print("settlebook sync: not connected to Amazon. Run `settlebook connect` first.", file=sys.stderr)
        return 2
    if result.status == "busy":
        print(f"settlebook sync: an import is already running (run {result.run_id}).", file=sys.stderr)
        return 2
    for d in result.documents:
        kind = "settlement" if d.kind == "settlement" else "VAT report"
        line = f"{kind} {d.key or d.amazon_report_id}: {SYNC_WORDS.get(d.outcome, d.outcome)}"
        if d.report_id:
            line += f" (report {d.report_id})"
        if d.message and d.outcome not in ("imported", "new_version", "already_imported"):
            line += f": {d.message}"
        print(line)
    if result.vat_role_missing:
        print("VAT reports: the app lacks Amazon's Tax Remittance role; upload them by hand.")
    print(f"{result.new_settlements} new settlements, {result.new_vat_reports} new VAT reports, "
          f"{result.already_there} already there, {len(result.failed)} failed; "
          f"{len(result.batch_ids)} batches built.")
    if result.missing_months:
        print("Not available from Amazon any more, upload by hand if you need them: "
              + ", ".join(result.missing_months))
    if result.status == "failed":
        print(f"settlebook sync: Amazon could not be reached or refused: {result.error_code}: "
              f"{result.error_message}" + (f" [request {result.error_request_id}]" if result.error_request_id else ""),
              file=sys.stderr)
        return 2
    return 0


def add_parsers(sub) -> None:
    connect = sub.add_parser("connect", help="connect an Amazon seller account (self-authorization)")
    connect.add_argument("--region", required=True, choices=("eu", "na", "fe"))
    connect.add_argument("--client-id", required=True, help="the app's LWA client id")
    connect.add_argument("--client-secret", required=True,
                         help="the app's LWA client secret ('-': read a line from stdin)")
    connect.add_argument("--refresh-token", required=True,
                         help="the refresh token from 'Authorize app' ('-': read a line from stdin)")
    connect.add_argument("--secret-expires", metavar="YYYY-MM-DD",
                         help="the client secret's expiry date from Developer Central (default: 180 days from now)")
    connect.set_defaults(func=cmd_connect)

    sync = sub.add_parser("sync", help="import new reports from Amazon now (as the daily run does)")
    sync.add_argument("--retroactive", action="store_true",
                      help="also fetch every VAT report Amazon still has (90 days)")
    sync.set_defaults(func=cmd_sync)
