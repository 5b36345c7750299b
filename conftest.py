"""Shared fixtures: fast hashing, plain static storage and user personas."""

import pytest


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The suite creates, migrates and uses its database as the owner role, as `manage.py migrate`
    does; what the application role may not do is tested on a connection of its own (app_db)."""
    from django.conf import settings
    from django.db import connections

    owner = settings.DATABASE_ROLES["owner"]
    connections["default"].close()
    connections["default"].settings_dict.update(
        {key: owner[key] for key in ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS")}
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as the migrations left it, copied once (see tracking.tests.snapshots)."""
    from django.db import connection

    from tracking.tests.snapshots import Snapshot

    global MIGRATED
    with django_db_blocker.unblock():
        MIGRATED = Snapshot(connection)
    return django_db_setup


MIGRATED = None


@pytest.fixture(scope="session")
def migrated_rows(django_db_setup):
    """The rows the migrations wrote, copied before any test ran: ``migrated_rows.put_back(connection)``
    makes the database exactly that again (tracking.tests.snapshots.Snapshot)."""
    return MIGRATED


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, made once per test process and put back by each module that reads it:

        with django_db_blocker.unblock(), transaction.atomic(), demo_rows.loaded(tmp_path):
            ...  # the demo rows, rolled back at the end

    (in a test with the ``db`` fixture, ``with demo_rows.loaded(tmp_path):`` is enough)."""
    from tracking.tests.snapshots import DemoRows

    with django_db_blocker.unblock():
        return DemoRows(MIGRATED, tmp_path_factory.mktemp("demo-media"))


@pytest.fixture
def as_app_role(transactional_db):
    """Django's own connection is the site's application role for the rest of a transactional
    test (the data the test makes included); the database is emptied as the owner after it."""
    from django.conf import settings
    from django.db import connections

    app, connection = settings.DATABASE_ROLES["app"], connections["default"]
    if app["USER"] == connection.settings_dict["USER"]:
        pytest.skip("one database role only: DATABASE_URL without MIGRATE_DATABASE_URL")
    keys = ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
    owner = {key: connection.settings_dict[key] for key in keys}
    connection.close()
    connection.settings_dict.update({key: app[key] for key in keys})
    yield
    connection.close()
    connection.settings_dict.update(owner)


@pytest.fixture
def app_db(db):
    """A psycopg connection (autocommit) to the test database as the site's application role."""
    import psycopg
    from django.conf import settings
    from django.db import connection

    app = settings.DATABASE_ROLES["app"]
    if app["USER"] == connection.settings_dict["USER"]:
        pytest.skip("one database role only: DATABASE_URL without MIGRATE_DATABASE_URL")
    params = {
        "dbname": connection.settings_dict["NAME"],
        "user": app["USER"],
        "password": app["PASSWORD"],
        "host": app["HOST"],
        "port": app["PORT"],
        **app["OPTIONS"],
    }
    with psycopg.connect(autocommit=True, **{key: value for key, value in params.items() if value}) as conn:
        yield conn


@pytest.fixture(autouse=True)
def _fresh_report_cache():
    """Rendered pages are cached per process; every test starts without any."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _fast_and_plain(settings):
    # Real hashing is deliberately slow; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The manifest storage needs `collectstatic` first; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def make_user(django_user_model):
    """make_user(username, roles=[...], unit="DLA-P50", **fields): a user with roles and a home unit."""
    from django.contrib.auth.models import Group

    from accounts.models import OrgUnit

    def make(username="somchai", password="Secret-pass-2569", roles=(), unit=None, **fields):
        if unit is not None and not isinstance(unit, OrgUnit):
            unit = OrgUnit.objects.get(code=unit)
        user = django_user_model.objects.create_user(
            username=username, password=password, org_unit=unit, **fields
        )
        if roles:
            user.groups.set(Group.objects.filter(name__in=roles))
        user.raw_password = password
        return user

    return make


@pytest.fixture
def member(make_user):
    """A signed-up person with no special rights."""
    return make_user(username="member", first_name="สมหญิง", last_name="รักงาน")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def english(client, settings):
    """Switch the client to English the way the language switch does."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def super_client(client, make_user):
    """A client signed in as a super admin, who may open every page."""
    client.force_login(make_user("super", roles=["super_admin"], unit="ALRO-ICT"))
    return client
