"""The one shape of every sentence core hands to a user: a stable code, an English template
marked with `N_` (placeholders `%(name)s`), and its parameters.

Core never translates: `message()` renders through the caller's gettext, and `to_json()`
stores code, template and parameters so the web layer renders them later in the reader's
language (webapp/messages.py `stored_message`). Parse errors, booking errors, batch notices,
DATEV rule violations and account-set problems all are `Message`s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def _same(text: str) -> str:
    return text


class Message:
    """Mixed into the exceptions and dataclasses that carry `code`, `template` and `params`."""

    code: str
    template: str
    params: Mapping[str, object]

    def render_params(self) -> dict[str, object]:
        """Every value the template may use (subclasses add their own, e.g. the line)."""
        return dict(self.params)

    def message(self, gettext: Callable[[str], str] | None = None) -> str:
        return (gettext or _same)(self.template) % self.render_params()

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "template": self.template,
                "params": {k: "" if v is None else str(v) for k, v in self.render_params().items()}}
