"""Text cells a spreadsheet cannot run as a formula (CSV/formula injection).

A DATEV batch, an IIF or a CSV file is often opened in Excel or LibreOffice before it is
imported. A cell that starts with = + - @ (or a tab or CR, which some programs skip before
reading the rest) is taken as a formula there, so a marketplace name or description from an
Amazon file such as `=HYPERLINK("http://evil/…")` would become a live link or worse.

Every exported text cell that can carry outside data goes through `neutralise`, which puts
an apostrophe in front of such a cell: spreadsheets show it as text, and DATEV imports the
apostrophe as an ordinary character of the Buchungstext (see docs/security.md). Validators
call `starts_formula` to refuse a file in which a cell slipped through.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def starts_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """`text` unchanged, or with a leading apostrophe if a spreadsheet would run it."""
    return PREFIX + text if starts_formula(text) else text
