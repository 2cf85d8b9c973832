"""The `settlebook` command: serve, worker, backup, set-password, import, reports, exports,
connect, sync, mail, inspect.

Each subcommand parses its arguments and calls a service; no logic lives here.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from peewee import DatabaseError
from waitress import create_server

import tasks
from core import auth, batches, booking_settings
from core.backup import backup
from core.db import db, init_db, is_disk_full
from core.imports import import_recorded
from core.mail import settings as mail_settings
from core.mail.smtp import MailError
from core.models import Report, utcnow
from core.private_files import private_dir, tighten
from core.qbwc import access, qwc
from core.quickbooks import service as quickbooks
from core.quickbooks.iif import filename_for, write_iif
from core.quickbooks.summary import SummaryError
from core.reports import decode, errors
from core.reports.model import BOOKABLE_KINDS, ReportError
from core.reports.stream import stream
from core.reports.summary import summary
from tasks import mail
from tasks.housekeeping import classify_with_new_rules
from tasks.uploads import resume_interrupted
from webapp import cli_amazon as amazon_commands
from webapp import config, create_app

log = logging.getLogger("settlebook")


def _settings() -> dict:
    return config.app_config(config.from_environ(os.environ))


def cmd_serve(args: argparse.Namespace) -> int:
    """Web server and task consumer in one process; Ctrl-C or SIGTERM stops both cleanly."""
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
    return tasks.huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, check_worker_health=True,
        shutdown_timeout=60, flush_locks=True,
    )


def _resume() -> None:
    count = resume_interrupted()
    if count:
        log.info("queued %s interrupted upload(s) or batch build(s) again", count)
    classified = classify_with_new_rules()
    if classified:
        log.info("%s stored line(s) without a category got one from new classification rules", classified)
    if mail.resume():
        log.info("e-mail notices are waiting; they go out in %s seconds", mail.DEBOUNCE)
    tasks.sync.daily_check()  # a daily Amazon import missed while the box was off runs now


def cmd_worker(args: argparse.Namespace) -> int:
    """Only the task consumer (for running web server and worker as separate services)."""
    settings = _settings()
    tighten(private_dir(settings["DATA_DIR"]))
    init_db(config.database_path(settings["DATA_DIR"]))
    tasks.configure(config.queue_path(settings["DATA_DIR"]))
    mail.configure(settings["DATA_DIR"], settings["MAIL_DELAY"])
    tasks.sync.configure(settings["DATA_DIR"], config.amazon_endpoints(settings))
    consumer = _consumer(args.workers or settings["WORKERS"])
    _resume()
    consumer.run()
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
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
        auth.change_password(password)
    print("Password changed; every browser has to log in again and every login brake is lifted.")
    return 0


def _open_database():
    init_db(config.database_path(_settings()["DATA_DIR"]))
    return db.connection_context()


OUTCOME_WORDS = {"imported": "imported", "already_imported": "already imported",
                 "new_version": "new version", "restored": "an earlier version made current again",
                 "candidate": "incomplete download kept as a candidate"}


def cmd_import(args: argparse.Namespace) -> int:
    """Import files synchronously, with the same services the upload page uses: a report
    that is now current gets its booking batch built, as after an upload."""
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
            try:
                result = import_recorded(data, path.name, "upload")
            except DatabaseError as exc:
                if not is_disk_full(exc):
                    raise
                print(f"{name}: error: the disk is full, so nothing was stored; free some space "
                      "and import it again")
                failed = True
                continue
            if result.error is not None:
                print(f"{name}: error: {result.error.message()}")
                failed = True
            else:
                print(f"{name}: {_import_words(result)} (report {result.report_id})")
                if result.stored:
                    try:
                        _build_after_import(name, result.report_id)
                    except DatabaseError as exc:
                        if not is_disk_full(exc):
                            raise
                        print(f"{name}: error: the disk is full, so its booking batch was not stored; "
                              "free some space, it is built at the next start")
                        failed = True
    return 2 if failed else 0


def _import_words(result) -> str:
    if result.outcome == "candidate":
        return (f"incomplete download: lines differ from the total by {result.difference}; "
                "the complete version stays current")
    return OUTCOME_WORDS[result.outcome]


def _build_after_import(name: str, report_id: int) -> None:
    if Report.get_by_id(report_id).kind not in BOOKABLE_KINDS:
        return
    batches.request_build(report_id)  # cut off (Ctrl-C, kill), the next start builds it
    batch = batches.build_recorded(report_id).batch
    if batch is None:
        return
    if batch.ok:
        print(f"{name}: booking batch version {batch.version}: {batch.booking_count} bookings, valid")
    else:
        reason = (batch.error_template % json.loads(batch.error_params) if batch.error_template
                  else "a file breaks a DATEV rule; open it on the batches page to see why")
        print(f"{name}: booking batch version {batch.version} is blocked: {reason}")


def cmd_reports(args: argparse.Namespace) -> int:
    with _open_database():
        reports = list(Report.select().order_by(Report.period_end.desc(nulls="LAST"), Report.id.desc()))
        rows = [_report_json(r) for r in reports]
        totals = [r.currency_totals for r in reports]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No reports yet. Import some with: settlebook import FILE...")
        return 0
    for r, per_currency in zip(rows, totals, strict=True):
        check = "reconciles" if r["reconciles"] else f"off by {r['difference']}"
        # One total per currency: a VAT month with EUR and GBP rows is never one sum.
        money = "; ".join(f"{value:>12} {currency:<3}" for currency, value in per_currency)
        print(f"{r['id']:>5}  {r['kind']:<16} {r['key']:<24} {r['period_end'] or '':<10} "
              f"{money} {r['lines']:>7} lines  {check}"
              f"{'  (superseded)' if r['status'] == 'superseded' else ''}")
    return 0


def _report_json(r) -> dict:
    def day(d):
        return d.date().isoformat() if d else None

    return {
        "id": r.id, "kind": r.kind, "key": r.key, "version": r.version, "status": r.status,
        "currency": r.currency, "total": str(r.total), "lines_sum": str(r.lines_sum),
        "difference": str(r.difference), "lines": r.line_count, "reconciles": r.reconciles,
        "unmapped": r.unmapped_count, "period_start": day(r.period_start),
        "period_end": day(r.period_end), "deposit_date": day(r.deposit_date),
        "marketplaces": r.marketplace_list, "source": r.source, "batch_status": r.batch_status,
        "filename": r.filename,
        "totals": {c: str(v) for c, v in r.currency_totals},
    }


def _import_for_export(name: str):
    """Import one file for an export command (idempotent); None after printing why not."""
    path = Path(name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"{name}: error: cannot read the file ({exc.strerror})", file=sys.stderr)
        return None
    result = import_recorded(data, path.name, "upload")
    if result.error is not None:
        print(f"{name}: error: {result.error.message()}", file=sys.stderr)
        return None
    return result


def cmd_export_datev(args: argparse.Namespace) -> int:
    """Import the files if needed, then write their DATEV batches into --out with the
    current settings (or the defaults), never a file that breaks a DATEV rule.

    All files are imported before any batch is built, so overlapping VAT reports given
    together split their months before either is written. What a bookkeeper must not miss
    is printed: bookings on the suspense account, tax profiles that are only defaults,
    Verbringen for the UStVA/ZM, months another report books."""
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    with _open_database():
        settings = booking_settings.load_settings()
        if args.chart:
            settings = replace(settings, chart=args.chart)
        accounts = booking_settings.load_accounts(settings)
        imported = []
        for name in args.files:
            result = _import_for_export(name)
            if result is None:
                failed = True
                continue
            imported.append((name, result))
        for name, result in imported:
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
            for line in _loud_notices([n for w in written for n in w.batch.notices]):
                print(f"{name}: {line}")
    return 2 if failed else 0


LOUD_CODES = ("suspense", "profile_default", "skipped_overlap")
REASON_LIMIT = 5


def _loud_notices(notices) -> list[str]:
    """What `export-datev` prints besides the file names: the loud notices, the first
    reasons for suspense bookings, and counts of everything else."""
    lines = [f"note: {n.message()}" for n in notices if n.code in LOUD_CODES]
    reasons = [n for n in notices if n.code in ("unmapped", "no_tax_treatment")]
    for n in reasons[:REASON_LIMIT]:
        lines.append(f"  why: {n.message()}")
    if len(reasons) > REASON_LIMIT:
        lines.append(f"  … and {len(reasons) - REASON_LIMIT} more lines without a category "
                     "or tax treatment (see the report page)")
    verbringen = [n for n in notices if n.code == "verbringen"]
    for n in verbringen[:REASON_LIMIT]:
        lines.append(f"note: {n.message()}")
    if len(verbringen) > REASON_LIMIT:
        lines.append(f"  … and {len(verbringen) - REASON_LIMIT} more Verbringen lines")
    tax = [n for n in notices if n.code.startswith("tax_")]
    for n in tax[:REASON_LIMIT]:
        lines.append(f"note: {n.message()}")
    if len(tax) > REASON_LIMIT:
        lines.append(f"  … and {len(tax) - REASON_LIMIT} more tax notes (see the report page)")
    return lines


def cmd_export_iif(args: argparse.Namespace) -> int:
    """Import the files if needed, then write one QuickBooks IIF file per settlement into
    --out with the current QuickBooks settings; exit 2 naming what could not be summarised."""
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"settlebook export-iif: cannot create {out} ({exc.strerror})", file=sys.stderr)
        return 2
    failed = False
    with _open_database():
        settings = quickbooks.load_settings()
        for name in args.files:
            result = _import_for_export(name)
            if result is None:
                failed = True
                continue
            try:
                summary = quickbooks.summary_for_report(result.report_id, settings)
            except SummaryError as error:
                print(f"{name}: error: {error.message()}", file=sys.stderr)
                failed = True
                continue
            for notice in summary.notices:
                print(f"{name}: note: {notice.message()}")
            if not summary.transactions:
                print(f"{name}: nothing to send to QuickBooks (settlement {summary.settlement_id} has no lines)")
                continue
            target = out / filename_for(summary)
            partial = target.with_suffix(".iif.part")
            partial.write_bytes(write_iif([summary]))
            partial.replace(target)  # never a half-written file under the final name
            kinds = ", ".join(f"{t.type.replace('_', ' ')} {t.ref_number} {t.total}"
                              for t in summary.transactions)
            print(f"{name}: wrote {target} ({kinds}; adds up to {summary.payout} {summary.currency})")
    return 2 if failed else 0


def _kind_word(result) -> str:
    return Report.get_by_id(result.report_id).kind.replace("_", " ")


def cmd_mail_settings(args: argparse.Namespace) -> int:
    """Store the SMTP settings (the same checks as Settings › Notifications)."""
    values = {"host": args.host, "port": str(args.port or ""), "security": args.security,
              "user": args.user or "", "sender": args.sender, "recipients": args.to,
              "notify_batches": "false" if args.no_batches else "true",
              "notify_failures": "false" if args.no_failures else "true",
              "public_url": args.public_url or ""}
    settings, errors = mail_settings.validate(values)
    if errors:
        for name, template in errors.items():
            print(f"settlebook mail-settings: --{_OPTION.get(name, name)}: {template}", file=sys.stderr)
        return 2
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    with _open_mail():
        saved = mail.save_settings(settings, password)
    login = f" as {saved.user}" + (" with a stored password" if saved.has_password else "") if saved.user else ""
    print(f"Mail settings saved: {saved.host}:{saved.port} ({saved.security}){login}, "
          f"from {saved.sender} to {', '.join(saved.recipients)}. Check them with: settlebook mail-test")
    return 0


_OPTION = {"recipients": "to", "public_url": "public-url"}


def _open_mail():
    """The database, and the mail module pointed at the data folder's key file."""
    settings = _settings()
    mail.configure(settings["DATA_DIR"], settings["MAIL_DELAY"])
    return _open_database()


