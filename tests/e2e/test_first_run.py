"""A new user's first minutes: set up a password, log in, switch to German, log out."""

from __future__ import annotations

from playwright.sync_api import Page, expect

PASSWORD = "browser password 1"


def set_up(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    expect(page.get_by_role("heading", name="Welcome to settlebook")).to_be_visible()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Save password and start").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()


def set_up_in_german_and_upload(page: Page, server: str, path) -> None:  # type: ignore[no-untyped-def]
    """A fresh install in German with one report uploaded through the form."""
    set_up(page, server)
    page.get_by_role("button", name="DE").click()
    page.goto(f"{server}/reports/upload")
    page.get_by_label("Berichtsdateien").set_input_files(str(path))
    page.get_by_role("button", name="Hochladen und importieren").click()
    expect(page.locator(".upload")).to_contain_text("Importiert.", timeout=20_000)


def test_first_run_setup_lands_on_the_overview(page: Page, server):
    page.goto(f"{server}/")
    expect(page).to_have_url(f"{server}/setup")
    set_up(page, server)
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="Upload reports").first).to_be_visible()


def test_setup_is_usable_with_the_keyboard_only(page: Page, server):
    page.goto(f"{server}/setup")
    page.keyboard.type(PASSWORD)  # the password field has focus on load
    page.keyboard.press("Tab")  # to "Repeat the password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()


def test_logout_then_login_with_wrong_and_right_password(page: Page, server):
    set_up(page, server)
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{server}/login")
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.goto(f"{server}/reports/")
    expect(page).to_have_url(f"{server}/login?next=/reports/")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("That password is not right.")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server}/reports/")


def test_switching_to_german_shows_german_navigation(page: Page, server):
    set_up(page, server)
    page.get_by_role("button", name="DE").click()
    nav = page.get_by_role("navigation")
    for word in ["Übersicht", "Berichte", "Buchungsstapel", "Marktplätze", "Verbindungen",
                 "Einstellungen", "Protokoll"]:
        expect(nav.get_by_role("link", name=word, exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    # Remembered: a new page load stays German, and logging out and in again too.
    nav.get_by_role("link", name="Berichte").click()
    expect(page.get_by_role("heading", name="Berichte", exact=True)).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", name="Bei settlebook anmelden")).to_be_visible()


def test_phone_screen_folds_the_navigation_into_a_menu(page: Page, server):
    page.set_viewport_size({"width": 390, "height": 800})
    set_up(page, server)
    nav = page.get_by_role("navigation")
    expect(nav).to_be_hidden()
    page.get_by_text("Menu").click()
    expect(nav.get_by_role("link", name="Reports")).to_be_visible()
