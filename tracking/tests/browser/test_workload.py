"""DLA in the browser: a district records its workload, the province confirms it, the data locks."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import District
from accounts.roles import Role
from tracking.tests.browser.helpers import menu, messages, path_of, person, sign_in, sign_out, th
from tracking.thaicalendar import current_fiscal_year
from workload.models import Answer, Aspect, Question, Questionnaire, Submission

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ASPECTS = ["งานบริหารทั่วไป", "งานส่งเสริมท้องถิ่น", "งานการเงินการคลัง", "งานกฎหมาย",
           "งานตรวจสอบ", "งานพัฒนาบุคลากร", "งานข้อมูลสารสนเทศ", "งานประสานราชการ"]  # fmt: skip


@pytest.fixture
def questionnaire():
    """This fiscal year's questionnaire, open today: eight aspects of one question each."""
    today = timezone.localdate()
    q = Questionnaire.objects.create(
        fiscal_year=current_fiscal_year(),
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
    )
    for number, title in enumerate(ASPECTS, start=1):
        aspect = Aspect.objects.create(questionnaire=q, number=number, title=title)
        Question.objects.create(aspect=aspect, order=1, text=f"{title}: เรื่องที่ดำเนินการ", unit="เรื่อง")
    return q


@pytest.fixture
def dla_people(make_user):
    return {
        "recorder": person(
            make_user, "district_recorder", Role.DISTRICT_RECORDER, "DLA-D5001", first_name="อนุชา"
        ),
        "confirmer": person(
            make_user, "province_confirmer", Role.PROVINCE_CONFIRMER, "DLA-P50", first_name="วิไลวรรณ"
        ),
    }  # fmt: skip


def record_aspect(page, title, volume, days, hours):
    page.get_by_role("navigation", name=th("District office data")).get_by_role("link").filter(
        has_text=title
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    page.get_by_label(f"1. {th('Volume per year')}", exact=True).fill(str(volume))
    page.get_by_label(f"1. {th('Days per unit')}", exact=True).fill(str(days))
    page.get_by_label(f"1. {th('Hours per unit')}", exact=True).fill(str(hours))
    page.get_by_role("button", name=th("Save")).click()
    expect(page.locator(".messages")).to_be_visible()


def test_district_records_province_confirms_and_the_data_locks(page, questionnaire, dla_people):
    fy = questionnaire.fiscal_year
    own_district = District.objects.get(code="5001")

    # --- the district office records its contact details and the eight aspects ----------------------
    sign_in(page, "district_recorder")
    menu(page, "Workload recording")
    assert path_of(page) == f"/workload/{fy}/office/DLA-D5001/"
    submission = Submission.objects.get(questionnaire=questionnaire, office__code="DLA-D5001")
    expect(page.locator(".not-confirmed")).to_have_text(th("Not confirmed yet"))

    page.get_by_role("link", name=th("Contact details"), exact=True).click()
    page.get_by_label(th("Office address")).fill("ที่ว่าการอำเภอเมืองเชียงใหม่ ถนนโชตนา")
    page.get_by_label(th("Office phone")).fill("053-112233")
    page.get_by_label(th("Responsible person (name and surname)")).fill("อนุชา ดวงแก้ว")
    page.get_by_label(th("Mobile phone")).fill("0812345678")
    page.get_by_label(th("E-mail")).fill("sto5001@example.go.th")
    expect(page.get_by_role("checkbox", name=own_district.name_th)).to_be_checked()
    page.get_by_role("button", name=th("Save")).click()
    assert th("Contact details saved.") in messages(page)

    for number, title in enumerate(ASPECTS, start=1):
        record_aspect(page, title, volume=10 * number, days="0.5", hours=2)
        assert th("Aspect %(number)s saved.") % {"number": number} in messages(page)
    assert Answer.objects.filter(submission=submission).count() == 8
    answer = Answer.objects.get(submission=submission, question__aspect__number=3)
    assert (answer.volume, answer.days, answer.hours) == (30, 0.5, 2)
    page.get_by_role("link", name=th("Recording status")).click()
    sign_out(page)

    # --- the province reviews its districts and confirms this one -----------------------------------------
    sign_in(page, "province_confirmer")
    menu(page, "Workload recording")
    assert path_of(page) == f"/workload/{fy}/province/50/"
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=submission.office.short_name))
    row.get_by_role("button", name=th("Confirm")).click()  # the "confirmation is final" question: yes
    expect(row.locator(".confirmed-badge")).to_be_visible()
    assert any(submission.office.name_th in text for text in messages(page))
    submission.refresh_from_db()
    assert submission.confirmed_at is not None
    assert submission.confirmed_by == dla_people["confirmer"]
    sign_out(page)

    # --- the recorder now sees the forms read-only, and the server refuses a change ---------------------
    sign_in(page, "district_recorder")
    page.goto(f"/workload/{fy}/office/DLA-D5001/aspect/3/")
    expect(page.locator(".readonly-reason")).to_contain_text(th("Read only."))
    volume = page.get_by_label(f"1. {th('Volume per year')}", exact=True)
    expect(volume).to_be_disabled()
    expect(volume).to_have_value("30")
    expect(page.get_by_role("button", name=th("Save"))).to_have_count(0)

    question = Question.objects.get(aspect__questionnaire=questionnaire, aspect__number=3)
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        page.url,
        form={"csrfmiddlewaretoken": token, f"q{question.pk}_volume": "999", f"q{question.pk}_days": "1",
              f"q{question.pk}_hours": "1"},
    )  # fmt: skip
    assert response.status == 403
    answer.refresh_from_db()
    assert answer.volume == 30

    page.get_by_role("link", name=th("Contact details"), exact=True).click()
    expect(page.get_by_label(th("Office phone"))).to_be_disabled()
    response = page.request.post(
        page.url, form={"csrfmiddlewaretoken": token, "office_phone": "02-0000000", "office_address": "x"}
    )
    assert response.status == 403
    submission.refresh_from_db()
    assert submission.office_phone == "053-112233"
