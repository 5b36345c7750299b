"""Typing is never lost: a form sent after the session ended comes back, filled in, after the next sign-in.

Each test types into a form kept as a draft (`data-draft`), ends the session on the server, presses
Save, lands on the sign-in page, signs in again, and must find the same form with everything typed put
back and a notice, nothing saved yet; saving then works and the draft is gone.
"""

import datetime as dt
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import OrgUnit
from accounts.roles import Role
from progress.models import PerformanceResult
from projects.models import Activity, ActivityUnit, Indicator, MonthlyPlan, Project
from tracking.tests.browser.helpers import PASSWORD, messages, path_of, person, sign_in, th
from tracking.thaicalendar import current_fiscal_year, fiscal_month_of
from workload.models import Answer, Aspect, ExtraItem, Question, Questionnaire, Submission

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RESTORED = "What you typed earlier on this page has been put back. Check it and save."


def save_after_the_session_ended(page: Page, username: str, button: str = "Save"):
    """End the session on the server, press the form's button, sign in again: back on the form."""
    form_path = path_of(page)
    Session.objects.all().delete()
    page.get_by_role("main").get_by_role("button", name=th(button), exact=True).click()
    expect(page.locator("form[data-login-form]")).to_be_visible()
    assert unquote(path_of(page)) == f"/accounts/login/?next={form_path}"
    page.get_by_label(th("Username")).fill(username)
    page.get_by_label(th("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()
    expect(page.locator(".draft-restored")).to_contain_text(th(RESTORED))
    assert path_of(page) == form_path


def save(page: Page, expected_message: str):
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name=th("Save"), exact=True).click()
    assert expected_message in messages(page)


def no_draft_left(page: Page, path: str):
    """The draft went with the save: the form shows what is stored, with no notice."""
    page.goto(path)
    page.wait_for_load_state("load")
    expect(page.locator(".draft-restored")).to_have_count(0)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('tracking:draft:'))") == []


@pytest.fixture
def submission(make_user):
    """A district recorder and this year's open questionnaire of one aspect with one question."""
    person(make_user, "district_recorder", Role.DISTRICT_RECORDER, "DLA-D5001", first_name="อนุชา")
    today = timezone.localdate()
    questionnaire = Questionnaire.objects.create(
        fiscal_year=current_fiscal_year(),
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
    )
    aspect = Aspect.objects.create(questionnaire=questionnaire, number=1, title="งานบริหารทั่วไป")
    Question.objects.create(aspect=aspect, order=1, text="หนังสือเข้า-ออก", unit="เรื่อง")
    return Submission.objects.get_or_create(
        questionnaire=questionnaire, office=OrgUnit.objects.get(code="DLA-D5001")
    )[0]


def office_path(submission: Submission) -> str:
    return f"/workload/{submission.questionnaire.fiscal_year}/office/DLA-D5001/"


def test_aspect_answers_typed_before_the_session_ended_come_back(page, submission):
    sign_in(page, "district_recorder")
    path = office_path(submission) + "aspect/1/"
    page.goto(path)
    volume = page.get_by_label(f"1. {th('Volume per year')}", exact=True)
    days = page.get_by_label(f"1. {th('Days per unit')}", exact=True)
    hours = page.get_by_label(f"1. {th('Hours per unit')}", exact=True)
    volume.fill("๑๒")
    days.fill("0.5")
    hours.fill("๒")

    save_after_the_session_ended(page, "district_recorder")
    expect(volume).to_have_value("๑๒")
    expect(days).to_have_value("0.5")
    expect(hours).to_have_value("๒")
    assert not Answer.objects.exists()

    save(page, th("Aspect %(number)s saved.") % {"number": 1})
    answer = Answer.objects.get(submission=submission)
    assert (answer.volume, answer.days, answer.hours) == (12, Decimal("0.5"), 2)
    no_draft_left(page, path)


