"""A district's edit and its province's confirmation at the same moment: the lock wins.

Whatever the order, a confirmed submission's record (snapshot and digest) matches its
data, and an edit that comes second is refused with the Thai "confirmed" message. This
holds for the services and for raw SQL, because the lock triggers wait for a
confirmation under way instead of reading past it.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.models import OrgUnit
from accounts.roles import Role
from tracking.tests.concurrency import Background, at_once, wait_until_a_session_waits_for_a_lock
from workload import services
from workload.models import Answer, Submission
from workload.tests.conftest import complete

# Threads need committed rows; the geography of the data migrations is put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def record_matches_data(submission) -> bool:
    submission.refresh_from_db()
    return services.record_check(submission).matches


def first_aspect_rows(submission, volume):
    aspect = submission.questionnaire.aspects.order_by("number").first()
    return aspect, {q.pk: (volume, 1, 2) for q in aspect.questions.all()}


def volumes(submission):
    return set(Answer.objects.filter(submission=submission).values_list("volume", flat=True))


def test_the_edit_waits_for_the_confirmation_then_is_refused(submission, people):
    complete(submission, people["recorder"])
    aspect, rows = first_aspect_rows(submission, 99)
    holding = threading.Event()

    def confirm_slowly():
        with transaction.atomic():
            Submission.objects.select_for_update().get(pk=submission.pk)
            holding.set()
            wait_until_a_session_waits_for_a_lock()
            return services.submission_confirm(submission=submission, by=people["confirmer"])

    confirming = Background(confirm_slowly)
    assert holding.wait(20)
    editing = Background(
        lambda: services.aspect_save(submission=submission, aspect=aspect, by=people["recorder"], rows=rows)
    )
    confirmed, edited = confirming.result(), editing.result()
    assert confirmed.error is None
    assert isinstance(edited.error, ValidationError)
    assert "ยืนยัน" in " ".join(edited.error.messages)  # "confirmed by the province", in Thai
    assert volumes(submission) == {3}
    assert record_matches_data(submission)


def test_a_script_writing_answers_holds_off_the_confirmation_until_it_commits(submission, people):
    """Raw SQL first: the confirmation waits, and its record includes what the script wrote."""
    complete(submission, people["recorder"])
    written = threading.Event()
    release = threading.Event()

    def script():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE workload_answer SET volume = 77 WHERE submission_id = %s", [submission.pk])
            written.set()
            release.wait(20)

    scripting = Background(script)
    assert written.wait(20)
    confirming = Background(
        lambda: services.submission_confirm(submission=submission, by=people["confirmer"])
    )
    wait_until_a_session_waits_for_a_lock()  # the confirmation queues behind the script
    release.set()
    assert scripting.result().error is None and confirming.result().error is None
    assert volumes(submission) == {77}
    assert record_matches_data(submission)


def test_a_script_writing_answers_during_a_confirmation_is_refused_by_the_database(submission, people):
    """Confirmation first: the script's write waits for it, then the trigger refuses it."""
    complete(submission, people["recorder"])
    holding = threading.Event()

    def confirm_slowly():
        with transaction.atomic():
            services.submission_confirm(submission=submission, by=people["confirmer"])
            holding.set()
            wait_until_a_session_waits_for_a_lock()  # the script is queued behind us

    confirming = Background(confirm_slowly)
    assert holding.wait(20)

    def script():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE workload_answer SET volume = 55 WHERE submission_id = %s", [submission.pk])

    scripting = Background(script)
    assert confirming.result().error is None
    failed = scripting.result().error
    assert isinstance(failed, IntegrityError) and "confirmed and locked" in str(failed)
    assert volumes(submission) == {3}
    assert record_matches_data(submission)


def test_edits_and_confirmations_racing_never_leave_a_record_that_differs_from_its_data(
    questionnaire, people, make_user
):
    offices = OrgUnit.objects.filter(agency="dla", kind="district", province__code="50").order_by("code")[:4]
    for office in offices:
        submission = Submission.objects.get(questionnaire=questionnaire, office=office)
        recorder = make_user(f"rec_{office.code}", roles=[Role.DISTRICT_RECORDER], unit=office)
        complete(submission, recorder)
        aspect, rows = first_aspect_rows(submission, 99)
        edit, confirm = at_once(
            lambda s=submission, a=aspect, r=rows, u=recorder: services.aspect_save(
                submission=s, aspect=a, by=u, rows=r
            ),
            lambda s=submission: services.submission_confirm(submission=s, by=people["confirmer"]),
        )
        assert confirm.error is None
        assert edit.error is None or isinstance(edit.error, ValidationError)
        assert record_matches_data(submission)
        # Either the edit came first and is in the record, or it was refused and nothing changed.
        assert volumes(submission) == ({99, 3} if edit.error is None else {3})


def test_a_save_under_way_when_the_confirmer_clicks_makes_the_confirmation_refused(submission, people):
    """The confirmer looked at the page before the district's save: the confirmation waits for the
    save, sees that the data is no longer what was shown, and confirms nothing."""
    complete(submission, people["recorder"])
    seen = services.version_of(services.snapshot_of(submission))
    aspect, rows = first_aspect_rows(submission, 42)
    saving = threading.Event()

    def save_slowly():
        with transaction.atomic():
            services.aspect_save(submission=submission, aspect=aspect, by=people["recorder"], rows=rows)
            saving.set()
            wait_until_a_session_waits_for_a_lock()  # the confirmation is queued behind the save

    saved = Background(save_slowly)
    assert saving.wait(20)
    confirming = Background(
        lambda: services.submission_confirm(submission=submission, by=people["confirmer"], seen=seen)
    )
    assert saved.result().error is None
    refused = confirming.result().error
    assert isinstance(refused, services.ChangedSinceSeen) and refused.changed == ["ด้านที่ 1"]
    submission.refresh_from_db()
    assert submission.confirmed_at is None and volumes(submission) == {42, 3}


def test_saves_racing_confirmations_of_the_version_seen_confirm_only_what_was_seen(
    questionnaire, people, make_user
):
    offices = OrgUnit.objects.filter(agency="dla", kind="district", province__code="50").order_by("code")[:4]
    for office in offices:
        submission = Submission.objects.get(questionnaire=questionnaire, office=office)
        recorder = make_user(f"rec_{office.code}", roles=[Role.DISTRICT_RECORDER], unit=office)
        complete(submission, recorder)
        seen = services.version_of(services.snapshot_of(submission))
        aspect, rows = first_aspect_rows(submission, 99)
        edit, confirm = at_once(
            lambda s=submission, a=aspect, r=rows, u=recorder: services.aspect_save(
                submission=s, aspect=a, by=u, rows=r
            ),
            lambda s=submission, v=seen: services.submission_confirm(
                submission=s, by=people["confirmer"], seen=v
            ),
        )
        submission.refresh_from_db()
        if confirm.error is None:  # the confirmation came first: the edit was refused
            assert isinstance(edit.error, ValidationError) and volumes(submission) == {3}
            assert record_matches_data(submission)
        else:  # the edit came first: nothing the confirmer did not see was confirmed
            assert isinstance(confirm.error, services.ChangedSinceSeen) and edit.error is None
            assert submission.confirmed_at is None and volumes(submission) == {99, 3}
