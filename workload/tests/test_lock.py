"""The confirmation lock lives in the database: nothing changes a confirmed submission."""

import pytest
from django.db import IntegrityError, connection, transaction

from workload import services
from workload.models import Answer, CoveredDistrict, ExtraItem, Reopening, Submission
from workload.tests.conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(submission, people):
    complete(submission, people["recorder"])
    return services.submission_confirm(submission=submission, by=people["confirmer"])


def test_confirmation_stores_evidence(confirmed, people):
    assert confirmed.confirmed_by == people["confirmer"]
    assert len(confirmed.digest) == 64
    assert confirmed.digest == services.digest_of(services.snapshot_of(confirmed))
    assert len(confirmed.snapshot["answers"]) == 16


def test_raw_sql_update_of_answers_fails(confirmed):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE workload_answer SET volume = 999 WHERE submission_id = %s", [confirmed.pk])
    assert not Answer.objects.filter(submission=confirmed, volume=999).exists()


def test_bulk_update_and_delete_of_answers_fail(confirmed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(submission=confirmed).update(hours=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(submission=confirmed).delete()
    assert Answer.objects.filter(submission=confirmed).count() == 16


def test_no_new_rows_under_a_confirmed_submission(confirmed, questionnaire):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExtraItem.objects.create(
            submission=confirmed, description="งานเพิ่ม", unit="ครั้ง", volume=1, days=1, hours=0
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CoveredDistrict.objects.filter(submission=confirmed).delete()


def test_contact_details_and_the_confirmation_itself_cannot_change(confirmed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=confirmed.pk).update(contact_name="คนอื่น")
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=confirmed.pk).update(
            confirmed_at=None, confirmed_by=None, snapshot=None, digest=""
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=confirmed.pk).delete()


def test_the_services_refuse_too(confirmed, people):
    from django.core.exceptions import ValidationError

    aspect = confirmed.questionnaire.aspects.first()
    with pytest.raises(ValidationError):
        services.aspect_save(
            submission=confirmed,
            aspect=aspect,
            by=people["recorder"],
            rows={q.pk: (1, 1, 1) for q in aspect.questions.all()},
        )


def test_dla_admin_reopens_with_a_reason_and_the_district_can_edit_again(confirmed, people):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError):
        services.submission_reopen(submission=confirmed, by=people["dla_admin"], reason=" ")
    with pytest.raises(PermissionDenied):
        services.submission_reopen(submission=confirmed, by=people["confirmer"], reason="แก้ไขตัวเลข")
    reopened = services.submission_reopen(
        submission=confirmed, by=people["dla_admin"], reason="อำเภอแจ้งตัวเลขด้านที่ 2 ผิด"
    )
    assert reopened.confirmed_at is None and reopened.reopened_by == people["dla_admin"]
    reopening = Reopening.objects.get(submission=confirmed)
    assert reopening.previous_digest == confirmed.digest
    Answer.objects.filter(submission=confirmed).update(hours=4)
    assert set(Answer.objects.filter(submission=confirmed).values_list("hours", flat=True)) == {4}


def test_reopening_needs_the_service(confirmed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=confirmed.pk).update(
            confirmed_at=None, confirmed_by=None, snapshot=None, digest="", reopen_reason="ลองปลดล็อกเอง"
        )
