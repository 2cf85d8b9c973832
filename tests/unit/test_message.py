"""One message type: every error, notice and violation renders and stores the same way."""

from __future__ import annotations

import json

from core.booking.errors import BookingError
from core.datev.batch import Notice
from core.datev.validate import Violation
from core.message import Message
from core.reports.model import ReportError


def test_every_kind_of_message_renders_and_stores_code_template_and_params():
    cases = [
        (ReportError("empty", "%(filename)s line %(line)s is empty", 3, "a.txt"), "a.txt line 3 is empty"),
        (BookingError("missing_date", "Line %(line)s has no date", line=7), "Line 7 has no date"),
        (Notice("listed", 4, "Line %(line)s listed", {"line": 4}), "Line 4 listed"),
        (Violation(2, "Konto", "account_length", "Booking %(row)s: %(field)s %(value)s", {"value": "12"}),
         "Booking 2: Konto 12"),
    ]
    for message, text in cases:
        assert isinstance(message, Message)
        assert message.message() == text
        stored = json.loads(json.dumps(message.to_json()))
        assert stored["code"] == message.code and stored["template"] == message.template
        assert stored["template"] % stored["params"] == text  # renders from what was stored


def test_message_renders_through_the_callers_gettext():
    error = BookingError("x", "Line %(line)s", line=1)
    assert error.message(lambda s: s.replace("Line", "Zeile")) == "Zeile 1"
