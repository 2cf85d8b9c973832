"""Errors of htmx requests come back as a message for the page's error slot, never a page."""

from __future__ import annotations

import io

from tests.helpers import csrf_token


def test_too_large_upload_answers_htmx_with_a_message(app, logged_in):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    token = csrf_token(logged_in.get("/reports/upload").get_data(as_text=True))
    response = logged_in.post("/reports/upload", headers={"HX-Request": "true"},
                              data={"csrf_token": token, "files": [(io.BytesIO(b"x" * 4096), "big.txt")]},
                              content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "<html" not in html and 'role="alert"' in html and "too large" in html


def test_other_errors_of_htmx_requests_go_to_the_error_slot(logged_in):
    response = logged_in.post("/batches/report/999999/build", headers={"HX-Request": "true"},
                              data={"csrf_token": csrf_token(logged_in.get("/batches/").get_data(as_text=True))})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#htmx-error"
    assert 'role="alert"' in response.get_data(as_text=True)
    expired = logged_in.post("/batches/regenerate-outdated", headers={"HX-Request": "true"},
                             data={"csrf_token": "not-the-token"})
    assert expired.status_code == 400 and expired.headers["HX-Retarget"] == "#htmx-error"
    assert "expired" in expired.get_data(as_text=True)


def test_a_normal_request_still_gets_the_error_page(logged_in):
    response = logged_in.get("/reports/999999")
    assert response.status_code == 404 and "<html" in response.get_data(as_text=True)
    htmx = logged_in.get("/reports/999999", headers={"HX-Request": "true"})
    assert htmx.status_code == 404 and "<html" not in htmx.get_data(as_text=True)


def test_every_page_has_the_error_slot(logged_in):
    for path in ("/overview", "/reports/upload", "/batches/"):
        assert logged_in.get(path).get_data(as_text=True).count('id="htmx-error"') == 1


def test_a_message_flashed_for_a_fragment_shows_on_this_page_not_the_next(app, logged_in):
    from flask import flash

    from webapp.htmx import render

    with app.test_request_context("/", headers={"HX-Request": "true"}):
        flash("Saved just now.", "success")
        html = render("error.html", "_error_message.html", code=400, message="x")
    assert 'id="flash-messages" hx-swap-oob="true"' in html and "Saved just now." in html
    with app.test_request_context("/"):
        assert 'hx-swap-oob' not in render("_error_message.html", code=400, message="x")
