"""From raw bytes to lazily decoded text lines.

Amazon serves reports as UTF-8, cp1252 or ISO-8859-1 without saying which (docs/report-formats.md#encoding), and
Seller Central adds a BOM. We refuse obvious non-reports early (PDF, ZIP, images, binary),
unpack gzip within a limit (a bomb is refused after counting its size in small chunks,
never holding it), pick the encoding once per file (strict UTF-8, else cp1252,
else latin-1 which maps every byte), and then decode line by line so a 200 MB file never
exists twice in memory.
"""

from __future__ import annotations

import codecs
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat

from core.reports import errors

MAX_BYTES = 512 * 1024 * 1024  # larger uploads are refused before any work is done
_unpacked_limit = 200 * 1024 * 1024  # SETTLEBOOK_MAX_UNPACKED_MB; set_unpacked_limit() at start
_SNIFF = 64 * 1024
_CHUNK = 1024 * 1024

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xd0\xcf\x11\xe0", "Excel (XLS)"),
    (b"7z\xbc\xaf", "7z"),
    (b"Rar!", "RAR"),
    (b"\x28\xb5\x2f\xfd", "Zstandard"),
    (b"BZh", "bzip2"),
    (b"\x1f\x8b", "gzip"),  # compressed twice: refused rather than unpacked again
    (b"%!PS", "PostScript"),
)


@dataclass(slots=True)
class Text:
    """A decoded view of the report bytes: the encoding and a way to read lines."""

    data: bytes
    encoding: str
    start: int  # offset after a byte order mark
    _text: str | None = None  # only for UTF-16, which is decoded at once

    def lines(self) -> Iterator[str]:
        """Physical lines without their line ending (LF or CRLF), decoded lazily."""
        if self._text is not None:
            stream: io.TextIOBase = io.StringIO(self._text, newline="\n")
        else:
            raw = io.BytesIO(self.data)
            raw.seek(self.start)
            stream = io.TextIOWrapper(raw, encoding=self.encoding, newline="\n")
        # map() over a method keeps the per-line cost in C (no generator frame).
        return map(str.rstrip, stream, repeat("\r\n"))

    def raw_lines(self) -> Iterator[str]:
        """Lines with their endings, for the csv module (quoted cells may span lines)."""
        if self._text is not None:
            yield from io.StringIO(self._text, newline="")
            return
        raw = io.BytesIO(self.data)
        raw.seek(self.start)
        yield from io.TextIOWrapper(raw, encoding=self.encoding, newline="")


def set_unpacked_limit(limit: int) -> None:
    """The most bytes a compressed report may unpack to (from the settings, at start)."""
    global _unpacked_limit
    _unpacked_limit = min(limit, MAX_BYTES)


def _unpacked_size(data: bytes, limit: int, filename: str | None) -> int:
    """Inflate `data` in 1 MB steps, keeping nothing: its size, or an error past `limit`."""
    inflater = zlib.decompressobj(wbits=31)
    size = 0
    pending = data
    try:
        while pending and not inflater.eof:
            size += len(inflater.decompress(pending, _CHUNK))
            if size > limit:
                raise errors.unpacked_too_large(filename, limit)
            pending = inflater.unconsumed_tail
    except zlib.error:
        raise errors.bad_compression(filename) from None
    if not inflater.eof:
        raise errors.bad_compression(filename)  # truncated
    return size


def _gunzip(data: bytes, filename: str | None) -> bytes:
    # Two passes: the first only counts, so a bomb is refused with a megabyte of memory;
    # the second unpacks a file now known to fit, into one buffer of the exact size.
    size = _unpacked_size(data, _unpacked_limit, filename)
    try:
        return zlib.decompress(data, wbits=31, bufsize=max(size, 1))
    except zlib.error:
        raise errors.bad_compression(filename) from None


def _valid(data: bytes, start: int, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    try:
        for offset in range(start, len(data), _CHUNK):
            decoder.decode(view[offset : offset + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def open_text(data: bytes, filename: str | None = None) -> Text:
    """Check that `data` can be a text report and choose its encoding.

    Raises ReportError for empty, oversized, binary or compressed-and-broken input.
    """
    if len(data) > MAX_BYTES:
        raise errors.too_large(filename, len(data), MAX_BYTES)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, filename)
    body = data[3:_SNIFF] if data.startswith(b"\xef\xbb\xbf") else data[:_SNIFF]
    if len(data) <= _SNIFF and not body.strip(b" \t\r\n\x0b\x0c"):
        raise errors.empty_file(filename)
    head = data[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            raise errors.not_a_report_binary(filename, name)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise errors.not_a_report_data(filename) from None
        if "\x00" in text[:_SNIFF]:
            raise errors.not_a_report_data(filename)
        return Text(data, "utf-16", 0, text)
    if b"\x00" in data[:_SNIFF]:
        raise errors.not_a_report_data(filename)
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data.isascii():
        return Text(data, "utf-8", start)
    for encoding in ("utf-8", "cp1252"):
        if _valid(data, start, encoding):
            return Text(data, encoding, start)
    return Text(data, "latin-1", start)
