import datetime as dt

import pytest
from django.urls import reverse

from workload.models import Question, Questionnaire, Submission

pytestmark = pytest.mark.django_db


def test_dla_admin_copies_last_year_into_a_new_fiscal_year(client, people, questionnaire):
    client.force_login(people["dla_admin"])
    response = client.post(
        reverse("workload:questionnaires"),
        {"fiscal_year": "2571", "opens_on": "1/11/2570", "closes_on": "31/1/2571"},
    )
    assert response.status_code == 302
    new = Questionnaire.objects.get(fiscal_year=2571)
    assert (new.opens_on, new.closes_on) == (dt.date(2027, 11, 1), dt.date(2028, 1, 31))
    assert Question.objects.filter(aspect__questionnaire=new).count() == 16
    assert Submission.objects.filter(questionnaire=new).count() == 878


def test_a_year_cannot_be_created_twice_and_bad_dates_are_refused(client, people, questionnaire):
    client.force_login(people["dla_admin"])
    response = client.post(
        reverse("workload:questionnaires"),
        {"fiscal_year": "2570", "opens_on": "31/1/2571", "closes_on": "1/11/2570"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "มีแบบบันทึกของปีงบประมาณนี้แล้ว" in body
    assert "วันปิดต้องไม่ก่อนวันเปิด" in body
    assert Questionnaire.objects.count() == 1


def test_window_and_hours_are_edited_in_buddhist_era(client, people, questionnaire):
    client.force_login(people["dla_admin"])
    assert "/25" in client.get(reverse("workload:questionnaire", args=[2570])).content.decode()
    response = client.post(
        reverse("workload:questionnaire", args=[2570]),
        {"opens_on": "1/11/2569", "closes_on": "28/2/2570", "hours_per_day": "7", "yearly_hours": "1610"},
    )
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.closes_on == dt.date(2027, 2, 28)
    assert questionnaire.hours_per_day == 7


def test_questions_of_a_year_not_open_yet_are_edited_added_and_deleted(client, people, questionnaire):
    questionnaire.opens_on = questionnaire.closes_on  # not open yet: questions may change freely
    questionnaire.save()
    aspect = questionnaire.aspects.get(number=1)
    first, second = aspect.questions.order_by("order")
    client.force_login(people["dla_admin"])
    data = {
        "aspect-title": "ด้านที่ 1 ปรับชื่อ",
        "questions-TOTAL_FORMS": "3",
        "questions-INITIAL_FORMS": "2",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-id": first.pk, "questions-0-order": "1", "questions-0-text": first.text,
        "questions-0-unit": "ครั้ง", "questions-0-DELETE": "on",
        "questions-1-id": second.pk, "questions-1-order": "2", "questions-1-text": "งานใหม่",
        "questions-1-unit": "เรื่อง",
        "questions-2-order": "3", "questions-2-text": "งานที่เพิ่ม", "questions-2-unit": "แห่ง",
    }  # fmt: skip
    assert client.post(reverse("workload:questionnaire_aspect", args=[2570, 1]), data).status_code == 302
    aspect.refresh_from_db()
    assert aspect.title == "ด้านที่ 1 ปรับชื่อ"
    assert list(aspect.questions.values_list("text", flat=True)) == ["งานใหม่", "งานที่เพิ่ม"]
    assert not Question.all_versions.filter(pk=first.pk).exists()


@pytest.mark.parametrize("name", ["recorder", "confirmer"])
def test_only_the_dla_maintains_questionnaires(client, people, questionnaire, name):
    client.force_login(people[name])
    assert client.get(reverse("workload:questionnaires")).status_code == 403
    assert client.get(reverse("workload:questionnaire", args=[2570])).status_code == 403
    assert (
        client.post(
            reverse("workload:questionnaire", args=[2570]),
            {"opens_on": "1/11/2569", "closes_on": "28/2/2570", "hours_per_day": "7", "yearly_hours": "1"},
        ).status_code
        == 403
    )
    questionnaire.refresh_from_db()
    assert questionnaire.yearly_hours != 1
