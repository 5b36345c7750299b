"""The home page: each person's tasks (งานของฉัน) in their role's words, with real counts, and the
greeting by name."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessRequest, OrgUnit
from accounts.roles import Role
from news.models import News
from progress.models import Disbursement, MonthClosure, MonthReport, ReportingCalendar
from progress.tasks import reporting_months
from progress.tests.data import report_in_state
from projects.models import ActivityUnit, Project
from projects.tests import conftest as projects_conftest
from tracking.thaicalendar import report_due_date
from workload import services as workload_services
from workload import tasks as workload_tasks
from workload.models import Answer, Aspect, Question, Questionnaire, Submission
from workload.tests.conftest import CONTACT

pytestmark = pytest.mark.django_db
make_draft_project = projects_conftest.make_project  # the projects' fixture


@pytest.fixture
def make_project(make_draft_project):
    """Projects under way: only they report month by month (ActivityUnit.objects.expected_to_report)."""

    def make(*args, **kwargs):
        project = make_draft_project(*args, **kwargs)
        Project.objects.filter(pk=project.pk).update(status=Project.Status.ACTIVE)
        return project

    return make


# 3 December 2569 (FY 2570): October's reports were due on 5 Nov (late), November's fall due on 5 Dec.
TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def cards(response) -> dict[str, int]:
    """The task cards on the page: key → the count shown."""
    body = response.content.decode()
    found = re.findall(r'id="task-([a-z_]+)".*?<span class="task-count">([\d,]+)</span>', body, re.S)
    return {key: int(count.replace(",", "")) for key, count in found}


def card_html(response, key) -> str:
    body = response.content.decode()
    start = body.index(f'id="task-{key}"')
    return body[start : body.index("</section>", start)]


@pytest.fixture
def home(client):
    def get(user):
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 200
        return response

    return get


def complete(submission, by):
    """Contact details, the office's own district and every aspect, through the services."""
    workload_services.contact_save(
        submission=submission, by=by, fields=dict(CONTACT), districts=[submission.office.district]
    )
    for aspect in submission.questionnaire.aspects.all():
        rows = {q.pk: (3, 1, 2) for q in aspect.questions.all()}
        workload_services.aspect_save(submission=submission, aspect=aspect, by=by, rows=rows)


def report(au, month, status, by, reason=""):
    return report_in_state(au, month, status, by=by, reason=reason)


# --- greeting -----------------------------------------------------------------------------------


def test_greeting_uses_the_persons_name_not_the_login(home, make_user):
    user = make_user(
        "pu_cm", roles=[Role.PROVINCE_USER], unit="ALRO-P50", first_name="กมล", last_name="เชียงคำ"
    )
    body = home(user).content.decode()
    assert "สวัสดี คุณกมล เชียงคำ" in body
    assert "สวัสดี คุณpu_cm" not in body


def test_greeting_falls_back_to_the_login_without_a_name(home, make_user):
    assert "สวัสดี คุณnoname" in home(make_user("noname")).content.decode()


def test_anonymous_visitor_sees_the_introduction_and_no_tasks(client):
    body = client.get(reverse("home")).content.decode()
    assert "งานของฉัน" not in body
    assert "ระบบติดตามผลการดำเนินงานและปริมาณงาน" in body


def test_a_person_without_work_is_told_nothing_waits(home, make_user):
    body = home(make_user("viewer", roles=[Role.REPORT_VIEWER], unit="ALRO-SWP")).content.decode()
    assert "งานของฉัน" in body
    assert "ยังไม่มีงานที่รอคุณ" in body


# --- an ALRO unit: months to report and reports sent back ----------------------------------------


@pytest.fixture
def unit_user(make_user):
    return make_user("pu", roles=[Role.PROVINCE_USER], unit="ALRO-P50", first_name="กมล", last_name="เชียงคำ")


@pytest.fixture
def admin(make_user):
    return make_user("admin_all", roles=[Role.ADMIN_ALL], unit="ALRO-KTP")