def cmd_mail_test(args: argparse.Namespace) -> int:
    """Send the test e-mail now; exit 2 with the server's answer when it fails."""
    with _open_mail():
        try:
            settings = mail.stored_settings()
            if not settings.configured:
                print("settlebook mail-test: no mail server set up yet; see: settlebook mail-settings --help",
                      file=sys.stderr)
                return 2
            refused = mail.send_test(settings)
        except MailError as error:
            print(f"settlebook mail-test: {error.message()}", file=sys.stderr)
            return 2
    if refused:
        print(f"settlebook mail-test: the mail server refused {', '.join(refused)}: "
              f"{'; '.join(refused.values())}", file=sys.stderr)
        return 2
    print(f"Test e-mail sent to {', '.join(settings.recipients)} via {settings.host}:{settings.port}.")
def cmd_qbwc_user(args: argparse.Namespace) -> int:
    """Set the QuickBooks Web Connector's login (the password from standard input)."""
    password = sys.stdin.readline().rstrip("\n")
    problem = access.login_problem(args.username, password, password)
    if problem == "username_missing":
        print("settlebook qbwc-user: the user name is empty.", file=sys.stderr)
        return 2
    if problem == "too_short":
        print(f"settlebook qbwc-user: the password needs at least {access.MIN_PASSWORD_LENGTH} "
              "characters.", file=sys.stderr)
        return 2
    with _open_database():
        access.set_login(args.username, password)
    print(f"The Web Connector logs in as {args.username.strip()}.")
    return 0


