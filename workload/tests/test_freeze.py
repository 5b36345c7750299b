"""A questionnaire in use keeps its wording: the database refuses changes, corrections are new versions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from workload import selectors, services
from workload.models import Answer, Aspect, Question, Submission, SubmissionFigures
from workload.selectors import submission_progress
from workload.tests.conftest import complete

pytestmark = pytest.mark.django_db

FROZEN = "ด้านและคำถามจึงถูกกำหนดไว้คงที่"


def first_question(questionnaire, number=1):
    return Question.objects.get(aspect__questionnaire=questionnaire, aspect__number=number, order=1)


def not_open_yet(questionnaire):
    later = timezone.localdate() + dt.timedelta(days=5)
    questionnaire.opens_on, questionnaire.closes_on = later, later + dt.timedelta(days=30)
    questionnaire.save()


# --- the database ------------------------------------------------------------------------------


@pytest.mark.parametrize("change", [{"text": "ถ้อยคำใหม่"}, {"unit": "ราย"}, {"order": 9}])
def test_an_orm_update_of_a_question_of_an_open_year_is_refused(questionnaire, change):
    question = first_question(questionnaire)
    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(**change)
    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        Question.objects.filter(pk=question.pk).delete()
    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        Aspect.objects.filter(pk=question.aspect_id).update(title="ชื่อด้านใหม่")
    question.refresh_from_db()
    assert question.text == "งาน 1.1" and question.unit == "ครั้ง" and question.order == 1


def test_raw_sql_cannot_reword_a_question_or_an_aspect(questionnaire):
    question = first_question(questionnaire)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE workload_question SET text = 'แก้เอง' WHERE id = %s", [question.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workload_question SET aspect_id = (SELECT id FROM workload_aspect"
            " WHERE questionnaire_id = %s AND number = 8) WHERE id = %s",
            [questionnaire.pk, question.pk],
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM workload_aspect WHERE questionnaire_id = %s", [questionnaire.pk])
    assert Question.objects.get(pk=question.pk).text == "งาน 1.1"


def test_a_year_not_open_yet_may_change_until_a_district_answers(questionnaire, submission):
    not_open_yet(questionnaire)
    question = first_question(questionnaire)
    Question.objects.filter(pk=question.pk).update(text="ยังแก้ได้")
    assert not services.is_frozen(questionnaire)
    Answer.objects.create(submission=submission, question=question, volume=1, days=1, hours=0)
    assert services.is_frozen(questionnaire)  # moving the window back does not thaw it
    with pytest.raises(IntegrityError, match="frozen"), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(text="แก้อีกครั้ง")


def test_new_questions_may_still_be_added(questionnaire):
    aspect = questionnaire.aspects.get(number=1)
    Question.objects.create(aspect=aspect, order=3, text="งานที่เพิ่ม", unit="ครั้ง")
    assert aspect.questions.count() == 3


# --- corrections ---------------------------------------------------------------------------------


@pytest.fixture
def one_confirmed(questionnaire, people):
    """DLA-D5001 confirmed, DLA-D5002 complete and not confirmed."""
    confirmed = complete(
        Submission.objects.get(questionnaire=questionnaire, office__code="DLA-D5001"), people["recorder"]
    )
    services.submission_confirm(submission=confirmed, by=people["confirmer"])
    other = complete(
        Submission.objects.get(questionnaire=questionnaire, office__code="DLA-D5002"),
        people["recorder_same_province"],
    )
    return Submission.objects.get(pk=confirmed.pk), other


def test_a_correction_is_a_new_version_that_confirmed_districts_do_not_follow(
    questionnaire, people, one_confirmed
):
    confirmed, other = one_confirmed
    old = first_question(questionnaire)
    new = services.question_correct(question=old, by=people["dla_admin"], text="งาน 1.1 (แก้ไข)", unit="เรื่อง")
    old = Question.all_versions.get(pk=old.pk)
    assert old.retired_at is not None and old.text == "งาน 1.1"
    assert new.replaces == old and (new.order, new.aspect_id) == (old.order, old.aspect_id)
    assert (
        Answer.objects.get(submission=confirmed, question__order=1, question__aspect__number=1).question
        == old
    )
    assert Answer.objects.filter(submission=other, question=new).exists()
    assert not Answer.objects.filter(submission=other, question=old).exists()
    aspect = questionnaire.aspects.get(number=1)
    assert list(aspect.questions.values_list("text", flat=True)) == ["งาน 1.1 (แก้ไข)", "งาน 1.2"]
    # Both still complete, with the same figures.
    progress = submission_progress([confirmed, other])
    assert progress[confirmed.pk].all_complete and progress[other.pk].all_complete
    assert SubmissionFigures.objects.get(pk=confirmed.pk).answered_total == 16
    # The confirmed record still reads and checks as confirmed.
    assert services.record_check(confirmed).matches
    assert confirmed.snapshot["answers"][0]["question"] == "งาน 1.1"


@pytest.mark.parametrize("name", ["confirmer", "recorder", "super_admin"])
def test_only_the_dla_admin_corrects_questions(questionnaire, people, make_user, name):
    user = (
        make_user("boss", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT")
        if name == "super_admin"
        else people[name]
    )
    with pytest.raises(PermissionDenied):
        services.question_correct(question=first_question(questionnaire), by=user, text="x", unit="y")
    assert first_question(questionnaire).text == "งาน 1.1"


def test_a_district_reopened_after_a_correction_answers_the_new_version(
    client, questionnaire, people, one_confirmed
):
    confirmed, _other = one_confirmed
    old = first_question(questionnaire)
    new = services.question_correct(question=old, by=people["dla_admin"], text="งานฉบับแก้", unit="ครั้ง")
    services.submission_reopen(submission=confirmed, by=people["dla_admin"], reason="แก้ไขข้อมูลด้านที่ 1")
    aspect = questionnaire.aspects.get(number=1)
    # The page shows the answer given to the earlier version against the new one.
    client.force_login(people["recorder"])
    page = client.get(reverse("workload:aspect", args=[2570, "DLA-D5001", 1])).content.decode()
    assert f'name="q{new.pk}_volume" value="3"' in page
    rows = {q.pk: (5, 1, 0) for q in aspect.questions.all()}
    services.aspect_save(submission=confirmed, aspect=aspect, by=people["recorder"], rows=rows)
    assert set(
        Answer.objects.filter(submission=confirmed, question__aspect=aspect).values_list(
            "question_id", flat=True
        )
    ) == set(rows)
    assert new.pk in rows
    assert SubmissionFigures.objects.get(pk=confirmed.pk).answered_by_aspect[0] == 2


# --- the questionnaire's page and the admin ------------------------------------------------------


def aspect_form(client, questionnaire, **changes):
    """The aspect page's form data as shown, with ``changes`` (field name → value) applied."""
    page = client.get(reverse("workload:questionnaire_aspect", args=[questionnaire.fiscal_year, 1]))
    from tracking.tests.badinput import form_data

    data = {**form_data(page.context["form"]), **form_data(page.context["formset"])}
    data.update(changes)
    return data