def test_contact_details_typed_before_the_session_ended_come_back(page, submission):
    sign_in(page, "district_recorder")
    path = office_path(submission) + "contact/"
    page.goto(path)
    page.get_by_label(th("Office address")).fill("ที่ว่าการอำเภอเมืองเชียงใหม่ ถนนโชตนา")
    page.get_by_label(th("Office phone")).fill("053-112233")
    page.get_by_label(th("Responsible person (name and surname)")).fill("อนุชา ดวงแก้ว")
    page.get_by_label(th("Mobile phone")).fill("0812345678")
    page.get_by_label(th("E-mail")).fill("sto5001@example.go.th")

    save_after_the_session_ended(page, "district_recorder")
    expect(page.get_by_label(th("Office address"))).to_have_value("ที่ว่าการอำเภอเมืองเชียงใหม่ ถนนโชตนา")
    expect(page.get_by_label(th("Office phone"))).to_have_value("053-112233")
    expect(page.get_by_label(th("Responsible person (name and surname)"))).to_have_value("อนุชา ดวงแก้ว")
    expect(page.get_by_label(th("Mobile phone"))).to_have_value("0812345678")
    expect(page.get_by_label(th("E-mail"))).to_have_value("sto5001@example.go.th")
    submission.refresh_from_db()
    assert submission.office_address == ""

    save(page, th("Contact details saved."))
    submission.refresh_from_db()
    assert (submission.office_address, submission.office_phone, submission.contact_mobile) == (
        "ที่ว่าการอำเภอเมืองเชียงใหม่ ถนนโชตนา", "053-112233", "0812345678",
    )  # fmt: skip
    no_draft_left(page, path)


def test_extra_item_typed_before_the_session_ended_comes_back_when_added_and_edited(page, submission):
    sign_in(page, "district_recorder")
    new_path = office_path(submission) + "extras/new/"
    page.goto(new_path)
    page.get_by_label(th("Work done")).fill("งานรับเรื่องร้องเรียน")
    page.get_by_label(th("Counting unit")).fill("เรื่อง")
    page.get_by_label(th("Volume per year")).fill("๑๒")
    page.get_by_label(th("Days per unit")).fill("1")
    page.get_by_label(th("Hours per unit")).fill("๓")

    save_after_the_session_ended(page, "district_recorder")
    expect(page.get_by_label(th("Work done"))).to_have_value("งานรับเรื่องร้องเรียน")
    expect(page.get_by_label(th("Volume per year"))).to_have_value("๑๒")
    expect(page.get_by_label(th("Hours per unit"))).to_have_value("๓")
    assert not ExtraItem.objects.exists()
    save(page, th("Item saved."))
    item = ExtraItem.objects.get(submission=submission)
    assert (item.description, item.volume, item.hours) == ("งานรับเรื่องร้องเรียน", 12, 3)

    # Editing it: the same again.
    edit_path = office_path(submission) + f"extras/{item.pk}/"
    page.goto(edit_path)
    page.get_by_label(th("Volume per year")).fill("๒๔")
    save_after_the_session_ended(page, "district_recorder")
    expect(page.get_by_label(th("Volume per year"))).to_have_value("๒๔")
    expect(page.get_by_label(th("Work done"))).to_have_value("งานรับเรื่องร้องเรียน")
    save(page, th("Item saved."))
    item.refresh_from_db()
    assert item.volume == 24
    no_draft_left(page, new_path)
    no_draft_left(page, edit_path)


@pytest.fixture
def assignment(make_user):
    person(make_user, "province_user", Role.PROVINCE_USER, "ALRO-P50", first_name="กมล")
    project = Project.objects.create(
        fiscal_year=current_fiscal_year(), funding_source="budget_act", code="DR-01",
        name="โครงการทดสอบร่าง", owner_unit=OrgUnit.objects.get(code="ALRO-SPP"), status="active",
    )  # fmt: skip
    activity = Activity.objects.create(project=project, order=1, name="จัดที่ดินทำกิน")
    au = ActivityUnit.objects.create(
        activity=activity, unit=OrgUnit.objects.get(code="ALRO-P50"), output_unit="ราย"
    )
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(activity_unit=au, month=m, quantity=Decimal(2), spending=Decimal(1000))
        for m in range(1, 13)
    )
    return au


