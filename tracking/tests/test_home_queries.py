"""The home page runs a fixed number of queries for each demo persona, however many projects,
reports, districts, news items or access requests there are.

The demo personas (``seed_demo``'s users: every role, with their units, names and money sources)
and a small data set are made once for the module (inside a transaction rolled back at the end),
each persona's home page is counted, then a larger data set is generated on top of it (many more
assignments for every demo unit, reports in every state, disbursements, answers, news and access
requests) and each page is counted again. (Loading all of ``seed_demo`` would add a minute and a
half to the suite for no other query.)
"""

import datetime as dt
import itertools
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.management.commands.seed_demo import DEMO_USERS
from accounts.models import AccessRequest, OrgUnit, User
from accounts.roles import ROLE_FUNDING_SOURCES, Role
from news.models import News
from progress.models import Disbursement
from progress.tests.data import report_in_state
from projects.models import Activity, ActivityUnit, Project
from workload.models import Answer, Aspect, Question, Questionnaire, Submission

TODAY = dt.date(2026, 12, 3)  # FY 2570: October and November have ended
PERSONAS = [row[0] for row in DEMO_USERS]
pytestmark = pytest.mark.django_db

# Queries of each persona's home page: the session, the user, their roles and unit, the shell's,
# and then a fixed number per task card (accounts/access.py task_lists says which cards).
PINNED = {
    "super_admin": 10,  # + reports to review, access requests, news waiting: 2 each
    "admin_all": 6,  # + reports to review
    "admin_fund": 6,
    "finance_budget": 8,  # + the closed months, the due day, months without disbursements (count, items)
    "finance_fund": 8,
    "bureau_user": 12,  # + reports sent back, months to report (closed months, due day), reports to review
    "bureau_user_b": 12,
    "province_user": 10,  # + reports sent back, months to report (closed months, due day)
    "province_user_b": 10,
    "report_viewer": 4,  # session, user, roles, the latest news: no card
    "district_recorder": 8,  # + the questionnaire, the submission, its aspects, their questions
    "district_recorder_b": 8,
    "province_confirmer": 9,  # + the questionnaire, the province's offices, their questions, news waiting
    "province_confirmer_b": 9,
    "province_sso_admin": 6,  # + access requests
    "province_sso_admin_b": 6,
    "dla_admin": 5,  # + whether the year's questionnaire exists
}


def _measure(clients) -> dict:
    measured = {}
    for name, client in clients.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        assert response.status_code == 200, name
        body = response.content.decode()
        counts = re.findall(r'id="task-([a-z_]+)".*?<span class="task-count">([\d,]+)</span>', body, re.S)
        measured[name] = (len(queries), {key: int(n.replace(",", "")) for key, n in counts})
    return measured


def _grow(users):
    """Many more rows of every kind the cards count, for the demo personas' units and provinces."""
    units = {
        code: OrgUnit.objects.get(code=code) for code in ("ALRO-P50", "ALRO-P57", "ALRO-SPP", "ALRO-SJT")
    }
    submitter = users["province_user"]
    reviewer = users["admin_all"]
    now = timezone.now()
    states = itertools.cycle(["none", "submitted", "accepted", "sent_back", "none"])
    for n, source in itertools.product(range(12), ("budget_act", "land_reform_fund")):
        project = Project.objects.create(
            fiscal_year=2570,
            funding_source=source,
            code=f"GROW-{source[:1]}{n:02d}",
            name=f"โครงการทดสอบปริมาณ {n}",
            owner_unit=units["ALRO-SPP" if n % 2 else "ALRO-SJT"],
            status=Project.Status.ACTIVE,
        )
        for order in (1, 2, 3):
            activity = Activity.objects.create(project=project, order=order, name=f"กิจกรรม {order}")
            for unit in units.values():
                au = ActivityUnit.objects.create(activity=activity, unit=unit)
                if order == 1:  # before the reports: a handed-in month is locked
                    Disbursement.objects.create(activity_unit=au, month=1)
                for month in (1, 2):
                    state = next(states)
                    if state != "none":
                        report_in_state(
                            au,
                            month,
                            state,
                            by=submitter,
                            submitted_at=now,
                            decided_by=reviewer,
                            decided_at=now,
                        )
    # Answers for half the district offices of both demo provinces (no confirmation).
    questions = list(Question.objects.filter(aspect__questionnaire__fiscal_year=2570))
    submissions = Submission.objects.filter(
        questionnaire__fiscal_year=2570, office__province__code__in=["50", "57"], confirmed_at__isnull=True
    ).order_by("pk")
    for submission in submissions[::2]:
        Answer.objects.bulk_create(
            [Answer(submission=submission, question=q, volume=2, days=1, hours=1) for q in questions],
            ignore_conflicts=True,
        )
    for n, recorder in itertools.product(range(15), ("district_recorder", "district_recorder_b")):
        user = users[recorder]
        News.objects.create(
            title=f"ข่าวรออนุมัติ {n}", body="เนื้อหา", status="pending", author=user, unit=user.org_unit
        )
    for n, unit in itertools.product(range(15), ("DLA-D5001", "DLA-D5701")):
        AccessRequest.objects.create(
            username=f"applicant_{unit}_{n}",
            first_name="ผู้สมัคร",
            last_name=str(n),
            position="นักวิชาการ",
            phone="0810000000",
            org_unit=OrgUnit.objects.get(code=unit),
            role=Role.DISTRICT_RECORDER,
        )


