"""Every URL of the project with crafted values in each query parameter its view reads: never a 500.

The URLs and their arguments are the authorization matrix's (a new view is declared there). The
parameters are not listed by hand: each URL is first opened as the super admin and as the
anonymous with the query string recorded, so whatever the view reads (``request.GET.get("fy")``,
a filter form bound to ``request.GET``, a helper) is found, and a parameter added tomorrow is walked
without anyone remembering to. ``KNOWN`` pins a floor, so the recording itself cannot quietly stop
finding them. Each parameter then gets a NUL byte (400, the Thai page), a number too large for
the database and a negative number (a word where a number goes: tracking/tests/test_bad_input.py).

The same world serves the checks that signed-in pages, exports and files are not kept by the
browser, that ``next`` stays on this site and that a 403 on a locked submission says why.
"""

from urllib.parse import parse_qsl, urlencode

import pytest
from django.core.cache import caches
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse

from accounts.management.commands.seed_demo import DEFAULT_PASSWORD
from tracking.tests import test_authorization_matrix as matrix
from tracking.tests.badinput import CONTROL_CHARACTERS, OUT_OF_RANGE
from tracking.tests.test_authorization_matrix import ACCESS, ANON, ROUTES, admin_url, url_for

# The matrix's fixtures: its demo world (built once for this module too) and quiet 403/404 logs.
world = matrix.world
quiet_requests = matrix.quiet_requests


PERSONAS = [ANON, "super_admin"]
READ: set[str] = set()


class RecordingQueryDict(QueryDict):
    """The query string, noting every name a view asks for (copies note too)."""

    def __getitem__(self, key):
        READ.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        READ.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        READ.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        READ.add(key)
        return super().__contains__(key)


class _Rollback(Exception):
    pass


def fetch(w, persona, url):
    """GET ``url`` as ``persona`` in a transaction rolled back afterwards."""
    client = w.clients[persona]
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    try:
        with transaction.atomic():
            response = client.get(url)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        client.cookies = cookies
        caches["pages"].clear()
    return response


def with_query(url: str, **params) -> str:
    path, _, query = url.partition("?")
    pairs = dict(parse_qsl(query, keep_blank_values=True))
    return f"{path}?{urlencode({**pairs, **params})}"


@pytest.fixture
def recording(monkeypatch):
    """request.GET of every request recorded (POST bodies are not: their fields are the forms')."""
    monkeypatch.setattr("django.core.handlers.wsgi.QueryDict", RecordingQueryDict)
    READ.clear()
    yield READ
    READ.clear()


def params_read(w, url, personas) -> set[str]:
    READ.clear()
    for persona in personas:
        # A query string that is not empty: a filter form bound to `request.GET or {defaults}`
        # reads its fields from the query only then.
        fetch(w, persona, with_query(url, _probe="1"))
    return READ - {"_probe"}


# Parameters the recording must find (a floor: it finds these and more).
KNOWN = {
    "news:index": {"q", "category", "page"},
    "progress:index": {"fy", "month", "q", "page"},
    "projects:index": {"fy", "source", "owner", "status", "q", "page"},
    "projects:export": {"fy"},
    "reports:budget": {"fy", "month", "province", "unit", "project", "source"},
    "reports:workload": {"fy", "province"},
    "reports:assignment": {"month"},
    "accounts:unit_options": {"agency", "province"},
    "workload:registry": {"province"},
    "workload:registry_new": {"province"},
}

CRAFTED = OUT_OF_RANGE


def crafted_requests(w, url, params, personas):
    """What went wrong when each of ``params`` of ``url`` gets each crafted value."""
    wrong = []
    for param in sorted(params):
        for persona in personas:
            response = fetch(w, persona, with_query(url, **{param: "a\x00b"}))
            if response.status_code != 400 or not CONTROL_CHARACTERS.found_in(response.content.decode()):
                wrong.append(f"{persona} {param}=NUL: {response.status_code}, expected the Thai 400")
            for value in CRAFTED:
                response = fetch(w, persona, with_query(url, **{param: value}))
                if response.status_code >= 500:
                    wrong.append(f"{persona} {param}={value}: {response.status_code}")
    return wrong


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests", "recording")
@pytest.mark.parametrize("key", sorted(ACCESS))
def test_crafted_values_in_every_query_parameter_never_give_a_500(world, key):
    route, case = ROUTES[key.split("#")[0]], ACCESS[key]
    url = url_for(route, case, world)
    params = params_read(world, url, PERSONAS)
    assert KNOWN.get(key, set()) <= params, f"{key} reads {sorted(params)}"
    wrong = crafted_requests(world, url, params, PERSONAS)
    assert not wrong, f"{url}\n" + "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests", "recording")
