"""Everything the views need to know about htmx lives here.

Views call `render()` and `redirect_to()` and never read HX-* headers themselves, so a move
to another htmx version changes this file only.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, redirect, render_template
from flask_htmx import make_response as htmx_response


def wants_fragment() -> bool:
    """True for an htmx request that will swap a part of the page.

    Boosted navigation and history restoration also carry HX-Request but replace the
    whole page, so they get the full page.
    """
    htmx = current_app.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str | None = None, /, **context: object) -> str:
    """The whole page, or only `fragment` for an htmx swap (the page includes the fragment)."""
    if fragment is not None and wants_fragment():
        return render_template(fragment, **context)
    return render_template(page, **context)


def fragment(template: str, /, **context: object) -> str:
    """A part of a page that is only ever swapped in (never a page of its own)."""
    return render_template(template, **context)


def redirect_to(url: str) -> Response:
    """A redirect that also works for htmx requests (which would follow a 302 inside the XHR)."""
    if current_app.htmx:
        return htmx_response(redirect=url)
    return redirect(url, code=303)


def init_app(app: Flask) -> None:
    @app.after_request
    def _vary(response: Response) -> Response:
        # A cache must never hand a fragment to a normal navigation, or the reverse.
        response.vary.add("HX-Request")
        return response