def test_unit_user_sees_each_ended_month_without_a_report(home, unit_user, admin, make_project):
    make_project(code="B-1", units=("ALRO-P50", "ALRO-P57"), activities=2)
    mine = list(ActivityUnit.objects.filter(unit__code="ALRO-P50").order_by("activity__order"))
    # October and November have ended: 2 assignments × 2 months, one handed in, one accepted.
    report(mine[0], 1, MonthReport.Status.SUBMITTED, unit_user)
    report(mine[1], 1, MonthReport.Status.ACCEPTED, admin)
    response = home(unit_user)
    assert cards(response) == {"months_to_report": 2}
    html = card_html(response, "months_to_report")
    assert "พ.ย. 69" in html and "ต.ค. 69" not in html
    assert "5 ธ.ค. 2569" in html  # November's report falls due on the 5th of December
    assert "เกินกำหนด" not in html
    assert reverse("progress:report", args=[mine[0].pk, 2]) in html


def test_a_month_past_its_due_day_is_marked_overdue(home, unit_user, make_project):
    make_project(code="B-1", units=("ALRO-P50",))
    ReportingCalendar.objects.create(fiscal_year=2570, due_day=2)
    html = card_html(home(unit_user), "months_to_report")
    assert "2 พ.ย. 2569" in html and "เกินกำหนด" in html
    assert "(และอีก 1 เดือน)" in html


def test_a_closed_month_is_nobodys_task_any_more(home, unit_user, admin, make_project):
    make_project(code="B-1", units=("ALRO-P50",))
    MonthClosure.objects.create(fiscal_year=2570, month=1, closed_by=admin)
    html = card_html(home(unit_user), "months_to_report")
    assert "พ.ย. 69" in html and "ต.ค. 69" not in html  # October closed: it can no longer be handed in


def test_months_of_another_unit_and_future_months_are_not_counted(home, unit_user, make_project):
    make_project(code="B-1", units=("ALRO-P57",))
    make_project(code="B-2", units=("ALRO-P50",), fy=2571)
    assert "months_to_report" not in cards(home(unit_user))


def test_a_report_sent_back_shows_what_to_fix_and_is_not_counted_twice(home, unit_user, admin, make_project):
    make_project(code="B-1", units=("ALRO-P50",))
    au = ActivityUnit.objects.get(unit__code="ALRO-P50")
    report(au, 1, MonthReport.Status.SENT_BACK, admin, reason="ผลการดำเนินงานไม่ตรงกับภาพถ่าย")
    response = home(unit_user)
    assert cards(response) == {"reports_sent_back": 1, "months_to_report": 1}
    html = card_html(response, "reports_sent_back")
    assert "ต้องแก้ไข: ผลการดำเนินงานไม่ตรงกับภาพถ่าย" in html
    assert reverse("progress:report", args=[au.pk, 1]) in html


def test_unit_user_sees_no_dla_cards(home, unit_user, make_project, questionnaire_2570):
    make_project(code="B-1", units=("ALRO-P50",))
    assert set(cards(home(unit_user))) == {"months_to_report"}


# --- reviewers, finance -----------------------------------------------------------------------------


def test_admin_sees_handed_in_reports_of_the_money_sources_they_manage(
    home, unit_user, make_user, make_project
):
    make_project(code="B-1", source="budget_act", units=("ALRO-P50",))
    make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50", "ALRO-P57"))
    for au in ActivityUnit.objects.all():
        report(au, 1, MonthReport.Status.SUBMITTED, unit_user)
    admin_fund = make_user("admin_fund", roles=[Role.ADMIN_FUND], unit="ALRO-SBT")
    admin_all = make_user("admin_all", roles=[Role.ADMIN_ALL], unit="ALRO-KTP")
    assert cards(home(admin_all)) == {"reports_to_review": 3}
    response = home(admin_fund)
    assert cards(response) == {"reports_to_review": 2}
    assert "B-1" not in card_html(response, "reports_to_review")


def test_accepted_and_sent_back_reports_do_not_wait_for_review(home, unit_user, admin, make_project):
    make_project(code="B-1", units=("ALRO-P50", "ALRO-P57"))
    first, second = ActivityUnit.objects.order_by("pk")
    report(first, 1, MonthReport.Status.ACCEPTED, admin)
    report(second, 1, MonthReport.Status.SENT_BACK, admin, reason="แก้ไข")
    assert "reports_to_review" not in cards(home(admin))


