"""The idle timeout in the browser: the warning, "stay signed in", and typing kept across a new sign-in."""

import re
import time
from urllib.parse import unquote

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from accounts import session as session_rules
from accounts.roles import Role
from news.models import News
from tracking.tests.browser.helpers import PASSWORD, path_of, person, sign_in, th

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def short_sessions(settings, monkeypatch):
    """Sessions end after 8 idle seconds, with a warning 5 seconds before."""
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_WARNING_SECONDS = 5
    # Activity is stamped at most once a minute in production; at this scale every request counts.
    monkeypatch.setattr(session_rules, "STAMP_EVERY_SECONDS", 0)


def last_activity(user):
    stamps = [
        s.get_decoded().get(session_rules.LAST_ACTIVITY)
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    return max(stamps) if stamps else None


def test_warning_stay_signed_in_and_typing_restored_after_a_new_sign_in(page, make_user, short_sessions):
    writer = person(make_user, "district_recorder", Role.DISTRICT_RECORDER, "DLA-D5001")
    sign_in(page, "district_recorder")
    page.goto("/news/new/")
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()

    # The warning comes before the end, with a countdown; "stay signed in" keeps the session.
    expect(warning).to_be_visible(timeout=8_000)
    expect(warning).to_contain_text(th("Your session is about to end"))
    expect(page.locator("#session-countdown")).to_have_text(re.compile(r"^0:0[0-5]$"))
    clicked_at = int(time.time())
    warning.get_by_role("button", name=th("Stay signed in")).click()
    expect(warning).to_be_hidden()
    assert last_activity(writer) >= clicked_at
    assert path_of(page) == "/news/new/"

    # Typing in a form, then going idle until the session ends.
    page.get_by_label(th("title")).fill("ร่างข่าวที่พิมพ์ค้างไว้")
    page.get_by_label(th("summary")).fill("ข้อความที่ต้องไม่หาย")
    expect(page.locator("form[data-login-form]")).to_be_visible(timeout=20_000)
    assert unquote(path_of(page)) == "/accounts/login/?next=/news/new/"
    expect(page.locator(".messages")).to_contain_text(th("Your session has ended. Please sign in again."))
    assert last_activity(writer) is None  # signed out on the server too

    # Signing in again comes back to the form with the typing put back, and it can be saved.
    page.get_by_label(th("Username")).fill("district_recorder")
    page.get_by_label(th("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()
    expect(page.get_by_label(th("title"))).to_have_value("ร่างข่าวที่พิมพ์ค้างไว้")
    assert path_of(page) == "/news/new/"
    expect(page.get_by_label(th("summary"))).to_have_value("ข้อความที่ต้องไม่หาย")
    expect(page.locator(".draft-restored")).to_contain_text(
        th("What you typed earlier on this page has been put back. Check it and save.")
    )
    assert not News.objects.exists()
    page.get_by_label(th("category")).select_option(label=th("Activities"))
    page.get_by_label(th("text")).fill("<p>เนื้อหา</p>")
    page.get_by_role("button", name=th("Save draft")).click()
    expect(page.locator(".messages")).to_contain_text(th("Saved as a draft. Submit it when it is ready."))
    assert News.objects.get().summary == "ข้อความที่ต้องไม่หาย"
