"""Addresses typed before verification existed stop counting until their owner verifies them."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0008_audit_trail"), ("account", "0009_emailaddress_unique_primary_email")]
AFTER = [("accounts", "0009_verified_email_only")]


@pytest.fixture
def latest_schema_afterwards():
    """Put every app back on its latest migration, whatever the test stopped at: the tests that
    follow (and the serialized rollback) need today's columns. Through the migrate command, so its
    post-migrate steps run too (among them the app role's rights and the owner-only trigger ignore,
    which re-applied migrations would otherwise leave as django-pgtrigger installs it)."""
    yield
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unverified_addresses_leave_the_email_field(latest_schema_afterwards):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, EmailAddress = old.get_model("accounts", "User"), old.get_model("account", "EmailAddress")
    User.objects.create(username="typed", email="Typed@Example.go.th")
    claimed = User.objects.create(username="claimed", email="victim@example.go.th")
    EmailAddress.objects.create(user=claimed, email="victim@example.go.th", verified=False, primary=True)
    owner = User.objects.create(username="owner", email="owner@example.go.th")
    EmailAddress.objects.create(user=owner, email="owner@example.go.th", verified=True, primary=True)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    User, EmailAddress = new.get_model("accounts", "User"), new.get_model("account", "EmailAddress")
    emails = dict(
        User.objects.filter(username__in=["typed", "claimed", "owner"]).values_list("username", "email")
    )
    assert emails == {"typed": "", "claimed": "", "owner": "owner@example.go.th"}
    waiting = EmailAddress.objects.filter(verified=False).values_list("user__username", "email", "primary")
    assert sorted(waiting) == [
        ("claimed", "victim@example.go.th", False),
        ("typed", "typed@example.go.th", False),
    ]
