"""Reading an EXTF file back: the validator checks it, the diff compares stored versions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple


class Field(NamedTuple):
    """One field's text (quotes removed) and whether it was written in quotes."""

    value: str
    quoted: bool


class MalformedLine(ValueError):
    pass


# A quoted field ("" inside is one quote) or a bare one; anything else is malformed.
_FIELD = re.compile(r'"((?:[^"]|"")*)"|([^;"]*)')


def split_fields(line: str) -> list[Field]:
    """Split one line at `;`, honouring quotes."""
    fast = _split_simple(line)
    return fast if fast is not None else _split_quoted(line)


def _split_simple(line: str) -> list[Field] | None:
    """The common case — no `;` or `"` inside quotes — without a regex per field."""
    fields: list[Field] = []
    for piece in line.split(";"):
        if '"' not in piece:
            fields.append(Field(piece, False))
        elif len(piece) >= 2 and piece[0] == piece[-1] == '"' and '"' not in piece[1:-1]:
            fields.append(Field(piece[1:-1], True))
        else:
            return None
    return fields


def _split_quoted(line: str) -> list[Field]:
    fields: list[Field] = []
    position, end = 0, len(line)
    while True:
        match = _FIELD.match(line, position)
        assert match is not None  # the bare alternative matches the empty string
        quoted = match.group(1)
        if quoted is not None:
            fields.append(Field(quoted.replace('""', '"'), True))
        else:
            fields.append(Field(match.group(2), False))
        position = match.end()
        if position == end:
            return fields
        if line[position] != ";":
            raise MalformedLine(line)
        position += 1


@dataclass(frozen=True)
class ExtfFile:
    header: list[Field]
    headings: list[Field]
    rows: list[list[Field]]


def read_lines(text: str) -> list[str]:
    """Lines without their CRLF; a missing final CRLF still yields the last line."""
    lines = text.split("\r\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read(data: bytes) -> ExtfFile:
    """Parse a file strictly enough for the diff; raises ValueError on malformed input."""
    lines = read_lines(data.decode("cp1252"))
    if len(lines) < 2:
        raise ValueError("an EXTF file needs a header and a heading line")
    parsed = [split_fields(line) for line in lines]
    return ExtfFile(parsed[0], parsed[1], parsed[2:])
