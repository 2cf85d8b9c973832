"""Security headers on every route: pages, fragments, static files, redirects and errors."""

from __future__ import annotations

import re

EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def assert_headers(response, what) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (what, name, response.headers.get(name))
    csp = response.headers.get("Content-Security-Policy", "")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["frame-ancestors"] == "'none'", what
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", what
    assert "unsafe" not in csp, what


def test_every_route_carries_the_headers_logged_in_and_out(app, logged_in):
    anonymous = app.test_client()
    seen = 0
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
        if rule.endpoint == "static":
            path = "/static/app.css"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for client in (logged_in, anonymous):
                if path == "/logout" and client is logged_in:
                    continue  # keep the session for the other routes
                response = client.open(path, method=method)
                assert_headers(response, (method, path, response.status_code))
                response.close()
                seen += 1
    assert seen > 40
    # Fragments for htmx, a 404 and an error page too.
    assert_headers(logged_in.get("/jobs/", headers={"HX-Request": "true"}), "fragment")
    assert_headers(logged_in.get("/no/such/page"), "404")
    assert_headers(logged_in.post("/reports/upload"), "CSRF 400")


def test_pages_have_no_inline_script_or_style(app, logged_in):
    for path in ("/overview", "/reports/", "/reports/upload", "/batches/", "/settings/",
                 "/settings/accounts", "/settings/mappings", "/jobs/", "/marketplaces/", "/connections/",
                 "/settings/quickbooks", "/quickbooks/preview",
                 "/connections/quickbooks/"):
        response = logged_in.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", page), path
