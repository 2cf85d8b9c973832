"""How a marketplace name reads in booking texts ("Amazon.de") and batch labels ("DE")."""

from __future__ import annotations

from core.datev.accounts import marketplace_key

# Domains whose last label is not the country Amazon sells to.
_CODES = {"amazon.com": "US", "amazon.co.uk": "UK", "amazon.co.jp": "JP"}


def display_name(name: str) -> str:
    """"amazon.de" → "Amazon.de"; an empty name (ServiceFee rows) reads "Amazon"."""
    key = marketplace_key(name)
    if not key:
        return "Amazon"
    if key.startswith("amazon."):
        return "Amazon." + key.removeprefix("amazon.")
    return name.strip()


def country_code(names: list[str]) -> str:
    """The label code of a report's marketplaces: "DE" for one, "EU" for several."""
    keys = sorted({marketplace_key(n) for n in names if n.strip()})
    if len(keys) != 1:
        return "EU" if keys else ""
    key = keys[0]
    if key in _CODES:
        return _CODES[key]
    if key.startswith("amazon."):
        return key.rsplit(".", 1)[-1].upper()
    return key.upper()[:10]
