"""What stands between a batch and its download: placeholder DATEV numbers nobody confirmed,
and a newer version of a batch that already went to the tax advisor.

Every download view asks `check()` first and hands out the file only when it returns None;
then `record()` notes what left. A confirmation comes back as a query flag on the same
download URL (`reversal=1`), or, for the numbers, as a POST that stores it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request

from core import checklist, handover
from core.models import Batch
from webapp.htmx import render


def check(batches: list[Batch]):
    """A page asking for confirmation (status 409), or None when the download may go ahead."""
    unconfirmed = checklist.unconfirmed(batches)
    if unconfirmed:
        return render("handover/confirm_numbers.html", batches=unconfirmed,
                      numbers=checklist.PLACEHOLDER, next_url=request.full_path), 409
    if request.args.get("reversal") != "1":
        replacing = handover.needs_reversal(batches)
        if replacing:
            confirm = request.path + "?" + urlencode(request.args.to_dict() | {"reversal": "1"})
            return render("handover/reversal_warning.html", replacing=replacing,
                          confirm_url=confirm), 409
    return None


def record(batches: list[Batch], filename: str) -> None:
    handover.record_download(batches, filename)
