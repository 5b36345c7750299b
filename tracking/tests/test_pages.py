"""Every page of the site shell renders, in Thai by default and in English on request."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["home", "about", "news:index", "account_login"]
SIGNED_IN_PAGES = [
    "accounts:index",
    "projects:index",
    "progress:index",
    "reports:index",
    "workload:index",
    "account_logout",
    "account_change_password",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_renders_in_thai(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Language"] == "th"
    body = response.content.decode()
    assert '<html lang="th">' in body
    assert "ระบบติดตามผลการดำเนินงานและปริมาณงาน" in body


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_renders_in_english(english, name):
    response = english.get(reverse(name))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Performance and Workload Tracking System" in body


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_page_renders_in_thai_and_english(super_client, settings, name):
    response = super_client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="th">' in response.content.decode()
    super_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = super_client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize("name", [n for n in SIGNED_IN_PAGES if n != "account_logout"])
def test_anonymous_visitor_is_sent_to_login(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


def test_browser_language_alone_does_not_switch_to_english(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="th">' in response.content.decode()


def test_language_switch_sets_the_cookie_and_returns(client, settings):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/about/"})
    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/about/").content.decode()


def test_home_shows_both_systems_and_fiscal_year(client, settings):
    body = client.get(reverse("home")).content.decode()
    assert reverse("projects:index") in body
    assert reverse("workload:index") in body
    assert "ปีงบประมาณ พ.ศ. 25" in body


def test_shell_loads_htmx_and_css_from_this_site(client):
    body = client.get(reverse("home")).content.decode()
    assert 'src="/static/django_htmx/htmx-2.min.js"' in body
    assert 'href="/static/css/site.css"' in body
    assert "http://" not in body.replace("http://www.w3.org", "")
    assert "https://" not in body


def test_each_page_has_one_h1(client, make_user):
    for name in PUBLIC_PAGES:
        assert client.get(reverse(name)).content.decode().count("<h1") == 1, name
    client.force_login(make_user("super", roles=["super_admin"], unit="ALRO-ICT"))
    for name in SIGNED_IN_PAGES:
        assert client.get(reverse(name)).content.decode().count("<h1") == 1, name