def _personas() -> dict:
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    users = {}
    for username, role, unit_code, first, last, *_rest in DEMO_USERS:
        user = User.objects.create_user(
            username=username,
            password="Demo-pass-2569",
            first_name=first,
            last_name=last,
            org_unit=OrgUnit.objects.get(code=unit_code),
            funding_sources=[str(s) for s in ROLE_FUNDING_SOURCES.get(role, [])],
            is_superuser=role == Role.SUPER_ADMIN,
        )
        user.groups.set([groups[role]])
        users[username] = user
    return users


def _base(users):
    """A little of everything: one project assigned to the demo units, the year's questionnaire
    with every office of the two demo provinces opened, one news item and one access request."""
    project = Project.objects.create(
        fiscal_year=2570,
        funding_source="budget_act",
        code="BASE-01",
        name="โครงการฐาน",
        owner_unit=OrgUnit.objects.get(code="ALRO-SPP"),
    )
    activity = Activity.objects.create(project=project, order=1, name="กิจกรรม 1")
    for code in ("ALRO-P50", "ALRO-P57", "ALRO-SPP", "ALRO-SJT"):
        ActivityUnit.objects.create(activity=activity, unit=OrgUnit.objects.get(code=code))
    questionnaire = Questionnaire.objects.create(
        fiscal_year=2570, opens_on=dt.date(2026, 11, 1), closes_on=dt.date(2027, 1, 31)
    )
    for number in range(1, 9):
        aspect = Aspect.objects.create(questionnaire=questionnaire, number=number, title=f"ด้านที่ {number}")
        for order in (1, 2):
            Question.objects.create(aspect=aspect, order=order, text=f"งาน {number}.{order}", unit="ครั้ง")
    Submission.objects.bulk_create(
        Submission(questionnaire=questionnaire, office=office)
        for office in OrgUnit.objects.filter(agency="dla", kind="district", province__code__in=["50", "57"])
    )
    recorder = users["district_recorder"]
    News.objects.create(
        title="ข่าวแรก", body="เนื้อหา", status="pending", author=recorder, unit=recorder.org_unit
    )


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    plain = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with plain, pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock(), transaction.atomic():
        patch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
        users = _personas()
        _base(users)
        clients = {}
        for name in PERSONAS:
            clients[name] = Client()
            clients[name].force_login(users[name])
        small = _measure(clients)
        _grow(users)
        large = _measure(clients)
        yield small, large
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", PERSONAS)
def test_home_page_queries_do_not_grow_with_the_data(measured, name):
    small, large = measured
    assert (small[name][0], large[name][0]) == (PINNED[name], PINNED[name])


@pytest.mark.parametrize(
    ("name", "card"),
    [
        ("province_user", "months_to_report"),
        ("province_user", "reports_sent_back"),
        ("bureau_user", "reports_to_review"),
        ("admin_all", "reports_to_review"),
        ("admin_fund", "reports_to_review"),
        ("finance_budget", "months_without_disbursements"),
        ("finance_fund", "months_without_disbursements"),
        ("province_confirmer", "news_waiting"),
        ("province_confirmer_b", "news_waiting"),
        ("province_sso_admin", "access_requests"),
        ("super_admin", "access_requests"),
    ],
)
def test_the_larger_data_set_is_counted_on_the_cards(measured, name, card):
    small, large = measured
    assert large[name][1][card] > small[name][1].get(card, 0)


def test_every_demo_persona_of_one_agency_sees_no_card_of_the_other(measured):
    _small, large = measured
    alro = {"months_to_report", "reports_sent_back", "reports_to_review", "months_without_disbursements"}
    dla = {"aspects_to_complete", "districts_to_confirm", "districts_behind", "questionnaire_to_prepare"}
    for username, role, unit_code, *_rest in DEMO_USERS:
        shown = set(large[username][1])
        if unit_code.startswith("DLA-"):
            assert not shown & alro, username
        elif role != Role.SUPER_ADMIN:
            assert not shown & dla, username
