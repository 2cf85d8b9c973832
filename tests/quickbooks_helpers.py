"""Reading IIF files back in tests: transactions as lists of row dicts, keyed by the header."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from core.reports import parse

FIXTURES = Path(__file__).parent / "fixtures" / "quickbooks"


def parsed(name: str):
    path = FIXTURES / name
    return parse(path.read_bytes(), path.name)


def read_iif(data: bytes) -> list[list[dict[str, str]]]:
    """The transactions of an IIF file; checks the header block and the column counts."""
    text = data.decode("cp1252")
    assert not text.startswith("\ufeff")
    rows = text.split("\r\n")
    assert rows[-1] == "", "the file ends with CRLF"
    columns: dict[str, list[str]] = {}
    transactions: list[list[dict[str, str]]] = []
    current: list[dict[str, str]] | None = None
    for row in rows[:-1]:
        cells = row.split("\t")
        tag = cells[0]
        if tag.startswith("!"):
            columns[tag[1:]] = cells[1:]
            continue
        if tag == "ENDTRNS":
            assert current, "ENDTRNS without TRNS"
            transactions.append(current)
            current = None
            continue
        assert len(cells) - 1 == len(columns[tag]), f"column count of {row!r}"
        values = dict(zip(columns[tag], cells[1:], strict=True))
        values["_tag"] = tag
        if tag == "TRNS":
            assert current is None, "TRNS before the previous ENDTRNS"
            current = [values]
        else:
            assert current is not None, "SPL outside a transaction"
            current.append(values)
    assert current is None, "a transaction is not closed"
    return transactions


def balance(transaction: list[dict[str, str]]) -> Decimal:
    return sum((Decimal(row["AMOUNT"]) for row in transaction), Decimal("0"))
