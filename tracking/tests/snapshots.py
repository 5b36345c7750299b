"""Every row of the test database at one moment, put back in a blink (PostgreSQL's COPY).

The demo data takes the demo loader many seconds to make through the services; a dozen test modules
read it. It is made once per test process (``demo_rows`` in the root conftest) inside a transaction
that is rolled back, copied here, and put back by each module that needs it, again inside a
transaction of its own. Triggers stay quiet meanwhile: the rows are already what the triggers made of
them (audit events, summaries, locks). The sequences are not put back: they only ever go forward,
past every id the copy holds.
"""

import io
import shutil
from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import connection as default_connection
from django.db import transaction
from django.test import override_settings

from progress.tests.data import flush_figures


def _quoted_tables(connection) -> list[str]:
    return [
        connection.ops.quote_name(table)
        for table in connection.introspection.django_table_names(only_existing=True)
    ]


def analyze(connection, tables) -> None:
    """Gather the planner's statistics of ``tables`` as they are now, in the current transaction
    (PostgreSQL counts the transaction's own new rows). A real database has autovacuum keep them
    in step with its rows; a test database rolls back thousands of rows a test, so autovacuum there
    sees empty tables full of dead rows, or whatever a committing test left, and a query planned
    on that may expect one row where there are hundreds."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


class Snapshot:
    def __init__(self, connection):
        self.tables = {}
        with connection.cursor() as cursor:
            for quoted in _quoted_tables(connection):
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted})")  # noqa: S608 - our own table names
                if not cursor.fetchone()[0]:
                    continue
                with cursor.cursor.copy(f"COPY {quoted} TO STDOUT") as copy:
                    self.tables[quoted] = b"".join(bytes(chunk) for chunk in copy)

    def restore(self, connection):
        """Put the rows back into an emptied database; nothing happens if the data is there."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM accounts_orgunit)")
            if cursor.fetchone()[0]:
                return
        self.put_back(connection, empty_first=False)

    def put_back(self, connection, *, empty_first: bool = True):
        """Make every table hold exactly the copied rows (in the current transaction, if any)."""
        tables = _quoted_tables(connection)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cursor.fetchone()[0]
            if superuser:
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:  # the tables' owner may still silence their triggers one by one
                for quoted in tables:
                    cursor.execute(f"ALTER TABLE {quoted} DISABLE TRIGGER USER")
            if empty_first:
                cursor.execute(f"TRUNCATE {', '.join(tables)}")
            for quoted, data in self.tables.items():
                with cursor.cursor.copy(f"COPY {quoted} FROM STDIN") as copy:
                    copy.write(data)
            if superuser:
                cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            else:
                # The foreign-key checks (deferred) run now: a table cannot be altered with them
                # pending; every deferrable constraint of the schema is initially deferred, so
                # DEFERRED is where they were.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for quoted in tables:
                    cursor.execute(f"ALTER TABLE {quoted} ENABLE TRIGGER USER")
        if self.tables:
            analyze(connection, self.tables)


def demo_settings(media_root) -> override_settings:
    """What the demo data is made and read with: demo on, fast hashing, files on disk in ``media_root``."""
    return override_settings(
        MEDIA_ROOT=str(media_root),
        DEMO=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )


class DemoRows:
    """``manage.py seed_demo``'s rows (default password) and the files it wrote."""

    def __init__(self, migrated: Snapshot, media: Path):
        self.media = media
        with demo_settings(media), transaction.atomic():
            # The migrated rows, if transactional tests before emptied the database; then the demo.
            migrated.restore(default_connection)
            call_command("seed_demo", stdout=io.StringIO())
            flush_figures()
            self.snapshot = Snapshot(default_connection)
            transaction.set_rollback(True)

    @contextmanager
    def loaded(self, media_root, connection=default_connection):
        """The demo rows in the current transaction (the caller's atomic block or test) and its own
        copy of the demo's files, with the demo settings, for as long as the block lasts."""
        shutil.copytree(self.media, media_root, dirs_exist_ok=True)
        with demo_settings(media_root):
            self.snapshot.put_back(connection)
            yield
