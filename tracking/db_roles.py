"""The database's two roles: an owner for the schema, and the application's role for the data.

The owner role owns every table, function and trigger; migrations, ``createcachetable``,
backups and restores run as it. The site connects as the application role, which owns
nothing: it may read and write rows, use the sequences and run functions, and nothing else.
It cannot alter or truncate a table, set a trigger aside, create a table of its own (not even
a temporary one that could hide a table from a trigger's query), or change
``session_replication_role`` (superusers only). So the locks kept by triggers (a confirmed
workload submission, a closed month) hold against the site's own connection too.

``app_role_grants()`` is the SQL that gives the application role its rights in one database.
It runs after every migration (``TrackingConfig``), in the bundled server at start-up, and is
printed by docs/deployment.md for installs that bring their own server.

This module imports no Django: ``tracking.embedded_db`` uses it before settings exist.
"""

from __future__ import annotations

# Role names in the bundled PostgreSQL; a DATABASE_URL install names its own.
OWNER = "tracking_owner"
APP = "tracking_app"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def app_role_grants(app: str, owner: str, schema: str, database: str) -> list[str]:
    """Statements, run as the owner (or a superuser), that give ``app`` its rights and no more.

    Default privileges make the tables and sequences that later migrations create by
    ``owner`` open to ``app`` the same way, without running this again.
    """
    app, owner, schema, database = _ident(app), _ident(owner), _ident(schema), _ident(database)
    return [
        # Older PostgreSQL lets everyone create in the public schema; 15 and later do not.
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        # A temporary table named like a real one would come first in a trigger's query.
        f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC",
        f"REVOKE TEMPORARY ON DATABASE {database} FROM {app}",
        f"GRANT CONNECT ON DATABASE {database} TO {app}",
        f"GRANT USAGE ON SCHEMA {schema} TO {app}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        # The functions are the site's, not everyone's (workload_reopen_submission above all); a
        # restore brings them back open to PUBLIC, as PostgreSQL creates every function.
        f"REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} FROM PUBLIC",
        f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}"
        f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema}"
        f" GRANT USAGE, SELECT ON SEQUENCES TO {app}",
    ]


# django-pgtrigger lets a session set triggers aside by naming them in the ``pgtrigger.ignore``
# setting, which any role may set: the lock triggers would give way to the site's own role. Its
# check function is replaced (after pgtrigger installs it, at every migration) by one that
# honours the setting only for the database's owner (migrations, data loads, tests' fixtures).
OWNER_ONLY_IGNORE = """
CREATE OR REPLACE FUNCTION SCHEMA._pgtrigger_should_ignore(trigger_name NAME) RETURNS BOOLEAN AS $$
    DECLARE
        _pgtrigger_ignore TEXT[];
    BEGIN
        IF NOT pg_has_role(
            current_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER'
        ) THEN
            RETURN FALSE;
        END IF;
        BEGIN
            SELECT INTO _pgtrigger_ignore CURRENT_SETTING('pgtrigger.ignore');
            EXCEPTION WHEN OTHERS THEN
        END;
        IF _pgtrigger_ignore IS NOT NULL THEN
            RETURN trigger_name = ANY(_pgtrigger_ignore);
        END IF;
        RETURN FALSE;
    END;
$$ LANGUAGE plpgsql
"""


def grant_app_role(cursor, app: str) -> None:
    """Give ``app`` its rights in the database ``cursor`` is connected to, as that database's owner,
    and make sure it cannot set the lock triggers aside."""
    cursor.execute("SELECT current_user, current_schema(), current_database()")
    owner, schema, database = cursor.fetchone()
    cursor.execute(OWNER_ONLY_IGNORE.replace("SCHEMA", _ident(schema)))
    for statement in app_role_grants(app, owner, schema, database):
        cursor.execute(statement)


def grant_to_app_role(connection) -> None:
    """After the owner changed the schema (a migration, a restore): the application role's rights.

    Nothing to do when the connection is not the owner's, or when both roles are one
    (DATABASE_URL without MIGRATE_DATABASE_URL).
    """
    from django.conf import settings

    owner, app = settings.DATABASE_ROLES["owner"]["USER"], settings.DATABASE_ROLES["app"]["USER"]
    if not app or app == owner or connection.settings_dict["USER"] != owner:
        return
    with connection.cursor() as cursor:
        grant_app_role(cursor, app)


# Run by a superuser in each of the bundled server's databases. A .pgdata made before the two
# roles existed has everything owned by "postgres": it is handed to the owner role here, once.
# Objects that belong to an extension stay with it.
def take_ownership_sql(owner: str) -> str:
    literal = "'" + owner.replace("'", "''") + "'"
    return TAKE_OWNERSHIP.replace("OWNER_ROLE", literal)


TAKE_OWNERSHIP = """
DO $take$
DECLARE
    owner_role name := OWNER_ROLE;
    obj record;
BEGIN
    FOR obj IN
        SELECT c.relkind, format('%I.%I', n.nspname, c.relname) AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND pg_get_userbyid(c.relowner) <> owner_role
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format(
            CASE obj.relkind WHEN 'v' THEN 'ALTER VIEW %s OWNER TO %I'
                             WHEN 'm' THEN 'ALTER MATERIALIZED VIEW %s OWNER TO %I'
                             WHEN 'f' THEN 'ALTER FOREIGN TABLE %s OWNER TO %I'
                             ELSE 'ALTER TABLE %s OWNER TO %I' END,
            obj.name, owner_role);
    END LOOP;
    -- Sequences of serial and identity columns moved with their tables; these are the others.
    FOR obj IN
        SELECT format('%I.%I', n.nspname, c.relname) AS name
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'S'
          AND pg_get_userbyid(c.relowner) <> owner_role
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
    LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', obj.name, owner_role);
    END LOOP;
    FOR obj IN
        SELECT p.prokind, p.oid::regprocedure::text AS name
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND pg_get_userbyid(p.proowner) <> owner_role
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                          AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format(
            CASE obj.prokind WHEN 'p' THEN 'ALTER PROCEDURE %s OWNER TO %I'
                             WHEN 'a' THEN 'ALTER AGGREGATE %s OWNER TO %I'
                             ELSE 'ALTER FUNCTION %s OWNER TO %I' END,
            obj.name, owner_role);
    END LOOP;
END
$take$
"""
