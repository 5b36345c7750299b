"""Settings come from the environment; production settings pass the deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from tracking.settings import database_from_url, env_bool

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    """Run manage.py in a clean environment holding only ``env`` (no .env file)."""
    full_env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "/nonexistent",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "") or current_database_url(),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def current_database_url():
    db = settings.DATABASES["default"]
    return f"postgresql://{db['USER']}@/{db['NAME']}?host={db['HOST']}&port={db['PORT']}"


PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "p7Yq2-very-long-and-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "tracking.example.go.th",
    "CSRF_TRUSTED_ORIGINS": "https://tracking.example.go.th",
    "SECURE_HSTS_PRELOAD": "1",
}


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_complains_when_https_is_switched_off():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, HTTPS="0")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_secret_key_is_required_without_debug():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_url_is_parsed():
    db = database_from_url("postgresql://app:s%40cret@db.example:6543/tracking_prod?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app",
        "s@cret",
        "db.example",
        "6543",
        "tracking_prod",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def database_user(*args, **env):
    """The database user ``manage.py ARGS`` would connect as (the command itself is not run)."""
    full_env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "/nonexistent",
        "DEBUG": "1",
        "DATABASE_URL": "postgresql://site@db.internal:5432/tracking",
        "MIGRATE_DATABASE_URL": "postgresql://schema_owner@db.internal:5432/tracking",
        **env,
    }
    script = (
        "import os, sys, manage\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tracking.settings')\n"
        "import django.core.management as m\n"
        "m.execute_from_command_line = lambda argv: print(__import__('django.conf').conf.settings"
        ".DATABASES['default']['USER'])\n"
        "sys.argv = ['manage.py', *sys.argv[1:]]\n"
        "manage.main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=BASE_DIR, env=full_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_site_connects_as_the_application_role_and_migrations_as_the_owner():
    assert database_user("shell") == "site"
    assert database_user("check") == "site"
    for command in ("migrate", "createcachetable", "backup", "restore", "serve"):
        assert database_user(command) == "schema_owner"
    assert database_user("shell", DATABASE_ROLE="owner") == "schema_owner"
    # Without MIGRATE_DATABASE_URL one role does both, as before the split.
    assert database_user("migrate", MIGRATE_DATABASE_URL="") == "site"


def test_database_url_with_socket_directory():
    db = database_from_url("postgresql://postgres@/tracking?host=/run/postgresql")
    assert db["HOST"] == "/run/postgresql"
    assert db["NAME"] == "tracking"


def test_database_url_must_be_postgresql():
    with pytest.raises(ImproperlyConfigured):
        database_from_url("sqlite:///db.sqlite3")


def test_boolean_variables_are_strict(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG", False)


@pytest.mark.django_db
def test_tests_run_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


def test_thai_first_settings():
    assert settings.LANGUAGE_CODE == "th"
    assert settings.TIME_ZONE == "Asia/Bangkok"
    assert [code for code, _name in settings.LANGUAGES] == ["th", "en"]
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_env_file_lines(tmp_path, monkeypatch):
    from tracking.settings import read_env_file

    env_file = tmp_path / ".env"
    env_file.write_text(
        "# comment\nA_ONE=1   # inline comment\nA_TWO='quoted # kept'\nA_THREE=\nA_FOUR=from-file\n",
        encoding="utf-8",
    )
    for key in ("A_ONE", "A_TWO", "A_THREE"):
        # Recorded as absent, so whatever the file sets is removed after the test.
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    monkeypatch.setenv("A_FOUR", "from-environment")
    read_env_file(env_file)
    assert os.environ["A_ONE"] == "1"
    assert os.environ["A_TWO"] == "quoted # kept"
    assert os.environ["A_THREE"] == ""
    assert os.environ["A_FOUR"] == "from-environment"


def _settings_with(**env):
    """The settings module as read with ``env`` (in a fresh interpreter, no .env file)."""
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'tracking.settings';"
        "from django.conf import settings as s;"
        "print(json.dumps({'dbs': sorted(s.DATABASES), 'routers': getattr(s, 'DATABASE_ROUTERS', []),"
        " 'storage': s.STORAGES['default']['BACKEND'], 'options': s.STORAGES['default'].get('OPTIONS', {}),"
        " 'sessions': s.SESSION_ENGINE, 'pages': s.CACHES['pages']['BACKEND'], 'apps': s.INSTALLED_APPS}))"
    )
    full_env = {"PATH": os.environ["PATH"], "ENV_FILE": "/nonexistent", "DEBUG": "1",
                "DATABASE_URL": "postgresql://u@db.internal:5432/tracking", **env}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=full_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    import json

    return json.loads(result.stdout)


def test_scale_out_switches_are_off_by_default():
    values = _settings_with()
    assert values["dbs"] == ["default"] and values["routers"] == []
    assert values["storage"].endswith("FileSystemStorage")
    assert values["sessions"].endswith(".db") and values["pages"].endswith("LocMemCache")


def test_scale_out_switches_turn_on_from_the_environment():
    values = _settings_with(
        DATABASE_REPLICA_URL="postgresql://ro@replica.internal:5432/tracking", MEDIA_STORAGE="s3",
        S3_BUCKET="tracking-media", S3_ENDPOINT_URL="https://s3.example.go.th", SESSION_STORE="cached_db",
        PAGE_CACHE="database",
    )  # fmt: skip
    assert values["dbs"] == ["default", "replica"]
    assert values["routers"] == ["tracking.routers.ReportsReplicaRouter"]
    assert values["storage"] == "storages.backends.s3.S3Storage"
    assert (
        values["options"]["bucket_name"] == "tracking-media" and values["options"]["default_acl"] == "private"
    )
    assert values["sessions"].endswith(".cached_db") and values["pages"].endswith("DatabaseCache")


def test_the_benchmark_is_not_an_installed_app_unless_switched_on():
    assert "bench" not in _settings_with()["apps"]
    assert "bench" not in _settings_with(**PRODUCTION_ENV)["apps"]
    assert _settings_with(BENCH="1")["apps"][-1] == "bench"


def test_the_replica_serves_only_the_reports_summaries():
    from accounts.models import User
    from progress.models import AssignmentFigures
    from tracking.routers import ReportsReplicaRouter
    from workload.models import SubmissionFigures

    router = ReportsReplicaRouter()
    assert router.db_for_read(AssignmentFigures) == router.db_for_read(SubmissionFigures) == "replica"
    assert router.db_for_read(User) is None
    assert router.db_for_write(AssignmentFigures) == "default"
    assert not router.allow_migrate("replica", "reports") and router.allow_migrate("default", "reports")


@pytest.mark.django_db
def test_health_check_for_load_balancers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