def test_the_page_makes_a_correction_of_a_frozen_question(client, questionnaire, people, one_confirmed):
    confirmed, _other = one_confirmed
    client.force_login(people["dla_admin"])
    page = client.get(reverse("workload:questionnaire_aspect", args=[2570, 1])).content.decode()
    assert FROZEN in page and 'name="questions-0-DELETE"' not in page
    url = reverse("workload:questionnaire_aspect", args=[2570, 1])
    response = client.post(url, aspect_form(client, questionnaire, **{"questions-0-text": "งาน 1.1 ฉบับแก้"}))
    assert response.status_code == 302
    assert first_question(questionnaire).text == "งาน 1.1 ฉบับแก้"
    assert Question.all_versions.filter(text="งาน 1.1", retired_at__isnull=False).exists()
    assert services.record_check(confirmed).matches


@pytest.mark.parametrize("field, value", [("aspect-title", "ชื่อใหม่"), ("questions-0-order", "7")])
def test_the_page_keeps_titles_and_order_of_a_frozen_year(client, questionnaire, people, field, value):
    client.force_login(people["dla_admin"])
    url = reverse("workload:questionnaire_aspect", args=[2570, 1])
    response = client.post(url, aspect_form(client, questionnaire, **{field: value}))
    assert response.status_code == 302  # the field is fixed: what was typed into it is ignored
    aspect = questionnaire.aspects.get(number=1)
    assert aspect.title == "ด้านที่ 1" and list(aspect.questions.values_list("order", flat=True)) == [1, 2]


