"""The web shell: navigation, empty states, fragments for htmx, errors without tracebacks."""

from __future__ import annotations

import pytest

from tests.helpers import page_token

AREAS = ["/overview", "/reports/", "/reports/upload", "/batches/", "/marketplaces/", "/connections/", "/settings/",
         "/settings/accounts", "/settings/mappings", "/jobs/", "/settings/quickbooks", "/quickbooks/preview"]


@pytest.mark.parametrize("path", AREAS)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_area_renders_in_both_languages(logged_in, path, lang):
    logged_in.post("/language", data={"lang": lang, "csrf_token": _token(logged_in)})
    response = logged_in.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'lang="{lang}"' in page
    assert "<h1>" in page and "Error" not in page and "Fehler" not in page


def test_navigation_is_german_after_switching(logged_in):
    response = logged_in.post("/language", data={"lang": "de", "csrf_token": _token(logged_in),
                                                  "next": "/reports/"})
    assert response.headers["Location"] == "/reports/"
    page = logged_in.get("/reports/").get_data(as_text=True)
    for word in ["Berichte", "Buchungsstapel", "Marktplätze", "Verbindungen", "Einstellungen", "Protokoll"]:
        assert word in page


def test_language_choice_is_remembered_across_sessions(app, logged_in, actions):
    logged_in.post("/language", data={"lang": "de", "csrf_token": _token(logged_in)})
    actions.logout()
    other = app.test_client()
    from tests.conftest import Actions
    Actions(other).login()
    assert 'lang="de"' in other.get("/overview").get_data(as_text=True)


def test_accept_language_picks_german_before_any_choice(client):
    page = client.get("/setup", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert "Willkommen bei settlebook" in page


def test_htmx_request_gets_the_fragment_and_boosted_gets_the_page(logged_in):
    fragment = logged_in.get("/jobs/", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True)
    assert 'id="job-table"' in fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"]
    boosted = logged_in.get("/jobs/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    restore = logged_in.get("/jobs/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_unknown_page_is_a_translated_404_without_traceback(logged_in):
    logged_in.post("/language", data={"lang": "de", "csrf_token": _token(logged_in)})
    response = logged_in.get("/no/such/page")
    assert response.status_code == 404
    assert "Unter dieser Adresse gibt es nichts." in response.get_data(as_text=True)


def test_unexpected_error_shows_error_page_not_traceback(app, client, actions):
    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    actions.setup()
    response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "secret internals" not in body
    assert "Something went wrong" in body


def test_static_htmx_is_vendored_2x(client):
    with client.get("/static/htmx-2.0.11.min.js") as response:
        assert 'version:"2.0.11"' in response.get_data(as_text=True)


def _token(client):
    return page_token(client)
