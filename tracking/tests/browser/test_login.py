"""Signing in and out in the browser: the Thai messages, the keyboard hint, the session's end."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from playwright.sync_api import expect

from accounts.keyboard import KEDMANEE_KEYS, QWERTY_KEYS, qwerty_to_thai, thai_to_qwerty
from accounts.roles import Role
from tracking.tests.browser.helpers import PASSWORD, path_of, person, sign_in, sign_out, th

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def no_earlier_failures():
    """Failed sign-ins are counted in the database cache, which emptying the database after a
    test leaves alone: without this, a rerun within 15 minutes would find the username paused."""
    cache.clear()


@pytest.fixture
def somsri(make_user):
    return person(make_user, "somsri", Role.REPORT_VIEWER, "ALRO-SWP", first_name="สมศรี", last_name="มีสุข")


def signed_in_users():
    return {int(s.get_decoded().get("_auth_user_id", 0)) for s in Session.objects.all()} - {0}


def test_wrong_password_is_refused_in_thai(page, somsri):
    page.goto("/accounts/login/")
    page.get_by_label(th("Username")).fill("somsri")
    page.get_by_label(th("Password")).fill("not-the-password")
    page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()

    expect(page.get_by_role("alert")).to_contain_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")
    # The username is kept for the next try; nobody is signed in.
    expect(page.get_by_label(th("Username"))).to_have_value("somsri")
    assert signed_in_users() == set()


def test_password_typed_in_thai_mode_shows_the_keyboard_hint(page, make_user):
    person(make_user, "somchai", Role.REPORT_VIEWER, "ALRO-SWP", password="asdf1234")
    page.goto("/accounts/login/")
    hint = page.locator("#thai-keyboard-hint")
    expect(hint).to_be_hidden()
    page.get_by_label(th("Username")).fill("somchai")
    # The keys of "asdf1234" pressed with the keyboard in Thai (Kedmanee) mode, one key at a time.
    thai = qwerty_to_thai("asdf1234")
    assert thai == "ฟหกดๅ/-ภ"
    page.get_by_label(th("Password")).press_sequentially(thai)
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("แป้นพิมพ์")

    # Sent anyway: refused, and the page says which layout was used and how to switch.
    with page.expect_response(lambda r: r.request.method == "POST" and "/accounts/login/" in r.url) as sent:
        page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()
    expect(page.get_by_role("alert")).to_contain_text("ผังภาษาไทย (เกษมณี)")
    help_box = page.locator("#thai-keyboard-help")
    expect(help_box).to_contain_text("Alt+Shift")
    assert signed_in_users() == set()
    # The page the server sent holds neither the password nor what was typed.
    html = sent.value.text()
    assert "asdf1234" not in html and thai not in html

    # The English-layout equivalent is masked until asked for, then worked out in the browser.
    english = help_box.locator("output")
    expect(english).to_have_text("\u2022" * 8)
    reveal = help_box.get_by_role("button", name="แสดงรหัสผ่านเมื่อพิมพ์ด้วยแป้นภาษาอังกฤษ")
    reveal.click()
    expect(english).to_have_text("asdf1234")
    help_box.get_by_role("button", name=th("Hide it")).click()
    expect(english).not_to_contain_text("asdf")

    # "Use this password" puts it in the password box; signing in with it works.
    help_box.get_by_role("button", name="ใช้รหัสนี้").click()
    expect(page.get_by_label(th("Password"))).to_have_value("asdf1234")
    expect(hint).to_be_hidden()
    page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()
    expect(page.get_by_role("link", name=th("Sign out"))).to_be_visible()
    # Nothing of the password is left in the browser's storage.
    stored = page.evaluate("JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])")
    assert "asdf1234" not in stored and thai not in stored and "thaiPassword" not in stored


def test_keyboard_hint_without_storage_asks_to_type_again(page, make_user):
    """With nothing kept from the refused page (storage off), the person types the password again."""
    person(make_user, "somchai", Role.REPORT_VIEWER, "ALRO-SWP", password="asdf1234")
    page.goto("/accounts/login/")
    page.evaluate("() => { Storage.prototype.setItem = () => { throw new Error('storage off'); }; }")
    page.get_by_label(th("Username")).fill("somchai")
    page.get_by_label(th("Password")).fill(qwerty_to_thai("asdf1234"))
    page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()
    help_box = page.locator("#thai-keyboard-help")
    reveal = help_box.get_by_role("button", name="แสดงรหัสผ่านเมื่อพิมพ์ด้วยแป้นภาษาอังกฤษ")
    expect(reveal).to_be_disabled()
    expect(help_box).to_contain_text("พิมพ์รหัสผ่านในช่องรหัสผ่านอีกครั้ง")
    page.get_by_label(th("Password")).press_sequentially(qwerty_to_thai("asdf1234"))
    expect(help_box.locator("output")).to_have_text("\u2022" * 8)
    reveal.click()
    expect(help_box.locator("output")).to_have_text("asdf1234")

    # The browser's conversion is accounts.keyboard's, key for key, over both whole layouts.
    page.get_by_label(th("Password")).fill(KEDMANEE_KEYS)
    expect(help_box.locator("output")).to_have_text(thai_to_qwerty(KEDMANEE_KEYS))
    assert thai_to_qwerty(KEDMANEE_KEYS) == QWERTY_KEYS


def test_a_password_with_thai_letters_that_is_right_leaves_nothing_stored(page, make_user):
    person(make_user, "somchai", Role.REPORT_VIEWER, "ALRO-SWP", password="สวัสดี-2569")
    sign_in(page, "somchai", "สวัสดี-2569")
    stored = page.evaluate("JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])")
    assert "สวัสดี" not in stored


def test_correct_login_lands_on_the_page_asked_for(page, somsri):
    page.goto("/reports/")
    # Not signed in: sent to the sign-in page, which remembers where the user was going.
    assert path_of(page).startswith("/accounts/login/?next=/reports/")
    page.get_by_label(th("Username")).fill("somsri")
    page.get_by_label(th("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()

    expect(page).to_have_url(re.compile(r"^http://[^/]+/reports/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(th("Reports and dashboards"))
    expect(page.get_by_role("link", name="สมศรี มีสุข")).to_be_visible()
    assert signed_in_users() == {somsri.pk}


def test_logout_ends_the_session(page, somsri):
    sign_in(page, "somsri")
    assert signed_in_users() == {somsri.pk}
    sign_out(page)

    expect(page.get_by_role("link", name=th("Sign in"))).to_be_visible()
    assert signed_in_users() == set()
    # A protected page now sends the browser to the sign-in page.
    page.goto("/reports/")
    assert path_of(page) == "/accounts/login/?next=/reports/"
    expect(page.get_by_role("heading", level=1)).to_have_text(th("Sign in"))