@pytest.mark.parametrize("name", sorted(name for name, route in ROUTES.items() if route.is_admin))
def test_crafted_values_in_the_admin_never_give_a_500(world, name):
    """The admin site, as its staff (the anonymous are sent to sign in before any view reads)."""
    url = admin_url(ROUTES[name], world)
    params = params_read(world, url, ["super_admin"])
    if name == "admin:accounts_user_changelist":
        assert {"q", "p"} <= params, f"{name} reads {sorted(params)}"
    wrong = crafted_requests(world, url, params, ["super_admin"])
    assert not wrong, f"{url}\n" + "\n".join(wrong)


# --- nothing signed-in is kept by the browser ---------------------------------------------------


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "where",
    [
        lambda w: reverse("projects:index"),
        lambda w: reverse("projects:export") + f"?fy={w.project.fiscal_year}",
        lambda w: reverse("reports:budget_xlsx"),
        lambda w: reverse("progress:photo_file", kwargs={"pk": w.photo.pk, "size": "full"}),
        lambda w: reverse("news:attachment", kwargs={"pk": w.draft_attachment.pk}),
        lambda w: reverse("news:attachment", kwargs={"pk": w.news_attachment.pk}),
        lambda w: reverse("home"),
    ],
    ids=["page", "project-xlsx", "report-xlsx", "photo", "draft-attachment", "attachment", "home"],
)
def test_what_a_signed_in_user_gets_is_not_kept_by_the_browser(world, where):
    response = fetch(world, "super_admin", where(world))
    assert response.status_code == 200
    _body(response)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_public_pages_to_the_anonymous_stay_cacheable(world):
    for url in (reverse("home"), reverse("news:index")):
        response = fetch(world, ANON, url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")


# --- next stays on this site --------------------------------------------------------------------

ELSEWHERE = [
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http://testserver.evil.example/",
    " https://evil.example/",
]


def _post(w, persona, url, data):
    client = w.clients[persona]
    try:
        with transaction.atomic():
            response = client.post(url, data)
            raise _Rollback
    except _Rollback:
        pass
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("target", ELSEWHERE)
def test_confirming_never_sends_the_user_to_another_site(world, target):
    url = reverse("workload:confirm", kwargs={"fy": world.fy, "code": world.office.code})
    response = _post(world, "province_confirmer", url, {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("workload:status", args=[world.fy, world.office.code])


@pytest.mark.django_db
def test_confirming_follows_a_next_of_this_site(world):
    url = reverse("workload:confirm", kwargs={"fy": world.fy, "code": world.office.code})
    back = reverse("workload:province", kwargs={"fy": world.fy, "code": "50"})
    assert _post(world, "province_confirmer", url, {"next": back})["Location"] == back


@pytest.mark.django_db
@pytest.mark.parametrize("target", ELSEWHERE)
def test_no_next_anywhere_leads_off_the_site(world, target):
    """The language switch, signing in and the admin's door, with a crafted next."""
    assert _post(world, ANON, reverse("set_language"), {"language": "en", "next": target})["Location"] == "/"
    response = _post(
        world, ANON, reverse("account_login") + "?" + urlencode({"next": target}),
        {"login": "super_admin", "password": DEFAULT_PASSWORD, "next": target},
    )  # fmt: skip
    assert response.status_code == 302
    assert "evil" not in response["Location"] and not response["Location"].startswith("javascript")
    response = fetch(world, ANON, reverse("admin:login") + "?" + urlencode({"next": target}))
    assert "evil" not in response["Location"].replace("%2F", "/").split("next=")[-1]


# --- a 403 says why --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_requests")
def test_changing_a_confirmed_submission_is_403_with_the_reason(world):
    kwargs = {"fy": world.confirmed.questionnaire.fiscal_year, "code": world.confirmed.office.code}
    response = _post(
        world, "district_recorder", reverse("workload:aspect", kwargs={**kwargs, "number": 1}), {}
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "จังหวัดยืนยันข้อมูลแล้ว" in body
    assert "จึงแก้ไขข้อมูลไม่ได้อีก" in body