def test_month_results_typed_before_the_session_ended_come_back(page, assignment):
    month = fiscal_month_of(timezone.localdate())
    sign_in(page, "province_user")
    path = f"/progress/assignments/{assignment.pk}/performance/{month.index}/"
    page.goto(path)
    page.get_by_label(th("Output achieved this month")).fill("๑๒")
    page.get_by_label(th("What was done")).fill("จัดที่ดินให้เกษตรกร ๑๒ ราย")
    page.get_by_label(th("Problems and obstacles")).fill("ฝนตกหนัก")

    save_after_the_session_ended(page, "province_user")
    expect(page.get_by_label(th("Output achieved this month"))).to_have_value("๑๒")
    expect(page.get_by_label(th("What was done"))).to_have_value("จัดที่ดินให้เกษตรกร ๑๒ ราย")
    expect(page.get_by_label(th("Problems and obstacles"))).to_have_value("ฝนตกหนัก")
    assert not PerformanceResult.objects.exists()

    save(page, th("Results saved."))
    result = PerformanceResult.objects.get(activity_unit=assignment, month=month.index)
    assert (result.quantity, result.narrative, result.obstacles) == (
        Decimal(12), "จัดที่ดินให้เกษตรกร ๑๒ ราย", "ฝนตกหนัก",
    )  # fmt: skip
    no_draft_left(page, path)


def test_a_draft_put_back_over_a_colleagues_newer_save_is_stopped(page, assignment, make_user):
    """The draft keeps the version it was typed on: saving it after a colleague saved is a conflict."""
    colleague = person(make_user, "province_colleague", Role.PROVINCE_USER, "ALRO-P50", first_name="สมศรี")
    month = fiscal_month_of(timezone.localdate())
    sign_in(page, "province_user")
    page.goto(f"/progress/assignments/{assignment.pk}/performance/{month.index}/")
    page.get_by_label(th("Output achieved this month")).fill("๑๒")
    page.get_by_label(th("What was done")).fill("ร่างที่พิมพ์ค้างไว้")

    # While this person signs in again, a colleague reports the month.
    PerformanceResult.objects.create(
        activity_unit=assignment, month=month.index, quantity=Decimal(7), narrative="ของเพื่อนร่วมงาน",
        updated_by=colleague,
    )  # fmt: skip
    save_after_the_session_ended(page, "province_user")
    expect(page.get_by_label(th("What was done"))).to_have_value("ร่างที่พิมพ์ค้างไว้")

    page.get_by_role("main").get_by_role("button", name=th("Save"), exact=True).click()
    expect(page.locator(".alert-error")).to_contain_text(
        th("%(who)s saved this month while you were typing.") % {"who": colleague}
    )
    result = PerformanceResult.objects.get()
    assert (result.quantity, result.narrative) == (Decimal(7), "ของเพื่อนร่วมงาน")


def test_rows_typed_on_a_list_that_changed_meanwhile_are_not_put_into_other_rows(page, assignment, make_user):
    """A formset's rows are matched by their hidden ids: when another row came in meanwhile, the
    typing is not spread over the new rows, and the page says so."""
    person(make_user, "admin_all", Role.ADMIN_ALL, "ALRO-KTP")
    activity = assignment.activity
    sign_in(page, "admin_all")
    path = f"/projects/{activity.project_id}/activities/{activity.pk}/indicators/"
    page.goto(path)
    page.get_by_label(f"{th('indicator')} 1", exact=True).fill("จำนวนแปลงที่จัดได้")

    Indicator.objects.create(activity=activity, name="ตัวชี้วัดของผู้อื่น", unit_of_measure="ราย", target=5)
    Session.objects.all().delete()
    page.get_by_role("main").get_by_role("button", name=th("Save"), exact=True).click()
    expect(page.locator("form[data-login-form]")).to_be_visible()
    page.get_by_label(th("Username")).fill("admin_all")
    page.get_by_label(th("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=th("Sign in")).click()
    expect(page.locator(".draft-restored")).to_contain_text(
        th(
            "What you typed earlier on this page could not be put back, as the form has changed since "
            "(rows were added or removed). Please enter it again."
        )
    )
    assert path_of(page) == path
    expect(page.get_by_label(f"{th('indicator')} 1", exact=True)).to_have_value("ตัวชี้วัดของผู้อื่น")
    expect(page.get_by_label(f"{th('indicator')} 2", exact=True)).to_have_value("")
