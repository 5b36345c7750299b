"""Each submission's figures kept by PostgreSQL equal what its raw rows say, however they were written."""

from decimal import Decimal

import pgtrigger
import pytest
from django.db import connection

from workload import services
from workload.models import Answer, CoveredDistrict, ExtraItem, Question, Submission, SubmissionFigures
from workload.tests.conftest import complete

pytestmark = pytest.mark.django_db


def recomputed(submission):
    """Answers per aspect, hours per aspect and of extra items, in Python from the raw rows."""
    per_day = submission.questionnaire.hours_per_day
    answered, hours = [0] * 8, [Decimal(0)] * 8
    for answer in Answer.objects.filter(submission=submission).select_related("question__aspect"):
        n = answer.question.aspect.number - 1
        answered[n] += 1
        hours[n] += answer.volume * (answer.days * per_day + answer.hours)
    extra = sum(
        (e.volume * (e.days * per_day + e.hours) for e in ExtraItem.objects.filter(submission=submission)),
        Decimal(0),
    )
    return {
        "answered_by_aspect": answered,
        "hours_by_aspect": hours,
        "extra_hours": extra,
        "total_hours": sum(hours, Decimal(0)) + extra,
        "answered_total": sum(answered),
        "covered_count": CoveredDistrict.objects.filter(submission=submission).count(),
        "is_confirmed": submission.confirmed_at is not None,
    }


def assert_right(submission):
    submission.refresh_from_db()
    figures = SubmissionFigures.objects.get(pk=submission.pk)
    for name, value in recomputed(submission).items():
        assert getattr(figures, name) == value, name


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


WRITES = {
    "answers bulk update": lambda s: Answer.objects.filter(submission=s, question__aspect__number=2).update(
        volume=7, days=Decimal("0.25")
    ),
    "answers deleted by SQL": lambda s: _sql(
        "DELETE FROM workload_answer WHERE submission_id = %s AND question_id IN (SELECT q.id FROM "
        "workload_question q JOIN workload_aspect a ON a.id = q.aspect_id WHERE a.number = 3)",
        s.pk,
    ),
    "extra item added": lambda s: ExtraItem.objects.create(
        submission=s, description="งานเฉพาะ", unit="ครั้ง", volume=5, days=Decimal("1.5"), hours=2
    ),
    "covered district removed": lambda s: CoveredDistrict.objects.filter(submission=s).delete(),
    "working hours a day": lambda s: _sql(
        "UPDATE workload_questionnaire SET hours_per_day = 7.5 WHERE id = %s", s.questionnaire_id
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_any_write_keeps_the_figures_right(submission, people, write):
    complete(submission, people["recorder"])
    before = SubmissionFigures.objects.get(pk=submission.pk)
    WRITES[write](submission)
    assert_right(submission)
    after = SubmissionFigures.objects.get(pk=submission.pk)
    assert after.version > before.version
    assert any(
        getattr(before, n) != getattr(after, n)
        for n in ("answered_by_aspect", "hours_by_aspect", "extra_hours", "covered_count")
    )


def test_every_submission_has_figures_from_the_start(questionnaire):
    assert (
        SubmissionFigures.objects.filter(questionnaire=questionnaire).count()
        == questionnaire.submissions.count()
    )
    assert not SubmissionFigures.objects.filter(answered_total__gt=0).exists()


def test_confirmation_shows_in_the_figures(submission, people):
    complete(submission, people["recorder"])
    services.submission_confirm(submission=submission, by=people["confirmer"])
    assert SubmissionFigures.objects.get(pk=submission.pk).is_confirmed
    assert_right(submission)


def test_a_question_moved_to_another_aspect_moves_its_hours(submission, people):
    complete(submission, people["recorder"])
    question = Question.objects.filter(
        aspect__questionnaire=submission.questionnaire, aspect__number=1
    ).first()
    other = submission.questionnaire.aspects.get(number=8)
    # An answered questionnaire is frozen (test_freeze.py): moved here with its trigger off.
    with pgtrigger.ignore("workload.Question:question_freeze"):
        Question.objects.filter(pk=question.pk).update(aspect=other, order=99)
    figures = SubmissionFigures.objects.get(pk=submission.pk)
    assert figures.answered_by_aspect[0] == 1 and figures.answered_by_aspect[7] == 3
    assert_right(submission)


def test_a_full_refresh_changes_no_figure(submission, people):
    complete(submission, people["recorder"])
    before = list(
        SubmissionFigures.objects.order_by("pk").values_list(
            "answered_by_aspect", "hours_by_aspect", "total_hours"
        )
    )
    _sql("SELECT workload_refresh_all_figures()")
    after = list(
        SubmissionFigures.objects.order_by("pk").values_list(
            "answered_by_aspect", "hours_by_aspect", "total_hours"
        )
    )
    assert before == after
    assert Submission.objects.count() == SubmissionFigures.objects.count()
