"""The lock of a handed-in month holds against the site's own database role, whatever it tries."""

import psycopg
import pytest

from progress import services

# The application role's connection sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def locked_out(conn, statement, params=None):
    try:
        with conn.transaction():
            conn.execute(statement, params)
    except (psycopg.errors.IntegrityConstraintViolation, psycopg.errors.InsufficientPrivilege):
        return True
    return False


def test_the_application_role_cannot_change_a_handed_in_month(app_db, people, assignment):
    result = services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 2}
    )
    report = services.submit_report(people["province_user"], assignment, 1)
    assert locked_out(app_db, "UPDATE progress_performanceresult SET quantity = 9 WHERE id = %s", [result.pk])
    assert locked_out(app_db, "DELETE FROM progress_performanceresult WHERE id = %s", [result.pk])
    assert locked_out(app_db, "ALTER TABLE progress_performanceresult DISABLE TRIGGER USER")
    # nor by deleting or re-dating the report
    assert locked_out(app_db, "DELETE FROM progress_monthreport WHERE id = %s", [report.pk])
    assert locked_out(
        app_db, "UPDATE progress_monthreport SET submitted_at = now() WHERE id = %s", [report.pk]
    )
    result.refresh_from_db()
    assert result.quantity == 2
