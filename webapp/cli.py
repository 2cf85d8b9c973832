"""The `settlebook` command: serve, import, connect, sync and the other subcommands.

Each subcommand parses its arguments and calls a service; no logic lives here.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import signal
import sys
from pathlib import Path

from webapp import config

log = logging.getLogger("settlebook")


def _settings() -> dict:
    return config.app_config(config.from_environ(os.environ))


def cmd_serve(args: argparse.Namespace) -> int:
    """Web server and task consumer in one process; Ctrl-C or SIGTERM stops both cleanly."""
    from waitress import create_server

    from webapp import create_app

    app = create_app()
    consumer = _consumer(app.config["WORKERS"])
    consumer.start()
    _resume()

    def stop(signum, frame):  # waitress's loop ends on SystemExit
        raise SystemExit(0)

    # consumer.start() installed huey's handlers; ours replace them so either signal
    # ends the web server first and then lets running tasks finish.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    host = args.host or app.config["HOST"]
    port = args.port or app.config["PORT"]
    server = create_server(app, host=host, port=port, threads=4, ident="settlebook")
    log.info("settlebook is listening on http://%s:%s (data in %s)", host, port, app.config["DATA_DIR"])
    try:
        server.run()
    finally:
        server.close()
        log.info("stopping the task worker (waiting for running tasks)")
        consumer.stop(graceful=True)
        log.info("settlebook stopped")
    return 0


def _consumer(workers: int):
    """A consumer for the configured queue (create_app or cmd_worker configured it)."""
    import tasks

    return tasks.huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, check_worker_health=True,
        shutdown_timeout=60, flush_locks=True,
    )


def _resume() -> None:
    from tasks.imports import resume_interrupted

    count = resume_interrupted()
    if count:
        log.info("queued %s interrupted upload(s) again", count)


def cmd_worker(args: argparse.Namespace) -> int:
    """Only the task consumer (for running web server and worker as separate services)."""
    import tasks
    from core.db import init_db

    settings = _settings()
    init_db(config.database_path(settings["DATA_DIR"]))
    tasks.configure(config.queue_path(settings["DATA_DIR"]))
    tasks.sync.configure(settings["DATA_DIR"], config.amazon_endpoints(settings))
    consumer = _consumer(args.workers or settings["WORKERS"])
    _resume()
    consumer.run()
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from core.backup import backup

    settings = _settings()
    try:
        written = backup(settings["DATA_DIR"], Path(args.path))
    except (FileNotFoundError, FileExistsError) as exc:
        print(f"settlebook backup: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


def cmd_set_password(args: argparse.Namespace) -> int:
    from core import auth
    from core.db import db, init_db

    settings = _settings()
    password = sys.stdin.readline().rstrip("\n") if args.stdin else getpass.getpass("New password: ")
    confirmation = password if args.stdin else getpass.getpass("Repeat it: ")
    problem = auth.password_problem(password, confirmation)
    if problem == "too_short":
        print(f"The password needs at least {auth.MIN_PASSWORD_LENGTH} characters.", file=sys.stderr)
        return 2
    if problem == "mismatch":
        print("The two passwords differ.", file=sys.stderr)
        return 2
    init_db(config.database_path(settings["DATA_DIR"]))
    with db.connection_context():
        auth.set_password(password)
        auth.forget_sessions()
    print("Password changed; every browser has to log in again.")
    return 0


def _open_database():
    from core.db import db, init_db

    init_db(config.database_path(_settings()["DATA_DIR"]))
    return db.connection_context()


OUTCOME_WORDS = {"imported": "imported", "already_imported": "already imported",
                 "new_version": "new version"}


def cmd_import(args: argparse.Namespace) -> int:
    """Import files synchronously, with the same service the upload page uses."""
    from core.uploads import import_recorded

    failed = False
    with _open_database():
        for name in args.files:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                print(f"{name}: error: cannot read the file ({exc.strerror})")
                failed = True
                continue
            result = import_recorded(data, path.name, "upload")
            if result.error is not None:
                print(f"{name}: error: {result.error.message()}")
                failed = True
            else:
                print(f"{name}: {OUTCOME_WORDS[result.outcome]} (report {result.report_id})")
    return 2 if failed else 0


def cmd_reports(args: argparse.Namespace) -> int:
    import json

    from core.models import Report

    with _open_database():
        reports = list(Report.select().order_by(Report.period_end.desc(nulls="LAST"), Report.id.desc()))
        rows = [_report_json(r) for r in reports]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No reports yet. Import some with: settlebook import FILE...")
        return 0
    for r in rows:
        check = "reconciles" if r["reconciles"] else f"off by {r['difference']}"
        print(f"{r['id']:>5}  {r['kind']:<16} {r['key']:<24} {r['period_end'] or '':<10} "
              f"{r['total']:>12} {r['currency']:<3} {r['lines']:>7} lines  {check}"
              f"{'  (superseded)' if r['status'] == 'superseded' else ''}")
    return 0


def _report_json(r) -> dict:
    day = (lambda d: d.date().isoformat() if d else None)
    return {
        "id": r.id, "kind": r.kind, "key": r.key, "version": r.version, "status": r.status,
        "currency": r.currency, "total": str(r.total), "lines_sum": str(r.lines_sum),
        "difference": str(r.difference), "lines": r.line_count, "reconciles": r.reconciles,
        "unmapped": r.unmapped_count, "period_start": day(r.period_start),
        "period_end": day(r.period_end), "deposit_date": day(r.deposit_date),
        "marketplaces": r.marketplace_list, "source": r.source, "batch_status": r.batch_status,
        "filename": r.filename,
    }


def cmd_export_datev(args: argparse.Namespace) -> int:
    """Import the files if needed, then write their DATEV batches into --out with the
    current settings (or the defaults), never a file that breaks a DATEV rule."""
    from dataclasses import replace

    from core import batches
    from core.models import utcnow
    from core.uploads import import_recorded

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    with _open_database():
        settings = batches.load_settings()
        if args.chart:
            settings = replace(settings, chart=args.chart)
        accounts = batches.load_accounts(settings)
        for name in args.files:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                print(f"{name}: error: cannot read the file ({exc.strerror})", file=sys.stderr)
                failed = True
                continue
            result = import_recorded(data, path.name, "upload")
            if result.error is not None:
                print(f"{name}: error: {result.error.message()}", file=sys.stderr)
                failed = True
                continue
            _files, written, error = batches.compute(result.report_id, settings, accounts, utcnow())
            if error is not None:
                print(f"{name}: error: {error.message()}", file=sys.stderr)
                failed = True
                continue
            bad = [v for w in written for v in w.violations]
            if bad:
                for violation in bad[:20]:
                    print(f"{name}: error: {violation.message()}", file=sys.stderr)
                failed = True
                continue
            if not written:
                print(f"{name}: nothing to book (a {_kind_word(result)} report)")
            for w in written:
                (out / w.filename).write_bytes(w.data)
                print(f"{name}: wrote {out / w.filename} ({len(w.batch.bookings)} bookings)")
    return 2 if failed else 0


def _kind_word(result) -> str:
    from core.models import Report

    return Report.get_by_id(result.report_id).kind.replace("_", " ")


def cmd_connect(args: argparse.Namespace) -> int:
    """Verify the credentials with one API call, then store them encrypted."""
    from core import amazon
    from core.encryption import load_or_create_key
    from core.spapi import SpApiError

    settings = _settings()
    # "-" reads the value from standard input, so it stays out of `ps` and the shell history.
    secret, token = (sys.stdin.readline().strip() if value == "-" else value
                     for value in (args.client_secret, args.refresh_token))
    try:
        creds = amazon.check_input(args.region, args.client_id, secret, token)
    except amazon.ConnectionProblem:
        print("settlebook connect: --client-id, --client-secret and --refresh-token must not be empty.",
              file=sys.stderr)
        return 2
    try:
        participations = amazon.verify(creds, config.amazon_endpoints(settings), may_sleep=True)
    except SpApiError as error:
        print(f"settlebook connect: Amazon refused the connection: {error}", file=sys.stderr)
        return 2
    key = load_or_create_key(settings["DATA_DIR"])
    with _open_database():
        amazon.connect(key, creds, participations, enable_participating=True)
        from core.marketplaces import all_marketplaces

        markets = all_marketplaces()
    print(f"Connected to Amazon ({creds.region}); the credentials are stored encrypted.")
    for m in markets:
        state = "enabled" if m.enabled else "not imported"
        print(f"  {m.name:<14} {m.amazon_id or '':<15} {state}")
    print("Run `settlebook sync` to import now; the daily import runs by itself while settlebook serves.")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """The daily import, now, in this process; prints what it imported."""
    import tasks

    settings = _settings()
    tasks.sync.configure(settings["DATA_DIR"], config.amazon_endpoints(settings))
    with _open_database():
        result = tasks.sync.run_now("cli", retroactive=args.retroactive)
    return _print_sync(result)


SYNC_WORDS = {"imported": "imported", "new_version": "imported as a new version",
              "already_imported": "already there", "skipped": "skipped (marketplace not enabled)",
              "failed": "failed", "no_data": "no data for this month", "fatal": "Amazon could not create it"}


def _print_sync(result) -> int:
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


def cmd_inspect(args: argparse.Namespace) -> int:
    from core.reports.inspect_cli import main_inspect

    return main_inspect(args.rest)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="settlebook", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web server and the task worker")
    serve.add_argument("--host", help="address to listen on (default: SETTLEBOOK_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: SETTLEBOOK_PORT or 8000)")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run only the task worker")
    worker.add_argument("--workers", type=int, help="worker threads (default: SETTLEBOOK_WORKERS)")
    worker.set_defaults(func=cmd_worker)

    backup = sub.add_parser("backup", help="copy the data folder consistently while the app runs")
    backup.add_argument("path", help="a new folder to write the backup into")
    backup.set_defaults(func=cmd_backup)

    password = sub.add_parser("set-password", help="set a new login password")
    password.add_argument("--stdin", action="store_true", help="read the password from standard input")
    password.set_defaults(func=cmd_set_password)

    imp = sub.add_parser("import", help="import report files (idempotent)")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.set_defaults(func=cmd_import)

    reports = sub.add_parser("reports", help="list the imported reports")
    reports.add_argument("--json", action="store_true", help="one JSON list, for scripts")
    reports.set_defaults(func=cmd_reports)

    export = sub.add_parser("export-datev", help="import files and write their DATEV batches")
    export.add_argument("files", nargs="+", metavar="FILE")
    export.add_argument("--out", required=True, help="folder to write the EXTF files into")
    export.add_argument("--chart", choices=("skr03", "skr04"), help="chart of accounts for this export")
    export.set_defaults(func=cmd_export_datev)

    connect = sub.add_parser("connect", help="connect an Amazon seller account (self-authorization)")
    connect.add_argument("--region", required=True, choices=("eu", "na", "fe"))
    connect.add_argument("--client-id", required=True, help="the app's LWA client id")
    connect.add_argument("--client-secret", required=True, help="the app's LWA client secret ('-': read a line from stdin)")
    connect.add_argument("--refresh-token", required=True,
                         help="the refresh token from 'Authorize app' ('-': read a line from stdin)")
    connect.set_defaults(func=cmd_connect)

    sync = sub.add_parser("sync", help="import new reports from Amazon now (as the daily run does)")
    sync.add_argument("--retroactive", action="store_true",
                      help="also fetch every VAT report Amazon still has (90 days)")
    sync.set_defaults(func=cmd_sync)

    inspect = sub.add_parser("inspect", help="read a report file and show what it contains", add_help=False)
    inspect.add_argument("rest", nargs=argparse.REMAINDER)
    inspect.set_defaults(func=cmd_inspect)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["inspect"]:  # its options may come before the file: it parses its own
        from core.reports.inspect_cli import main_inspect

        return main_inspect(argv[1:])
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
