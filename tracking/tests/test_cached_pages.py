"""A cached page body is shared by everyone with the same scope: it carries nobody's personal details.

Two people with the same data scope but different names, menus and session state open the same
cached page one after the other. The second is served from the cache (the page's builder is not
called again), and each sees their own name, menu and messages around it. A canary appended to the
cached template prints what a template could learn of the person who filled the cache (name, CSRF
token, messages, session): it must print nothing.
"""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from accounts.roles import Role
from progress.tests.data import flush_figures
from projects.tests.conftest import make_project  # noqa: F401 - the shared fixture
from workload.tests.conftest import questionnaire  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db

CANARY = (
    '<p id="canary">[{{ user.username }}|{{ csrf_token }}|{{ request.session.session_key }}|'
    "{% for message in messages %}{{ message }}{% endfor %}]</p>"
)
EMPTY_CANARY = '<p id="canary">[|||]</p>'
FLASH = "All notifications are marked as read."


@pytest.fixture
def canary(settings, tmp_path):
    """The cached bodies' templates with the canary at the end, found before the real ones."""
    for name in (
        "reports/_budget.html",
        "reports/_workload.html",
        "workload/_national.html",
        "progress/_unit_list.html",
    ):
        original = (Path(django_settings.BASE_DIR) / "templates" / name).read_text()
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(original + CANARY)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]


def counting(monkeypatch, module, name):
    """Replace module.name by a wrapper that counts its calls."""
    real = getattr(module, name)
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def with_flash(client, user):
    """Signed in as ``user``, with a message waiting in their session state."""
    client.force_login(user)
    Notification.objects.create(
        recipient=user, kind="district_reopened", url="/", event_key=f"e-{user.pk}", created_at=timezone.now()
    )
    assert client.post(reverse("accounts:notifications_read_all")).status_code == 302
    return client


def open_twice(client, first, second, url):
    """The page for ``first`` (with a flash message), then for ``second``: both responses' text."""
    with_flash(client, first)
    page_first = client.get(url)
    client.force_login(second)
    page_second = client.get(url)
    assert page_first.status_code == page_second.status_code == 200
    return page_first.content.decode(), page_second.content.decode()


def assert_own_header(page, me, other, *, flashed):
    assert f'class="user-name">{me.username}<' in page
    assert other.username not in page
    assert EMPTY_CANARY in page
    assert (FLASH in page) is flashed


def test_budget_dashboard_shared_by_two_readers_of_everything(english, make_user, monkeypatch, canary):
    from reports import dashboards

    calls = counting(monkeypatch, dashboards, "budget")
    # The same rows (every figure), different menus: the fund's admin also reports progress.
    viewer = make_user("viewer_somchai", roles=[Role.REPORT_VIEWER], unit="ALRO-SWP")
    fund = make_user("fund_somsri", roles=[Role.ADMIN_FUND], unit="ALRO-SBT")
    first, second = open_twice(english, fund, viewer, reverse("reports:budget"))
    assert len(calls) == 1, "the second reader was not served from the cache"
    assert_own_header(first, fund, viewer, flashed=True)
    assert_own_header(second, viewer, fund, flashed=False)
    progress_menu = f'href="{reverse("progress:index")}"'
    assert progress_menu in first
    assert progress_menu not in second


def test_dla_reports_shared_by_two_readers_of_every_province(
    english,
    make_user,
    monkeypatch,
    canary,
    questionnaire,  # noqa: F811 - the fixture
):
    from reports import workload

    calls = counting(monkeypatch, workload, "report")
    # Every district office for both; only the DLA admin has the workload menu.
    viewer = make_user("viewer_somchai", roles=[Role.REPORT_VIEWER], unit="ALRO-SWP")
    dla = make_user("dla_somsri", roles=[Role.DLA_ADMIN], unit="DLA-PSD")
    first, second = open_twice(english, dla, viewer, reverse("reports:workload"))
    assert len(calls) == 1, "the second reader was not served from the cache"
    assert_own_header(first, dla, viewer, flashed=True)
    assert_own_header(second, viewer, dla, flashed=False)
    workload_menu = f'href="{reverse("workload:index")}"'
    assert workload_menu in first
    assert workload_menu not in second


def test_national_overview_shared_by_the_dla_centre(
    english,
    make_user,
    monkeypatch,
    canary,
    questionnaire,  # noqa: F811 - the fixture
):
    from workload import views

    calls = counting(monkeypatch, views, "national_overview")
    # Both prepare questionnaires; the super admin's menu has every section, the DLA admin's not projects.
    dla = make_user("dla_somsri", roles=[Role.DLA_ADMIN], unit="DLA-PSD")
    boss = make_user("super_somchai", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT")
    url = reverse("workload:national", args=[questionnaire.fiscal_year])
    first, second = open_twice(english, boss, dla, url)
    assert len(calls) == 1, "the second reader was not served from the cache"
    assert_own_header(first, boss, dla, flashed=True)
    assert_own_header(second, dla, boss, flashed=False)
    projects_menu = f'href="{reverse("projects:index")}"'
    assert projects_menu in first
    assert projects_menu not in second


def test_progress_list_shared_by_two_people_of_one_unit(
    english,
    make_user,
    monkeypatch,
    canary,
    make_project,  # noqa: F811 - the fixture
):
    from progress import selectors

    make_project(code="B-1", units=("ALRO-P50", "ALRO-P57"))
    flush_figures()
    calls = counting(monkeypatch, selectors, "assignments_for")
    # The same unit's rows, different names and session state.
    first_user = make_user("province_somchai", roles=[Role.PROVINCE_USER], unit="ALRO-P50")
    second_user = make_user("province_somsri", roles=[Role.PROVINCE_USER], unit="ALRO-P50")
    first, second = open_twice(english, first_user, second_user, reverse("progress:index"))
    assert len(calls) == 1, "the second person was not served from the cache"
    assert_own_header(first, first_user, second_user, flashed=True)
    assert_own_header(second, second_user, first_user, flashed=False)
    assert "B-1" in first and "B-1" in second
