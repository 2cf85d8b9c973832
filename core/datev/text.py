"""Making values fit DATEV's fields: cp1252 text, Belegfeld 1 characters, number formats."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from core.formula_cells import neutralise

CENT = Decimal("0.01")
DOCUMENT_LIMIT = 36
_DOCUMENT_BAD = re.compile(r"[^A-Za-z0-9$&%*+\-/]")

# Characters cp1252 lacks that have an obvious Latin spelling (Polish, Czech, Nordic …).
_SPELLED = str.maketrans(
    {
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i",
        "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŋ": "n", "Ŋ": "N",
        "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u202f": " ",
    }
)


def to_cp1252(text: str) -> str:
    """The closest text cp1252 can hold; control characters (line breaks) become spaces."""
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = text.translate(_SPELLED)
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFKD", ch)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            try:
                base.encode("cp1252")
                out.append(base)
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


def fit_text(text: str, limit: int) -> str:
    """A text cell: cp1252, never the start of a spreadsheet formula, at most `limit` long.

    Neutralised after the cp1252 step, which may turn a full-width ＝ into a plain =.
    """
    return neutralise(to_cp1252(text))[:limit]


def document_field(value: str) -> str:
    """Belegfeld 1: DATEV's character set, everything else (_ . space …) becomes '-'.

    The set has no apostrophe, so a leading + or - (a formula start) is dropped instead.
    """
    return _DOCUMENT_BAD.sub("-", to_cp1252(value)).lstrip("+-")[:DOCUMENT_LIMIT]


def format_amount(value: Decimal) -> str:
    """1234.5 → "1234,50" (no sign, no thousands separator)."""
    return f"{abs(value).quantize(CENT, ROUND_HALF_UP):f}".replace(".", ",")


def format_rate(rate: Decimal) -> str:
    """Kurs with two to six decimals: 4.3 → "4,30", 1.171234 → "1,171234"."""
    text = f"{rate.quantize(Decimal('0.000001'), ROUND_HALF_UP):f}"
    whole, frac = text.split(".")
    frac = frac.rstrip("0").ljust(2, "0")
    return f"{whole},{frac}"


def format_percent_field(rate: Decimal) -> str:
    """EU-Steuersatz with two integer digits, as DATEV's OSS description shows: 20 → "20,00",
    5.5 → "05,50"."""
    return f"{rate.quantize(CENT, ROUND_HALF_UP):05f}".replace(".", ",")


# Bezeichnung (batch label): letters, digits, space and a few marks; anything else is
# replaced (docs/tax-rules.md §7; DATEV's Prüfprogramm rejects e.g. ":" and quotes).
LABEL_BAD = re.compile(r"[^A-Za-z0-9ÄÖÜäöüß \-_./&+]")


def label_field(value: str, limit: int = 30) -> str:
    return " ".join(LABEL_BAD.sub("-", to_cp1252(value)).split())[:limit]


def parse_decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))
