"""The confirmation lock holds against the site's own database role: only the reopening function,
which writes the reopening's record, can clear a confirmation (tracking/db_roles.py)."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from workload import services
from workload.models import Reopening, Submission
from workload.tests.conftest import complete

# The application role's connection sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def confirmed(submission, people):
    complete(submission, people["recorder"])
    return services.submission_confirm(submission=submission, by=people["confirmer"])


def locked_out(conn, statement, params=None):
    """True when the lock trigger (or a missing right) stops ``statement``; nothing is kept."""
    try:
        with conn.transaction():
            conn.execute(statement, params)
    except (psycopg.errors.IntegrityConstraintViolation, psycopg.errors.InsufficientPrivilege):
        return True
    return False


CLEAR = (
    "UPDATE workload_submission SET confirmed_at = NULL, confirmed_by_id = NULL, snapshot = NULL,"
    " digest = '', reopen_reason = 'ลองปลดล็อกเอง' WHERE id = %s"
)


def test_the_application_role_cannot_clear_a_confirmation_by_itself(app_db, confirmed, people):
    assert locked_out(app_db, CLEAR, [confirmed.pk])
    # The custom setting that once opened the lock opens nothing.
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation), app_db.transaction():
        app_db.execute("SELECT set_config('workload.allow_reopen', 'on', true)")
        app_db.execute(CLEAR, [confirmed.pk])
    # Nor does a reopening record written by the site's role itself.
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation), app_db.transaction():
        app_db.execute(
            "INSERT INTO workload_reopening (submission_id, reopened_at, reopened_by_id, reason,"
            " previous_confirmed_at, previous_digest) SELECT id, now(), %s, 'x', confirmed_at, digest"
            " FROM workload_submission WHERE id = %s",
            [people["dla_admin"].pk, confirmed.pk],
        )
        app_db.execute(CLEAR, [confirmed.pk])
    # Nor does naming the lock triggers in pgtrigger's "ignore" setting: that is the owner's alone.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s", ["pgtrigger_%lock%"]
        )
        lock_triggers = [row[0] for row in cursor.fetchall()]
    assert lock_triggers
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation), app_db.transaction():
        app_db.execute(
            "SELECT set_config('pgtrigger.ignore', %s, true)", ["{" + ",".join(lock_triggers) + "}"]
        )
        app_db.execute(CLEAR, [confirmed.pk])
    pk = [confirmed.pk]
    assert locked_out(app_db, "UPDATE workload_submission SET contact_name = 'คนอื่น' WHERE id = %s", pk)
    assert locked_out(app_db, "DELETE FROM workload_submission WHERE id = %s", pk)
    assert locked_out(app_db, "UPDATE workload_answer SET volume = 999 WHERE submission_id = %s", pk)
    assert locked_out(app_db, "ALTER TABLE workload_submission DISABLE TRIGGER USER")
    assert locked_out(app_db, "TRUNCATE workload_submission CASCADE")
    assert locked_out(app_db, "SET session_replication_role = replica")
    still = Submission.objects.get(pk=confirmed.pk)
    assert still.confirmed_at == confirmed.confirmed_at and still.digest == confirmed.digest
    assert not Reopening.objects.exists()


def test_the_reopening_function_records_who_when_and_why_then_clears(app_db, confirmed, people):
    reopening_id = app_db.execute(
        "SELECT workload_reopen_submission(%s, %s, %s)",
        [confirmed.pk, people["dla_admin"].pk, "อำเภอแจ้งแก้ไข"],
    ).fetchone()[0]
    reopening = Reopening.objects.get(pk=reopening_id)
    assert reopening.submission_id == confirmed.pk
    assert reopening.reopened_by == people["dla_admin"] and reopening.reason == "อำเภอแจ้งแก้ไข"
    assert reopening.previous_confirmed_at == confirmed.confirmed_at
    assert reopening.previous_digest == confirmed.digest
    reopened = Submission.objects.get(pk=confirmed.pk)
    assert reopened.confirmed_at is None and reopened.digest == "" and reopened.snapshot is None
    assert reopened.reopened_by == people["dla_admin"] and reopened.reopen_reason == "อำเภอแจ้งแก้ไข"
    assert reopened.reopened_at == reopening.reopened_at
    # The audit trail has the change, as for any update.
    event = Submission.pgh_event_model.objects.filter(pgh_obj=confirmed.pk).latest("pgh_id")
    assert event.confirmed_at is None and event.reopen_reason == "อำเภอแจ้งแก้ไข"
    # The district may edit again, through the site's own role.
    app_db.execute("UPDATE workload_answer SET hours = 4 WHERE submission_id = %s", [confirmed.pk])


def test_only_the_sites_role_may_call_the_reopening_function(app_db):
    acl = app_db.execute(
        "SELECT proacl::text[] FROM pg_proc WHERE proname = 'workload_reopen_submission'"
    ).fetchone()[0]
    assert not [entry for entry in acl if entry.startswith("=")]  # nothing for PUBLIC
    assert app_db.execute(
        "SELECT has_function_privilege('workload_reopen_submission(bigint, bigint, text)', 'EXECUTE')"
    ).fetchone()[0]


def test_the_reopening_function_needs_a_reason_and_a_confirmed_submission(app_db, confirmed, people):
    assert locked_out_by_check(app_db, confirmed.pk, people["dla_admin"].pk, "  ")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT workload_reopen_submission(%s, %s, %s)", [confirmed.pk, people["dla_admin"].pk, "x"]
        )
    assert locked_out_by_check(app_db, confirmed.pk, people["dla_admin"].pk, "อีกครั้ง")
    assert Reopening.objects.count() == 1


def locked_out_by_check(conn, submission, user, reason):
    try:
        conn.execute("SELECT workload_reopen_submission(%s, %s, %s)", [submission, user, reason])
    except (psycopg.errors.CheckViolation, psycopg.errors.ObjectNotInPrerequisiteState):
        return True
    return False


def test_a_whole_round_works_as_the_application_role(as_app_role, client, people, submission):
    with connection.cursor() as cursor:
        assert cursor.connection.info.user == settings.DATABASE_ROLES["app"]["USER"]
    complete(submission, people["recorder"])
    services.submission_confirm(submission=submission, by=people["confirmer"])
    client.force_login(people["dla_admin"])
    reopen = reverse("workload:reopen", args=[2570, "DLA-D5001"])
    assert client.post(reopen, {"reason": "จังหวัดขอแก้ไขข้อมูลด้านที่ 3"}).status_code == 302
    submission.refresh_from_db()
    assert submission.confirmed_at is None and submission.reopened_by == people["dla_admin"]
    assert Reopening.objects.get(submission=submission).reason == "จังหวัดขอแก้ไขข้อมูลด้านที่ 3"
    complete(submission, people["recorder"])
    status = reverse("workload:status", args=[2570, "DLA-D5001"])
    assert "จังหวัดขอแก้ไขข้อมูลด้านที่ 3" in client.get(status).content.decode()
