"""Upload forms: file names in any encoding, and a file count with its own limit.

Werkzeug reads each multipart part's headers as strict UTF-8 and, when that fails, drops
the whole form: a report sent by a tool with a cp1252 or latin-1 file name vanished without
a word. Header lines that are not UTF-8 are read as cp1252 here (undefined bytes become
U+FFFD), and core.uploads.safe_filename cleans the name before it is stored or shown.
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import gettext as _
from werkzeug import formparser
from werkzeug.sansio.multipart import MultipartDecoder

OTHER_PARTS = 10  # the CSRF token and the few plain fields an upload form has


class LenientDecoder(MultipartDecoder):
    def _parse_headers(self, data: bytes | bytearray):
        try:
            bytes(data).decode()
        except UnicodeDecodeError:
            data = bytes(data).decode("cp1252", "replace").encode()
        return super()._parse_headers(data)


def too_many_files(content_length: int | None, max_content_length: int | None) -> bool:
    """A 413 for a body within the size limit was raised by the part count: too many files."""
    return content_length is not None and (max_content_length is None or content_length <= max_content_length)


def too_many_files_message() -> str:
    return _("That is too many files for one upload: choose at most %(n)s at a time.",
             n=current_app.config["MAX_FILES"])


def init_app(app: Flask) -> None:
    # Werkzeug looks its decoder class up in formparser for every form it parses.
    formparser.MultipartDecoder = LenientDecoder
    app.config["MAX_FORM_PARTS"] = app.config["MAX_FILES"] + OTHER_PARTS
