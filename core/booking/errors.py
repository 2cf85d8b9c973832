"""The one error a builder raises: a report that cannot be booked, or a bug caught."""

from __future__ import annotations

from core.message import Message


class BookingError(Message, Exception):
    """`code` is stable for the UI and logs; `template` is an `N_` sentence using `params`."""

    def __init__(self, code: str, template: str, **params: object) -> None:
        self.code = code
        self.template = template
        self.params = params
        super().__init__(self.message())
