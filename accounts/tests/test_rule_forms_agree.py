"""The two forms of every access rule agree, on the demo data, for every persona.

``access.restrict(queryset, user, action)`` is the SQL form of a rule (which rows), ``access.can(user,
action, row)`` and the few one-row helpers views call without a query (``may_manage_project``,
``may_record``, ``report_rights``, ``recording_office``) its one-row form. For every registered rule,
every demo persona (one per role, the second-province twins, a person without a role, an inactive
account) and every action, can() agrees with restrict(), and the one-row helpers that decide without
a query say exactly what restrict() says on every demo row.

The demo is loaded once for the module, inside a transaction rolled back at the end. restrict() runs
once per rule, persona and action; can() (a query per row, none where the rule gives nothing) on
every demo row: about 670,000 calls, two to three minutes of the suite.
"""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts import access

TWINS = [
    "bureau_user_b",
    "province_user_b",
    "district_recorder_b",
    "province_confirmer_b",
    "province_sso_admin_b",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's users (by name) and rows, once for the module; rolled back at the end."""
    plain = override_settings(
        DEMO=True,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with plain, django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--password", "Demo-pass-2569", stdout=io.StringIO())
        from accounts.roles import Role

        names = [*Role.values, *TWINS]
        users = {u.username: u for u in get_user_model().objects.filter(username__in=names)}
        assert set(users) == set(names), set(names) - set(users)
        users["member"] = get_user_model().objects.create_user("member", password="Member-pass-2569")
        users["inactive"] = get_user_model().objects.create_user(
            "inactive", password="Member-pass-2569", is_active=False, org_unit=users["dla_admin"].org_unit
        )
        users["inactive"].groups.set(users["dla_admin"].groups.all())
        yield users
        transaction.set_rollback(True)


def rule_labels():
    return sorted(access._rules)


def test_every_registered_rule_is_a_model():
    for label in rule_labels():
        assert apps.get_model(label) is not None


@pytest.mark.django_db
@pytest.mark.parametrize("label", rule_labels())
def test_can_agrees_with_restrict_for_every_persona_action_and_row(demo, label):
    """can() on every demo row of the rule's model, for every persona and action, says what
    restrict() says of that row: can() is restrict() narrowed to the row, so a disagreement is a rule
    whose two forms have drifted apart."""
    model = apps.get_model(label)
    rows = list(model._default_manager.all())
    wrong = []
    for name, user in demo.items():
        for action in access.ACTIONS:
            allowed = allowed_pks(label, user, action)
            assert allowed <= {row.pk for row in rows}
            wrong += [
                f"{name} {action} row {row.pk}: can() says {row.pk not in allowed}"
                for row in rows
                if access.can(user, action, row) is not (row.pk in allowed)
            ]
    assert not wrong, f"{label}:\n" + "\n".join(wrong[:40])


def allowed_pks(model_label, user, action):
    model = apps.get_model(model_label)
    return set(access.restrict(model._default_manager.all(), user, action).values_list("pk", flat=True))


@pytest.mark.django_db
def test_may_manage_project_is_can_change_project(demo):
    from projects.models import Project

    projects = list(Project.objects.all())
    assert projects
    for name, user in demo.items():
        allowed = allowed_pks("projects.project", user, access.CHANGE)
        assert {p.pk for p in projects if access.may_manage_project(user, p)} == allowed, name


@pytest.mark.django_db
def test_may_record_and_recording_office_are_can_change_submission(demo):
    from workload.models import Submission

    submissions = list(Submission.objects.all())
    assert submissions
    for name, user in demo.items():
        allowed = allowed_pks("workload.submission", user, access.CHANGE)
        assert {s.pk for s in submissions if access.may_record(user, s)} == allowed, name
        office = access.recording_office(user)
        assert {s.pk for s in submissions if office is not None and s.office_id == office.pk} == allowed, name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model_name", access.UNIT_REPORTED + access.FINANCE_REPORTED + access.SHARED_REPORTED
)
def test_report_rights_are_can_change_the_progress_rows(demo, model_name):
    """report_rights(user)(model, assigned unit) decides the forms of a project's page without a query:
    on every demo row it says what restrict() says for adding and changing that kind of row."""
    model = apps.get_model("progress", model_name)
    rows = list(model._default_manager.select_related("activity_unit__activity__project"))
    for name, user in demo.items():
        may = access.report_rights(user)
        one_row = {row.pk for row in rows if may(model_name, row.activity_unit)}
        for action in (access.ADD, access.CHANGE):
            assert one_row == allowed_pks(f"progress.{model_name}", user, action), (name, action)
