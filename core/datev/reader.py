"""Reading an EXTF file back: the validator checks it, the diff compares stored versions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    value: str
    quoted: bool


class MalformedLine(ValueError):
    pass


def split_fields(line: str) -> list[Field]:
    """Split one line at `;`, honouring quotes ("" inside quotes is one quote)."""
    fields: list[Field] = []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == '"':
            i += 1
            chars: list[str] = []
            while True:
                if i >= n:
                    raise MalformedLine(line)
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        chars.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                chars.append(line[i])
                i += 1
            fields.append(Field("".join(chars), True))
            if i < n and line[i] != ";":
                raise MalformedLine(line)
        else:
            end = line.find(";", i)
            end = n if end == -1 else end
            raw = line[i:end]
            if '"' in raw:
                raise MalformedLine(line)
            fields.append(Field(raw, False))
            i = end
        if i >= n:
            return fields
        i += 1  # skip the separator
        if i == n:
            fields.append(Field("", False))
            return fields


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
