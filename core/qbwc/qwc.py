"""The .qwc file the user adds to the Web Connector once (docs/quickbooks-web-connector.md)."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement, tostring

APP_NAME = "settlebook"
RUN_EVERY_MINUTES = 60


def url_problem(url: str) -> str | None:
    """What is wrong with `url` as the Web Connector's AppURL, or None.

    The Web Connector refuses plain http except for localhost.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not_a_url"
    if parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1"):
        return "needs_https"
    return None


def endpoint(public_url: str) -> str:
    return public_url.strip().rstrip("/") + "/qbwc"


def qwc_file(public_url: str, username: str, owner_id: str, file_id: str,
             run_every_minutes: int = RUN_EVERY_MINUTES) -> bytes:
    """The XML the Web Connector reads, its elements in the documented order."""
    root = Element("QBWCXML")
    for tag, text in (
        ("AppName", APP_NAME),
        ("AppID", ""),
        ("AppURL", endpoint(public_url)),
        ("AppDescription", "Amazon settlement summaries from settlebook"),
        ("AppSupport", public_url.strip().rstrip("/") + "/connections/quickbooks"),
        ("UserName", username),
        ("OwnerID", owner_id),
        ("FileID", file_id),
        ("QBType", "QBFS"),
    ):
        SubElement(root, tag).text = text
    scheduler = SubElement(root, "Scheduler")
    SubElement(scheduler, "RunEveryNMinutes").text = str(run_every_minutes)
    SubElement(root, "IsReadOnly").text = "false"
    return tostring(root, encoding="utf-8", xml_declaration=True)
