import time

import pytest
from django.urls import reverse

from accounts.session import LAST_ACTIVITY, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def shift_session(client, **ago_seconds):
    """Pretend the session's clocks were set that many seconds ago."""
    session = client.session
    now = int(time.time())
    for key, ago in ago_seconds.items():
        session[key] = now - ago
    session.save()


def test_sign_in_starts_both_clocks(client, member):
    client.post(reverse("account_login"), {"login": "member", "password": member.raw_password})
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 5
    assert abs(client.session[LAST_ACTIVITY] - time.time()) < 5


def test_activity_within_the_idle_limit_keeps_the_session(member_client, settings):
    shift_session(member_client, last_activity=settings.SESSION_IDLE_TIMEOUT - 60)
    assert member_client.get(reverse("accounts:index")).status_code == 200
    assert time.time() - member_client.session[LAST_ACTIVITY] < 5


def test_requests_within_a_minute_do_not_rewrite_the_session(member_client, django_assert_num_queries):
    shift_session(member_client, last_activity=30)
    stamp = member_client.session[LAST_ACTIVITY]
    member_client.get(reverse("accounts:index"))
    assert member_client.session[LAST_ACTIVITY] == stamp


def test_idle_session_ends_and_sends_the_user_to_sign_in_then_back(member_client, settings):
    shift_session(member_client, last_activity=settings.SESSION_IDLE_TIMEOUT + 1)
    response = member_client.get(reverse("projects:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=/projects/"
    assert "กรุณาเข้าสู่ระบบใหม่" in response.content.decode()
    assert "_auth_user_id" not in member_client.session


def test_post_after_idle_timeout_saves_nothing_and_asks_to_sign_in(member_client, settings):
    shift_session(member_client, last_activity=settings.SESSION_IDLE_TIMEOUT + 1)
    response = member_client.post(reverse("accounts:keep_alive"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_absolute_limit_ends_even_an_active_session(member_client, settings):
    shift_session(member_client, last_activity=10, signed_in_at=settings.SESSION_ABSOLUTE_TIMEOUT + 1)
    response = member_client.get(reverse("accounts:index"))
    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_idle_minutes_are_configurable(member_client, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    shift_session(member_client, last_activity=6 * 60)
    assert member_client.get(reverse("accounts:index")).status_code == 302


def test_keep_alive_resets_the_idle_clock(member_client, settings):
    shift_session(member_client, last_activity=settings.SESSION_IDLE_TIMEOUT - 30)
    response = member_client.post(reverse("accounts:keep_alive"))
    assert response.status_code == 200
    assert response.json()["seconds_left"] > settings.SESSION_IDLE_TIMEOUT - 5


def test_keep_alive_is_post_only(member_client):
    assert member_client.get(reverse("accounts:keep_alive")).status_code == 405


def test_pages_tell_the_browser_when_the_session_ends(member_client, settings):
    body = member_client.get(reverse("home")).content.decode()
    assert 'data-session-seconds-left="' in body
    assert f'data-session-warning-seconds="{settings.SESSION_WARNING_SECONDS}"' in body
    assert 'id="session-warning"' in body


def test_anonymous_pages_carry_no_session_timer(client):
    assert "data-session-seconds-left" not in client.get(reverse("home")).content.decode()
