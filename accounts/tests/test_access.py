"""accounts.access for the accounts models: every role, own vs another province."""

import pytest
from guardian.shortcuts import assign_perm

from accounts import access
from accounts.models import OrgUnit, User
from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    """Users of Chiang Mai (50) and Chiang Rai (57), DLA and ALRO, one per role."""
    return {
        "super": make_user("super", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT"),
        "sso": make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50"),
        "sso_b": make_user("sso_b", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P57"),
        "confirmer": make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"),
        "recorder": make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"),
        "recorder_b": make_user("recorder_b", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5701"),
        "dla_admin": make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD"),
        "province_user": make_user("province_user", roles=[Role.PROVINCE_USER], unit="ALRO-P50"),
        "viewer": make_user("viewer", roles=[Role.REPORT_VIEWER], unit="ALRO-KTP"),
        "no_role": make_user("no_role", unit="DLA-D5002"),
    }


def visible(user, action="view"):
    return set(User.objects.visible_to(user, action).values_list("username", flat=True))


def test_super_admin_sees_and_changes_everyone(people):
    everyone = set(User.objects.values_list("username", flat=True))
    for action in access.ACTIONS:
        assert visible(people["super"], action) == everyone


def test_sso_admin_manages_dla_accounts_of_own_province_only(people):
    for action in ("view", "change"):
        assert visible(people["sso"], action) == {"sso", "confirmer", "recorder", "no_role"}
    # Another province's people, ALRO people and other admins stay out of reach.
    assert "recorder_b" not in visible(people["sso"])
    assert "province_user" not in visible(people["sso"])
    assert visible(people["sso_b"]) == {"sso_b", "recorder_b"}
    assert visible(people["sso"], "delete") == set()


@pytest.mark.parametrize("name", ["confirmer", "recorder", "dla_admin", "province_user", "viewer", "no_role"])
def test_other_roles_see_and_change_only_themselves(people, name):
    assert visible(people[name]) == {name}
    assert visible(people[name], "change") == {name}
    assert visible(people[name], "delete") == set()


def test_anonymous_and_inactive_users_see_nothing(people, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
    people["super"].is_active = False
    assert visible(people["super"]) == set()


def test_can_answers_for_one_row(people):
    assert access.can(people["sso"], "change", people["recorder"])
    assert not access.can(people["sso"], "change", people["recorder_b"])
    assert not access.can(people["recorder"], "view", people["confirmer"])


def test_guardian_grant_adds_one_row(people):
    assign_perm("accounts.view_user", people["viewer"], people["recorder_b"])
    assert visible(people["viewer"]) == {"viewer", "recorder_b"}
    assert visible(people["viewer"], "change") == {"viewer"}


def test_units_are_readable_by_all_and_changed_by_super_admin_only(people):
    total = OrgUnit.objects.count()
    for person in people.values():
        assert OrgUnit.objects.visible_to(person).count() == total
    assert OrgUnit.objects.visible_to(people["super"], "change").count() == total
    assert OrgUnit.objects.visible_to(people["sso"], "change").count() == 0


def test_unknown_action_is_an_error(people):
    with pytest.raises(ValueError):
        User.objects.visible_to(people["super"], "publish")


@pytest.mark.django_db
def test_quick_checks_agree_with_the_rules(make_user):
    """may_manage_project and may_record answer without a query what can() answers with one."""
    from guardian.shortcuts import assign_perm

    from accounts.models import OrgUnit
    from projects.models import Project
    from workload.models import Questionnaire, Submission

    owner = OrgUnit.objects.get(code="ALRO-SPP")
    projects = [
        Project.objects.create(
            fiscal_year=2570, funding_source=source, code=f"Q-{source}", name="ก", owner_unit=owner
        )
        for source in ("budget_act", "land_reform_fund")
    ]
    questionnaire = Questionnaire.objects.create(
        fiscal_year=2570, opens_on="2026-10-01", closes_on="2027-09-30"
    )
    submissions = [
        Submission.objects.create(questionnaire=questionnaire, office=OrgUnit.objects.get(code=code))
        for code in ("DLA-D5001", "DLA-D5701")
    ]
    people = [
        make_user(f"u{i}", roles=[role], unit=unit)
        for i, (role, unit) in enumerate([
            ("super_admin", "ALRO-ICT"), ("admin_all", "ALRO-KTP"), ("admin_fund", "ALRO-SBT"),
            ("finance_budget", "ALRO-SBK"), ("province_user", "ALRO-P50"), ("district_recorder", "DLA-D5001"),
            ("province_confirmer", "DLA-P50"), ("dla_admin", "DLA-PSD"),
        ])
    ]  # fmt: skip
    granted = make_user("granted", roles=["province_user"], unit="ALRO-P50")
    assign_perm("projects.change_project", granted, projects[0])
    for user in [*people, granted]:
        for project in projects:
            assert access.may_manage_project(user, project) == access.can(user, access.CHANGE, project), user
        for submission in submissions:
            assert access.may_record(user, submission) == access.can(user, access.CHANGE, submission), user
    assert access.may_manage_project(granted, projects[0]) and not access.may_manage_project(
        granted, projects[1]
    )