def test_finance_user_sees_months_without_disbursements_of_their_money_source(home, make_user, make_project):
    make_project(code="B-1", source="budget_act", units=("ALRO-P50", "ALRO-P57"))
    make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    au = ActivityUnit.objects.get(activity__project__code="B-1", unit__code="ALRO-P50")
    Disbursement.objects.create(activity_unit=au, month=1)  # nothing spent yet, but recorded
    finance = make_user(
        "finance_budget", roles=[Role.FINANCE_BUDGET], unit="ALRO-SBK", funding_sources=["budget_act"]
    )
    response = home(finance)
    # Two assignments × two ended months, one recorded.
    assert cards(response) == {"months_without_disbursements": 3}
    assert reverse("progress:disbursement", args=[au.pk, 2]) in card_html(
        response, "months_without_disbursements"
    )


# --- DLA ------------------------------------------------------------------------------------------


@pytest.fixture
def questionnaire_2570(db):
    """FY 2570, open from 1 Nov 2569 to 31 Jan 2570, 8 aspects of 2 questions, every office opened."""
    q = Questionnaire.objects.create(
        fiscal_year=2570, opens_on=dt.date(2026, 11, 1), closes_on=dt.date(2027, 1, 31)
    )
    for number in range(1, 9):
        aspect = Aspect.objects.create(questionnaire=q, number=number, title=f"ด้านที่ {number}")
        for order in (1, 2):
            Question.objects.create(aspect=aspect, order=order, text=f"งาน {number}.{order}", unit="ครั้ง")
    Submission.objects.bulk_create(
        Submission(questionnaire=q, office=office)
        for office in OrgUnit.objects.filter(agency="dla", kind="district")
    )
    return q


@pytest.fixture
def recorder(make_user):
    return make_user(
        "recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001", first_name="อนุชา", last_name="ดวงแก้ว"
    )


@pytest.fixture
def confirmer(make_user):
    return make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50")


def test_recorder_sees_the_aspects_not_complete_and_the_closing_date(home, recorder, questionnaire_2570):
    submission = Submission.objects.get(questionnaire=questionnaire_2570, office__code="DLA-D5001")
    aspects = list(questionnaire_2570.aspects.order_by("number"))
    for aspect in aspects[:3]:
        workload_services.aspect_save(
            submission=submission,
            aspect=aspect,
            by=recorder,
            rows={q.pk: (3, 1, 2) for q in aspect.questions.all()},
        )
    # Half of aspect 4 (the manual's ◐).
    Answer.objects.create(
        submission=submission, question=aspects[3].questions.first(), volume=1, days=1, hours=1
    )
    response = home(recorder)
    assert cards(response) == {"aspects_to_complete": 5}
    html = card_html(response, "aspects_to_complete")
    assert "ปิดรับข้อมูลวันที่ 31 ม.ค. 2570" in html
    assert "ด้านที่ 4: ด้านที่ 4" in html and "ตอบแล้ว 1 จาก 2 ข้อ" in html
    assert "ด้านที่ 1: ด้านที่ 1" not in html
    assert reverse("workload:aspect", args=[2570, "DLA-D5001", 5]) in html


def test_a_complete_or_confirmed_office_has_no_aspects_to_complete(home, recorder, questionnaire_2570):
    submission = Submission.objects.get(questionnaire=questionnaire_2570, office__code="DLA-D5001")
    complete(submission, recorder)
    assert cards(home(recorder)) == {}


def test_recorder_sees_no_alro_cards(home, recorder, questionnaire_2570, make_project):
    make_project(code="B-1", units=("ALRO-P50",))
    assert set(cards(home(recorder))) == {"aspects_to_complete"}


