from decimal import Decimal

import pytest

from workload import services
from workload.models import Answer, ExtraItem, Question
from workload.selectors import COMPLETE, EMPTY, INCOMPLETE, submission_progress, submission_workload
from workload.tests.conftest import complete

pytestmark = pytest.mark.django_db


def test_status_per_aspect_nothing_partly_complete(submission, questionnaire):
    first, second = Question.objects.filter(aspect__questionnaire=questionnaire, aspect__number=1)
    third = Question.objects.get(aspect__questionnaire=questionnaire, aspect__number=2, order=1)
    Answer.objects.create(submission=submission, question=first, volume=1, days=0, hours=1)
    Answer.objects.create(submission=submission, question=second, volume=0, days=0, hours=0)
    Answer.objects.create(submission=submission, question=third, volume=2, days=1, hours=0)
    progress = submission_progress([submission])[submission.pk]
    assert progress.statuses == [COMPLETE, INCOMPLETE] + [EMPTY] * 6
    assert not progress.all_complete


def test_zero_is_an_answer(submission, people):
    complete(submission, people["recorder"])
    Answer.objects.filter(submission=submission).update(volume=0, days=0, hours=0)
    assert submission_progress([submission])[submission.pk].all_complete


def test_hours_and_full_time_equivalent(submission, questionnaire, people):
    questionnaire.hours_per_day = Decimal("6")
    questionnaire.yearly_hours = Decimal("1380")
    questionnaire.save()
    complete(submission, people["recorder"])  # 16 answers of 3 × (1 day × 6 h + 2 h) = 24 h each
    ExtraItem.objects.create(
        submission=submission, description="งานเฉพาะ", unit="ครั้ง", volume=10, days=Decimal("0.5"), hours=1
    )
    submission.refresh_from_db()
    workload = submission_workload([submission])[submission.pk]
    assert workload.by_aspect == [Decimal("48.00")] * 8
    assert workload.extra == Decimal("40.00")  # 10 × (0.5 × 6 + 1)
    assert workload.total == Decimal("424.00")
    assert workload.fte == Decimal("0.31")  # 424 / 1380


def test_hours_per_day_is_configurable(submission, questionnaire, people):
    complete(submission, people["recorder"])
    questionnaire.hours_per_day = Decimal("7")
    questionnaire.save()
    submission.refresh_from_db()
    assert submission_workload([submission])[submission.pk].by_aspect[0] == Decimal(
        "54.00"
    )  # 2 × 3 × (7 + 2)


def test_confirm_blockers_name_what_is_missing(submission, people):
    assert services.confirm_blockers(submission) == ["ยังไม่ได้เริ่มบันทึก ทั้งข้อมูลติดต่อและข้อมูลทุกด้าน"]
    aspect = submission.questionnaire.aspects.get(number=2)
    rows = {q.pk: (1, 1, 1) for q in aspect.questions.all()}
    services.aspect_save(submission=submission, aspect=aspect, by=people["recorder"], rows=rows)
    assert services.confirm_blockers(submission) == [
        "ด้านที่ 1, 3, 4, 5, 6, 7, 8 ยังไม่ครบ",
        "ยังไม่กรอกที่อยู่สำนักงาน, โทรศัพท์สำนักงาน, ผู้รับผิดชอบ",
        "ยังไม่ได้เลือกอำเภอที่รับผิดชอบ",
    ]
    complete(submission, people["recorder"])
    assert services.confirm_blockers(submission) == []


def test_progress_of_many_submissions_takes_two_queries(questionnaire, django_assert_num_queries):
    submissions = list(questionnaire.submissions.select_related("questionnaire")[:50])
    with django_assert_num_queries(2):
        submission_progress(submissions)
    with django_assert_num_queries(1):
        submission_workload(submissions)
