"""The workload pages' prepared queries give what their querysets give."""

from decimal import Decimal

from workload import selectors
from workload.models import Question, Questionnaire
from workload.tests.conftest import complete


def test_aspect_answers_with_their_hours(questionnaire, submission, people):
    complete(submission, people["recorder"])  # 3 a year, 1 day and 2 hours each
    aspect = questionnaire.aspects.get(number=1)
    rows = selectors.ASPECT_ANSWERS(submission=submission.pk, aspect=aspect.pk)
    assert rows == list(selectors.ASPECT_ANSWERS.build(submission=submission.pk, aspect=aspect.pk))
    # 3 × (1 day × 6 working hours a day + 2 hours) = 24 hours a question
    assert questionnaire.hours_per_day == 6
    assert sorted(row["total_hours"] for row in rows) == [Decimal(24)] * 2
    assert selectors.ASPECT_ANSWERS(submission=submission.pk + 1, aspect=aspect.pk) == []
    # the working day is read from the questionnaire on every call, never kept in the prepared SQL
    Questionnaire.objects.filter(pk=questionnaire.pk).update(hours_per_day=Decimal("7.5"))
    rows = selectors.ASPECT_ANSWERS(submission=submission.pk, aspect=aspect.pk)
    assert sorted(row["total_hours"] for row in rows) == [Decimal("28.5")] * 2


def test_question_counts_of_one_questionnaire(questionnaire):
    Question.objects.create(aspect=questionnaire.aspects.get(number=3), order=9, text="งานเพิ่ม", unit="ครั้ง")
    other = Questionnaire.objects.create(
        fiscal_year=2571, opens_on=questionnaire.opens_on, closes_on=questionnaire.closes_on
    )
    for questionnaire_id in (questionnaire.pk, other.pk, questionnaire.pk):
        expected = list(selectors.QUESTION_COUNTS.build(questionnaire=questionnaire_id))
        assert selectors.QUESTION_COUNTS(questionnaire=questionnaire_id) == expected
    rows = selectors.QUESTION_COUNTS(questionnaire=questionnaire.pk)
    counts = {row["aspect__number"]: row["n"] for row in rows}
    assert counts == {n: 3 if n == 3 else 2 for n in range(1, 9)}
    assert selectors.QUESTION_COUNTS(questionnaire=other.pk) == []
