"""What the browser journeys share: people, signing in, and reading what a page says."""

import re

from django.utils import translation
from playwright.sync_api import Page, expect

PASSWORD = "Browser-test-2569"


def th(msgid: str) -> str:
    """The Thai the pages show for an English msgid, from the catalogue."""
    with translation.override("th"):
        return translation.gettext(msgid)


def person(make_user, username, role, unit, **fields):
    """A user with one role, a home unit and a known password (real names, as the pages show them)."""
    fields = {"password": PASSWORD, "first_name": "ทดสอบ", "last_name": username, **fields}
    return make_user(username, roles=[role], unit=unit, **fields)


def sign_in(page: Page, username: str, password: str = PASSWORD, path: str = "/accounts/login/"):
    """Sign in through the form as a person would, and wait for the page after it."""
    page.goto(path)
    page.get_by_label(th("Username")).fill(username)
    page.get_by_label(th("Password")).fill(password)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()
    expect(page.locator("form[data-login-form]")).to_have_count(0)


def sign_out(page: Page):
    page.get_by_role("link", name=th("Sign out")).click()
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name=th("Sign out")).click()


def menu(page: Page, msgid: str):
    """Follow a link of the main menu."""
    page.get_by_role("navigation", name=th("Main menu")).get_by_role("link", name=th(msgid)).click()


def messages(page: Page) -> list[str]:
    """The messages the page shows (saved, refused...), once the page after a click has loaded."""
    page.wait_for_load_state("domcontentloaded")
    return [text.strip() for text in page.locator(".messages li").all_inner_texts()]


def path_of(page: Page) -> str:
    page.wait_for_load_state("domcontentloaded")
    return re.sub(r"^https?://[^/]+", "", page.url)
