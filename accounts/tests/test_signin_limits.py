"""Failed sign-ins: limited per username and per username from one address, not per address by default."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.signin_limits import client_ip

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
OFFICE = "203.0.113.7"  # a provincial hall behind one router, or the whole site behind the proxy


def attempt(client, username, password, address=OFFICE, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"login": username, "password": password}, **extra)


def signed_in(response):
    return response.status_code == 302


def test_many_failures_for_other_usernames_do_not_refuse_a_correct_password_from_the_same_address(
    client, member
):
    for n in range(110):
        attempt(client, f"guess{n}", "wrong")
    assert signed_in(attempt(client, "member", member.raw_password))


def test_failures_for_one_username_from_one_address_refuse_it_from_there(client, member, settings):
    for _attempt in range(settings.LOGIN_FAILURES_PER_USER):
        attempt(client, "member", "wrong")
    assert not signed_in(attempt(client, "member", member.raw_password))
    # The person at another office is not refused because of these failures.
    assert signed_in(attempt(client, "member", member.raw_password, address="198.51.100.20"))


def test_failures_for_one_username_from_many_addresses_refuse_it_everywhere(client, member, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 6
    for n in range(6):
        attempt(client, "MEMBER", "wrong", address=f"198.51.100.{n + 1}")
    response = attempt(client, "member", member.raw_password, address="192.0.2.99")
    assert not signed_in(response)
    assert "หลายที่อยู่" in response.content.decode()


def test_a_hard_limit_per_address_set_by_an_administrator_refuses_everyone_there(client, member, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 10
    for n in range(10):
        attempt(client, f"guess{n}", "wrong")
    response = attempt(client, "member", member.raw_password)
    assert not signed_in(response)
    assert "ทุกชื่อผู้ใช้" in response.content.decode()


def test_a_successful_sign_in_does_not_count_as_a_failure(client, member, settings):
    for _round in range(settings.LOGIN_FAILURES_PER_USER + 2):
        assert signed_in(attempt(client, "member", member.raw_password))
        client.logout()


def test_x_forwarded_for_from_an_untrusted_address_cannot_dodge_the_limit(client, member, settings):
    settings.TRUSTED_PROXIES = []
    for n in range(settings.LOGIN_FAILURES_PER_USER):
        attempt(client, "member", "wrong", forwarded=f"192.0.2.{n + 1}")
    assert not signed_in(attempt(client, "member", member.raw_password, forwarded="192.0.2.200"))


def test_x_forwarded_for_from_a_trusted_proxy_names_the_client(client, member, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]
    for _attempt in range(settings.LOGIN_FAILURES_PER_USER):
        attempt(client, "member", "wrong", address="127.0.0.1", forwarded="192.0.2.10")
    # The same person behind the proxy is refused, whatever they put in front of the header...
    assert not signed_in(
        attempt(client, "member", member.raw_password, address="127.0.0.1", forwarded="10.9.9.9, 192.0.2.10")
    )
    # ...and a colleague elsewhere, through the same proxy, is not.
    assert signed_in(
        attempt(client, "member", member.raw_password, address="127.0.0.1", forwarded="192.0.2.11")
    )


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("192.0.2.1", "10.0.0.5", "192.0.2.1"),  # not from a proxy: the header is ignored
        ("10.0.0.1", "192.0.2.5", "192.0.2.5"),
        ("10.0.0.1", "6.6.6.6, 192.0.2.5", "192.0.2.5"),  # the client's own entry proves nothing
        ("10.0.0.1", "192.0.2.5, 10.0.0.2", "192.0.2.5"),  # two proxies of ours
        ("10.0.0.1", "", "10.0.0.1"),
        ("10.0.0.1", "not-an-address", "10.0.0.1"),
    ],
)
def test_client_address(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_message_says_what_happened_and_when_to_try_again(client, member, settings):
    for _attempt in range(settings.LOGIN_FAILURES_PER_USER):
        attempt(client, "member", "wrong")
    body = attempt(client, "member", member.raw_password).content.decode()
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้ง" in body
    assert "จากที่อยู่เครือข่ายของท่าน" in body
    assert " น." in body  # the time to try again, Thai style
    assert "ล็อก" not in body  # an address limit does not claim the account is locked


def test_the_message_in_english(client, member, settings):
    for _attempt in range(settings.LOGIN_FAILURES_PER_USER):
        attempt(client, "member", "wrong")
    with translation.override("en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        body = attempt(client, "member", member.raw_password).content.decode()
    assert "for this username from your network address" in body
    assert "try again after" in body
    assert "locked" not in body


def test_too_many_sign_ins_from_one_address_get_the_sites_own_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _attempt in range(2):
        attempt(client, "someone", "wrong")
    response = attempt(client, "someone", "wrong")
    assert response.status_code == 429
    assert "กรุณารอสักครู่แล้วลองใหม่" in response.content.decode()
