"""Signing in and out in the browser: the Thai messages, the keyboard hint, the session's end."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from accounts.keyboard import qwerty_to_thai
from accounts.roles import Role
from tracking.tests.browser.helpers import PASSWORD, path_of, person, sign_in, sign_out, th

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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

    # Sent anyway: refused, and the server says what the same keys give in English.
    page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()
    expect(page.get_by_role("alert")).to_contain_text("asdf1234")
    assert signed_in_users() == set()

    # Switching to English and typing again signs in.
    page.get_by_label(th("Password")).fill("asdf1234")
    expect(hint).to_be_hidden()
    page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()
    expect(page.get_by_role("link", name=th("Sign out"))).to_be_visible()


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
