"""The site's database role owns nothing: it reads and writes rows, and cannot change the schema,
set triggers aside or make the server skip them (tracking/db_roles.py)."""

import psycopg
import pytest

pytestmark = pytest.mark.django_db


def refused(conn, statement, params=None):
    """True when PostgreSQL refuses ``statement`` for lack of rights."""
    try:
        conn.execute(statement, params)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def test_the_application_role_has_no_powers_of_its_own(app_db):
    row = app_db.execute(
        "SELECT rolsuper, rolreplication, rolbypassrls, rolcreatedb, rolcreaterole FROM pg_roles"
        " WHERE rolname = current_user"
    ).fetchone()
    assert row == (False, False, False, False, False)
    owners = app_db.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema()"
        " AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
    ).fetchone()[0]
    assert owners == 0


def test_the_application_role_cannot_alter_truncate_or_drop_a_table(app_db):
    assert refused(app_db, "ALTER TABLE workload_submission ADD COLUMN sneaky integer")
    assert refused(app_db, "ALTER TABLE workload_submission DISABLE TRIGGER ALL")
    assert refused(app_db, "ALTER TABLE workload_submission DISABLE TRIGGER USER")
    assert refused(app_db, "ALTER TABLE progress_disbursement DISABLE TRIGGER USER")
    assert refused(app_db, "TRUNCATE workload_submission CASCADE")
    assert refused(app_db, "DROP TABLE workload_reopening")
    assert refused(app_db, "DROP FUNCTION workload_reopen_submission(bigint, bigint, text)")


def test_the_application_role_cannot_make_the_server_skip_triggers(app_db):
    assert refused(app_db, "SET session_replication_role = replica")
    assert refused(app_db, "SELECT set_config('session_replication_role', 'replica', false)")
    assert app_db.execute("SHOW session_replication_role").fetchone()[0] == "origin"


def test_the_application_role_cannot_create_tables_not_even_temporary_ones(app_db):
    assert refused(app_db, "CREATE TABLE sneaky (id integer)")
    # A temporary workload_submission would come first in the lock triggers' queries.
    assert refused(app_db, "CREATE TEMPORARY TABLE workload_submission (id bigint, confirmed_at timestamptz)")
    assert refused(app_db, "CREATE FUNCTION sneaky() RETURNS integer LANGUAGE sql AS 'SELECT 1'")


def test_the_application_role_reads_and_writes_rows(app_db):
    app_db.execute("INSERT INTO django_cache (cache_key, value, expires) VALUES ('k', 'v', now())")
    app_db.execute("UPDATE django_cache SET value = 'w' WHERE cache_key = 'k'")
    assert app_db.execute("SELECT value FROM django_cache WHERE cache_key = 'k'").fetchone() == ("w",)
    app_db.execute("DELETE FROM django_cache WHERE cache_key = 'k'")
    assert app_db.execute("SELECT nextval(pg_get_serial_sequence('workload_reopening', 'id'))").fetchone()[0]