def test_confirmer_sees_offices_waiting_and_offices_behind(
    home, make_user, confirmer, questionnaire_2570, monkeypatch
):
    monkeypatch.setattr(workload_tasks, "SHOWN", 100)  # every office on the card
    recorders = {
        code: make_user(f"rec{code}", roles=[Role.DISTRICT_RECORDER], unit=f"DLA-D{code}")
        for code in ("5001", "5002", "5003")
    }
    for code in ("5001", "5002"):
        complete(
            Submission.objects.get(questionnaire=questionnaire_2570, office__code=f"DLA-D{code}"),
            recorders[code],
        )
    third = Submission.objects.get(questionnaire=questionnaire_2570, office__code="DLA-D5003")
    for aspect in questionnaire_2570.aspects.all():
        rows = {q.pk: (3, 1, 2) for q in aspect.questions.all()}
        workload_services.aspect_save(submission=third, aspect=aspect, by=recorders["5003"], rows=rows)
    workload_services.submission_confirm(
        submission=Submission.objects.get(questionnaire=questionnaire_2570, office__code="DLA-D5002"),
        by=confirmer,
    )
    # A complete office of another province does not wait for this confirmer.
    other = make_user("rec5701", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5701")
    complete(Submission.objects.get(questionnaire=questionnaire_2570, office__code="DLA-D5701"), other)
    in_province = Submission.objects.filter(
        questionnaire=questionnaire_2570, office__province__code="50"
    ).count()
    response = home(confirmer)
    assert cards(response) == {"districts_to_confirm": 1, "districts_behind": in_province - 2}
    waiting = card_html(response, "districts_to_confirm")
    assert reverse("workload:status", args=[2570, "DLA-D5001"]) in waiting
    assert reverse("workload:province", args=[2570, "50"]) in waiting
    behind = card_html(response, "districts_behind")
    assert "บันทึกครบแล้ว 0 จาก 8 ด้าน" in behind
    assert "ยังบันทึกข้อมูลไม่ครบทุกด้าน" not in behind  # the count of aspects says it already
    # Every aspect complete, but the contact details are not: the card says what is missing.
    office = re.search(r'DLA-D5003/">(.*?)</a>.*?<span class="task-reason">(.*?)</span>', behind, re.S)
    assert office and "ยังไม่กรอกที่อยู่สำนักงาน" in office.group(2)


def test_confirmer_sees_news_waiting_for_approval(home, confirmer, make_user, questionnaire_2570):
    recorder = make_user("rec", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001")
    for n, status in enumerate(["pending", "pending", "draft", "published"]):
        News.objects.create(
            title=f"ข่าว {n}",
            body="เนื้อหา",
            status=status,
            author=recorder,
            unit=recorder.org_unit,
            publish_date=TODAY if status == "published" else None,
        )
    other = make_user("rec_b", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5701")
    News.objects.create(title="ข่าวเชียงราย", body="เนื้อหา", status="pending", author=other, unit=other.org_unit)
    response = home(confirmer)
    assert cards(response)["news_waiting"] == 2
    assert "ข่าวเชียงราย" not in card_html(response, "news_waiting")


def test_province_sso_admin_sees_access_requests_of_their_province(home, make_user):
    sso = make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50")
    for n, unit in enumerate(["DLA-D5001", "DLA-D5002", "DLA-D5701"]):
        AccessRequest.objects.create(
            username=f"applicant{n}",
            first_name="ผู้สมัคร",
            last_name=str(n),
            position="นักวิชาการ",
            phone="0810000000",
            org_unit=OrgUnit.objects.get(code=unit),
            role=Role.DISTRICT_RECORDER,
        )
    assert cards(home(sso)) == {"access_requests": 2}


def test_dla_admin_is_told_when_the_years_questionnaire_is_missing(home, make_user):
    dla_admin = make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD")
    response = home(dla_admin)
    assert cards(response) == {"questionnaire_to_prepare": 1}
    assert "ยังไม่ได้จัดทำแบบสอบถามปีงบประมาณ 2570" in response.content.decode()


def test_dla_admin_has_nothing_to_prepare_once_the_questionnaire_exists(home, make_user, questionnaire_2570):
    assert cards(home(make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD"))) == {}


# --- the calendar of the cards ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "fy", "months"),
    [
        (dt.date(2026, 10, 1), 2569, 12),  # October: last year's September falls due now
        (dt.date(2026, 10, 31), 2569, 12),
        (dt.date(2026, 11, 1), 2570, 1),
        (dt.date(2026, 12, 3), 2570, 2),
        (dt.date(2027, 9, 30), 2570, 11),
    ],
)
def test_the_months_to_report_are_the_ended_months_of_the_reporting_year(day, fy, months):
    year, ended = reporting_months(day)
    assert (year, len(ended)) == (fy, months)


def test_a_months_report_falls_due_on_the_due_day_of_the_next_month():
    _fy, ended = reporting_months(dt.date(2027, 1, 10))
    assert [report_due_date(month.fiscal_year, month.index, 5) for month in ended] == [
        dt.date(2026, 11, 5),
        dt.date(2026, 12, 5),
        dt.date(2027, 1, 5),
    ]
    _fy, september = reporting_months(dt.date(2026, 10, 2))
    assert report_due_date(september[-1].fiscal_year, 12, 28) == dt.date(2026, 10, 28)