def cmd_qbwc_file(args: argparse.Namespace) -> int:
    """Print the .qwc file for the Web Connector, for settlebook reached at --url."""
    problem = qwc.url_problem(args.url)
    if problem:
        reason = ("the Web Connector accepts only https (plain http only for localhost)"
                  if problem == "needs_https" else "not an http(s) address")
        print(f"settlebook qbwc-file: {args.url}: {reason}.", file=sys.stderr)
        return 2
    with _open_database():
        access.set_public_url(args.url)
        settings = access.current()
        if not settings.configured:
            print("settlebook qbwc-file: set the Web Connector's login first "
                  "(settlebook qbwc-user --username NAME --password-stdin).", file=sys.stderr)
            return 2
        body = qwc.qwc_file(settings.public_url, settings.username, settings.owner_id, settings.file_id)
    sys.stdout.write(body.decode("utf-8") + "\n")
    return 0


def _inspect_text(facts: dict[str, Any], filename: str) -> str:
    period = f"{facts['period_start'] or '?'} .. {facts['period_end'] or '?'}"
    if facts["reconciles"]:
        reconciles = "yes"
    else:
        reconciles = f"NO (lines minus total: {facts['difference']})"
    rows = [
        ("File", filename),
        ("Kind", f"{facts['kind']} ({facts['layout']})"),
        ("Key", facts["key"] or ""),
        ("Period", period),
        ("Deposit date", facts["deposit_date"] or "-"),
        ("Currency", facts["currency"] or "-"),
        # One total per currency, never one sum over two (a pan-EU VAT month).
        ("Total", facts["total"] if facts["total"] is not None
         else "; ".join(f"{v} {c}" for c, v in facts["totals"].items())),
        ("Lines", str(facts["lines"])),
        *([("Sum of lines", facts["lines_sum"])] if facts["total"] is not None else []),
        ("Reconciles", reconciles),
        ("Marketplaces", ", ".join(facts["marketplaces"]) or "-"),
    ]
    width = max(len(label) for label, _ in rows) + 2
    out = [f"{label + ':':<{width}}{value}" for label, value in rows]
    out.append("Categories:")
    cat_width = max((len(name) for name in facts["categories"]), default=0) + 2
    out += [f"  {name:<{cat_width}}{value:>14}" for name, value in facts["categories"].items()]
    out.append("Unmapped combinations:" if facts["unmapped"] else "Unmapped combinations: none")
    out += [
        f"  {item['count']:>6} x  {item['transaction_type']} / {item['amount_type']} / "
        f"{item['amount_description']}"
        for item in facts["unmapped"]
    ]
    return "\n".join(out)


