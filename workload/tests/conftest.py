import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import OrgUnit
from accounts.roles import Role
from tracking.tests.snapshots import analyze
from workload.models import Answer, Aspect, Question, Questionnaire, Submission

QUESTIONS_PER_ASPECT = 2


@pytest.fixture
def questionnaire(db):
    """FY 2570, open today, 8 aspects of 2 questions, a submission for every district office."""
    today = timezone.localdate()
    q = Questionnaire.objects.create(
        fiscal_year=2570, opens_on=today - dt.timedelta(days=10), closes_on=today + dt.timedelta(days=30)
    )
    for number in range(1, 9):
        aspect = Aspect.objects.create(questionnaire=q, number=number, title=f"ด้านที่ {number}")
        for order in range(1, QUESTIONS_PER_ASPECT + 1):
            Question.objects.create(aspect=aspect, order=order, text=f"งาน {number}.{order}", unit="ครั้ง")
    Submission.objects.bulk_create(
        Submission(questionnaire=q, office=office)
        for office in OrgUnit.objects.filter(agency="dla", kind="district")
    )
    analyze(connection, ["workload_submission", "workload_submissionfigures", "workload_question"])
    return q


@pytest.fixture
def people(make_user):
    return {
        "recorder": make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"),
        "recorder_same_province": make_user("recorder2", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5002"),
        "recorder_b": make_user("recorder_b", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5701"),
        "confirmer": make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"),
        "confirmer_b": make_user("confirmer_b", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P57"),
        "dla_admin": make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD"),
        "sso": make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50"),
        "province_user": make_user("province_user", roles=[Role.PROVINCE_USER], unit="ALRO-P50"),
    }


@pytest.fixture
def submission(questionnaire):
    return Submission.objects.get(questionnaire=questionnaire, office__code="DLA-D5001")


def aspect_post(questionnaire, number, volume="3", days="1", hours="2", **overrides):
    """POST data answering every question of an aspect."""
    data = {}
    for question in Question.objects.filter(aspect__questionnaire=questionnaire, aspect__number=number):
        data.update(
            {f"q{question.pk}_volume": volume, f"q{question.pk}_days": days, f"q{question.pk}_hours": hours}
        )
    data.update(overrides)
    return data


CONTACT = {
    "office_address": "ที่ว่าการอำเภอเมืองเชียงใหม่ ถนนโชตนา",
    "office_phone": "053-112233",
    "contact_name": "อนุชา ดวงแก้ว",
    "contact_mobile": "0812345678",
    "contact_email": "sto5001@example.go.th",
}


def complete(submission, by):
    """Fill contact, districts and every aspect through the services, as the recorder would."""
    from workload import services

    # Each office covers its own district only (a district is covered by one office a year).
    services.contact_save(
        submission=submission, by=by, fields=dict(CONTACT), districts=[submission.office.district]
    )
    for aspect in submission.questionnaire.aspects.all():
        rows = {q.pk: (3, 1, 2) for q in aspect.questions.all()}
        services.aspect_save(submission=submission, aspect=aspect, by=by, rows=rows)
    submission.refresh_from_db()
    return submission


PEER_VOLUMES = [10, 11, 12, 10, 11, 9, 10, 12, 11, 10]  # the median is 11 with the 120 below


def question_1_1(questionnaire):
    return Question.objects.get(aspect__questionnaire=questionnaire, aspect__number=1, order=1)


@pytest.fixture
def answered(questionnaire):
    """Question 1.1 answered by ten offices of Chiang Mai about 10 a year, and by เมืองเชียงใหม่ 120."""
    question = question_1_1(questionnaire)
    submissions = list(
        Submission.objects.filter(questionnaire=questionnaire, office__province__code="50")
        .exclude(office__code="DLA-D5001")
        .order_by("office__code")[: len(PEER_VOLUMES)]
    )
    Answer.objects.bulk_create(
        Answer(submission=s, question=question, volume=v, days=1, hours=0)
        for s, v in zip(submissions, PEER_VOLUMES, strict=True)
    )
    target = Submission.objects.get(questionnaire=questionnaire, office__code="DLA-D5001")
    return Answer.objects.create(submission=target, question=question, volume=120, days=1, hours=0)


def last_years_answer(office, volume):
    """The office's answer to question 1.1 in fiscal year 2569 (history for the outlier flags)."""
    today = dt.date(2025, 1, 1)
    before = Questionnaire.objects.create(fiscal_year=2569, opens_on=today, closes_on=today)
    aspect = Aspect.objects.create(questionnaire=before, number=1, title="ด้านที่ 1")
    question = Question.objects.create(aspect=aspect, order=1, text="งาน 1.1", unit="ครั้ง")
    last = Submission.objects.create(questionnaire=before, office=office)
    return Answer.objects.create(submission=last, question=question, volume=volume, days=1, hours=0)