def test_a_frozen_aspect_deleted_by_a_tampered_form_is_refused_with_the_message(
    client, questionnaire, people
):
    client.force_login(people["dla_admin"])
    url = reverse("workload:questionnaire_aspect", args=[2570, 1])
    response = client.post(url, aspect_form(client, questionnaire, **{"questions-0-DELETE": "on"}))
    assert response.status_code == 200 and FROZEN in response.content.decode()
    assert questionnaire.aspects.get(number=1).questions.count() == 2


def test_a_page_opened_before_the_freeze_gets_the_message_not_an_error(client, questionnaire, people):
    not_open_yet(questionnaire)
    client.force_login(people["dla_admin"])
    data = aspect_form(client, questionnaire, **{"aspect-title": "ชื่อใหม่"})
    questionnaire.opens_on = timezone.localdate()
    questionnaire.save()
    response = client.post(reverse("workload:questionnaire_aspect", args=[2570, 1]), data)
    assert response.status_code == 302  # the title is fixed now: ignored, nothing else changed
    assert questionnaire.aspects.get(number=1).title == "ด้านที่ 1"


def test_the_service_turns_the_databases_refusal_into_the_message(questionnaire, people, monkeypatch):
    """The window opened between the service's check and its write (midnight): a message, no 500."""
    from django import forms

    from workload.forms import AspectTitleForm, QuestionFormSet

    aspect = questionnaire.aspects.get(number=1)
    monkeypatch.setattr(services, "is_frozen", lambda questionnaire, today=None: False)
    title_form = AspectTitleForm({"title": "ชื่อใหม่"}, instance=aspect)
    formset = QuestionFormSet(instance=aspect)
    assert title_form.is_valid()
    with pytest.raises(forms.ValidationError, match=FROZEN):
        services.aspect_questions_save(
            aspect=aspect, by=people["dla_admin"], title_form=title_form, formset=formset
        )
    assert Aspect.objects.get(pk=aspect.pk).title == "ด้านที่ 1"


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(
        make_user("root", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT", is_staff=True, is_superuser=True)
    )
    return client


def test_the_admin_shows_a_frozen_aspect_read_only_with_the_message(admin_client, questionnaire):
    aspect = questionnaire.aspects.get(number=1)
    url = reverse("admin:workload_aspect_change", args=[aspect.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert FROZEN in body and 'name="questions-0-text"' not in body
    question = first_question(questionnaire)
    response = admin_client.post(
        url,
        {
            "questionnaire": questionnaire.pk,
            "number": 1,
            "title": "ชื่อใหม่",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "1",
            "questions-0-id": question.pk,
            "questions-0-aspect": aspect.pk,
            "questions-0-order": "1",
            "questions-0-text": "แก้ผ่านแอดมิน",
            "questions-0-unit": "ครั้ง",
        },
        follow=True,
    )
    assert response.status_code == 200 and FROZEN in response.content.decode()
    assert first_question(questionnaire).text == "งาน 1.1"
    assert Aspect.objects.get(pk=aspect.pk).title == "ด้านที่ 1"


def test_the_admin_still_edits_a_year_not_open_yet(admin_client, questionnaire):
    not_open_yet(questionnaire)
    aspect = questionnaire.aspects.get(number=1)
    body = admin_client.get(reverse("admin:workload_aspect_change", args=[aspect.pk])).content.decode()
    assert 'name="questions-0-text"' in body and FROZEN not in body


def test_next_year_is_copied_from_the_current_versions(questionnaire, people):
    services.question_correct(
        question=first_question(questionnaire), by=people["dla_admin"], text="งาน 1.1 ฉบับแก้", unit="ครั้ง"
    )
    copy = services.questionnaire_copy(
        source=questionnaire,
        fiscal_year=2571,
        opens_on=questionnaire.closes_on,
        closes_on=questionnaire.closes_on,
        by=people["dla_admin"],
    )
    texts = list(
        Question.all_versions.filter(aspect__questionnaire=copy, aspect__number=1).values_list(
            "text", flat=True
        )
    )
    assert texts == ["งาน 1.1 ฉบับแก้", "งาน 1.2"]
    assert selectors.national_overview(people["dla_admin"], questionnaire)  # counts the current versions only
    assert Question.objects.filter(aspect__questionnaire=questionnaire).count() == 16
