"""Every environment variable settlebook reads, declared once with its default and help.

This is the only module that reads the environment. The README's configuration table is
checked against SETTINGS by a test, so the two cannot drift apart.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from core.private_files import private_dir, write_private


@dataclass(frozen=True)
class Option:
    name: str
    default: str
    help: str


SETTINGS = (
    Option("SETTLEBOOK_DATA_DIR", "./data",
           "Folder for the database, the task queue, the secret key and the stored reports."),
    Option("SETTLEBOOK_HOST", "127.0.0.1",
           "Address `settlebook serve` listens on. Use 0.0.0.0 only behind a firewall or proxy."),
    Option("SETTLEBOOK_PORT", "8000", "Port `settlebook serve` listens on."),
    Option("SETTLEBOOK_SECRET_KEY", "",
           "Signs session cookies. When unset, one is generated and kept in the data folder."),
    Option("SETTLEBOOK_MAX_UPLOAD_MB", "50", "Largest upload accepted, in megabytes."),
    Option("SETTLEBOOK_MAX_UNPACKED_MB", "200",
           "Largest size a compressed (.gz) report may unpack to, in megabytes; a bigger one "
           "is refused without unpacking it in memory."),
    Option("SETTLEBOOK_MAX_FILES", "200", "Most files accepted in one upload."),
    Option("SETTLEBOOK_SESSION_IDLE_HOURS", "12",
           "A login ends after this many hours without a page view."),
    Option("SETTLEBOOK_WORKERS", "2", "Threads that run background tasks (imports, exports)."),
    Option("SETTLEBOOK_SECURE_COOKIES", "false",
           "Send the session cookie over HTTPS only. Set to true behind a TLS proxy."),
    Option("SETTLEBOOK_PROXIES", "0",
           "Number of reverse proxies in front of settlebook whose X-Forwarded-* headers to trust."),
    Option("SETTLEBOOK_MAIL_DELAY", "180",
           "Seconds without a new import before the notification e-mail goes out (uploads in a row give one e-mail)."),
    Option("SETTLEBOOK_SPAPI_ENDPOINT", "",
           "Replaces Amazon's regional SP-API host for every API (for testing against a fake server)."),
    Option("SETTLEBOOK_LWA_ENDPOINT", "",
           "Replaces Amazon's Login with Amazon token URL (for testing against a fake server)."),
)


def from_environ(environ: Mapping[str, str]) -> dict[str, str]:
    return {opt.name: environ.get(opt.name, opt.default) for opt in SETTINGS}


def app_config(values: Mapping[str, str]) -> dict[str, Any]:
    """Turn the raw settings into Flask config values (paths resolved, types converted)."""
    data_dir = Path(values["SETTLEBOOK_DATA_DIR"]).expanduser().resolve()
    return {
        "DATA_DIR": data_dir,
        "HOST": values["SETTLEBOOK_HOST"],
        "PORT": int(values["SETTLEBOOK_PORT"]),
        "SECRET_KEY": values["SETTLEBOOK_SECRET_KEY"] or None,
        "MAX_CONTENT_LENGTH": int(values["SETTLEBOOK_MAX_UPLOAD_MB"]) * 1024 * 1024,
        "MAX_UNPACKED": int(values["SETTLEBOOK_MAX_UNPACKED_MB"]) * 1024 * 1024,
        "MAX_FILES": int(values["SETTLEBOOK_MAX_FILES"]),
        "SESSION_IDLE": timedelta(hours=float(values["SETTLEBOOK_SESSION_IDLE_HOURS"])),
        "WORKERS": int(values["SETTLEBOOK_WORKERS"]),
        "SESSION_COOKIE_SECURE": values["SETTLEBOOK_SECURE_COOKIES"].lower() in ("1", "true", "yes"),
        "PROXIES": int(values["SETTLEBOOK_PROXIES"]),
        "MAIL_DELAY": int(values["SETTLEBOOK_MAIL_DELAY"]),
        "SPAPI_ENDPOINT": values["SETTLEBOOK_SPAPI_ENDPOINT"] or None,
        "LWA_ENDPOINT": values["SETTLEBOOK_LWA_ENDPOINT"] or None,
    }


def database_path(data_dir: Path) -> Path:
    return data_dir / "settlebook.sqlite3"


def queue_path(data_dir: Path) -> Path:
    return data_dir / "tasks.sqlite3"


def secret_key(data_dir: Path) -> str:
    """The key kept in the data folder, created on first use (readable by the owner only)."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    private_dir(data_dir)
    key = secrets.token_hex(32)
    write_private(path, key.encode())
    return key


def amazon_endpoints(settings: Mapping[str, Any]):
    """Where Amazon is: the real hosts unless the two endpoint settings replace them."""
    from core.amazon import Endpoints

    return Endpoints(spapi=settings.get("SPAPI_ENDPOINT"), lwa=settings.get("LWA_ENDPOINT"))