def main_inspect(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="settlebook inspect",
        description="Read an Amazon report file and show what it contains and whether it "
                    "adds up.",
    )
    parser.add_argument("file", help="settlement, VAT transactions or date range report")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help or a usage error; argparse already printed
        return int(exit_.code or 0)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as problem:
        print(f"settlebook inspect: {path}: {problem.strerror or problem}", file=sys.stderr)
        return 2
    try:
        report = stream(data, path.name)
        for _ in report:
            pass
        facts = summary(report)
    except ReportError as problem:
        print(f"settlebook inspect: {problem.message()}", file=sys.stderr)
        return 2
    except Exception as problem:  # noqa: BLE001 - a report must never end in a traceback
        message = errors.internal_error(path.name, type(problem).__name__).message()
        print(f"settlebook inspect: {message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=2))
    else:
        print(_inspect_text(facts, str(path)))
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
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

    mail_parser = sub.add_parser("mail-settings", help="set up the mail server for e-mail notifications")
    mail_parser.add_argument("--host", required=True, help="the SMTP server")
    mail_parser.add_argument("--port", type=int, help="its port (default: 25, 587 or 465 by --security)")
    mail_parser.add_argument("--security", choices=("none", "starttls", "tls"), default="starttls",
                             help="encryption (default: starttls)")
    mail_parser.add_argument("--sender", required=True, metavar="ADDR", help="the From address")
    mail_parser.add_argument("--to", required=True, metavar="ADDR[,ADDR]", help="who gets the e-mails")
    mail_parser.add_argument("--user", help="login name (without it, no login and no password)")
    mail_parser.add_argument("--password-stdin", action="store_true",
                             help="read the login password from standard input (otherwise the stored one is kept)")
    mail_parser.add_argument("--no-batches", action="store_true", help="no e-mails about new reports and batches")
    mail_parser.add_argument("--no-failures", action="store_true", help="no e-mails about failures")
    mail_parser.add_argument("--public-url", metavar="URL", help="settlebook's address, for links in the e-mails")
    mail_parser.set_defaults(func=cmd_mail_settings)

    mail_test = sub.add_parser("mail-test", help="send a test e-mail with the stored mail settings")
    mail_test.set_defaults(func=cmd_mail_test)
    qbwc_user = sub.add_parser("qbwc-user", help="set the QuickBooks Web Connector's login")
    qbwc_user.add_argument("--username", required=True)
    qbwc_user.add_argument("--password-stdin", action="store_true", required=True,
                           help="read the password from standard input")
    qbwc_user.set_defaults(func=cmd_qbwc_user)

    qbwc_file = sub.add_parser("qbwc-file", help="print the .qwc file for the Web Connector")
    qbwc_file.add_argument("--url", required=True, help="settlebook's public address, e.g. https://books.example.com")
    qbwc_file.set_defaults(func=cmd_qbwc_file)
    iif = sub.add_parser("export-iif", help="import files and write their QuickBooks IIF files")
    iif.add_argument("files", nargs="+", metavar="FILE")
    iif.add_argument("--out", required=True, help="folder to write one .iif file per settlement into")
    iif.set_defaults(func=cmd_export_iif)

    amazon_commands.add_parsers(sub)

    inspect = sub.add_parser("inspect", help="read a report file and show what it contains", add_help=False)
    inspect.add_argument("rest", nargs=argparse.REMAINDER)
    inspect.set_defaults(func=cmd_inspect)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Whatever settlebook or a library writes (queue, journals, exports) is the owner's only.
    os.umask(0o077)
    decode.set_unpacked_limit(_settings()["MAX_UNPACKED"])
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["inspect"]:  # its options may come before the file: it parses its own
        return main_inspect(argv[1:])
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
