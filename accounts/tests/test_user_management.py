"""Super admins manage every account; a province's SSO admin only the DLA accounts of its province."""

import pytest
from django.urls import reverse

from accounts.models import OrgUnit, User
from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {
        "super": make_user("super", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT"),
        "sso": make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50"),
        "sso_b": make_user("sso_b", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P57"),
        "recorder": make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"),
        "recorder_b": make_user("recorder_b", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5701"),
        "confirmer": make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"),
        "province_user": make_user("province_user", roles=[Role.PROVINCE_USER], unit="ALRO-P50"),
    }


def unit(code):
    return OrgUnit.objects.get(code=code).pk


def new_account(**overrides):
    data = {
        "username": "kanda.p",
        "password1": "Amphoe-2569-rec",
        "password2": "Amphoe-2569-rec",
        "first_name": "กานดา",
        "last_name": "ประเสริฐ",
        "position": "นักวิชาการส่งเสริมการปกครองท้องถิ่นปฏิบัติการ",
        "phone": "0891234567",
        "email": "",
        "org_unit": unit("DLA-D5002"),
        "roles": [Role.DISTRICT_RECORDER],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_sso_admin_lists_only_own_province_dla_accounts(client, people):
    client.force_login(people["sso"])
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert "recorder" in body and "confirmer" in body
    assert "recorder_b" not in body and "province_user" not in body


def test_sso_admin_creates_a_district_recorder_in_own_province(client, people):
    client.force_login(people["sso"])
    response = client.post(reverse("accounts:user_create"), new_account())
    assert response.status_code == 302, response.content.decode()
    created = User.objects.get(username="kanda.p")
    assert created.org_unit.code == "DLA-D5002"
    assert list(created.groups.values_list("name", flat=True)) == [Role.DISTRICT_RECORDER]
    assert created.check_password("Amphoe-2569-rec")


def test_sso_admin_cannot_create_in_another_province_or_grant_other_roles(client, people):
    client.force_login(people["sso"])
    response = client.post(reverse("accounts:user_create"), new_account(org_unit=unit("DLA-D5701")))
    assert response.status_code == 200  # the unit is not among the choices
    response = client.post(reverse("accounts:user_create"), new_account(roles=[Role.SUPER_ADMIN]))
    assert response.status_code == 200
    response = client.post(
        reverse("accounts:user_create"), new_account(org_unit=unit("ALRO-P50"), roles=[Role.PROVINCE_USER])
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="kanda.p").exists()


def test_role_must_fit_the_unit(client, people):
    client.force_login(people["sso"])
    response = client.post(reverse("accounts:user_create"), new_account(roles=[Role.PROVINCE_CONFIRMER]))
    assert response.status_code == 200
    assert "ไม่ตรงกับหน่วยงาน" in response.content.decode()
    assert not User.objects.filter(username="kanda.p").exists()


def test_sso_admin_revokes_and_grants_roles_in_own_province(client, people):
    client.force_login(people["sso"])
    data = new_account(org_unit=unit("DLA-P50"), roles=[])
    del data["username"], data["password1"], data["password2"]
    response = client.post(reverse("accounts:user_edit", args=[people["confirmer"].pk]), data)
    assert response.status_code == 302
    assert not people["confirmer"].groups.exists()


def test_sso_admin_gets_404_for_other_province_accounts(client, people):
    client.force_login(people["sso"])
    for name in ("recorder_b", "province_user", "sso_b", "super"):
        pk = people[name].pk
        assert client.get(reverse("accounts:user_edit", args=[pk])).status_code == 404
        assert (
            client.post(
                reverse("accounts:user_password", args=[pk]), {"password1": "x", "password2": "x"}
            ).status_code
            == 404
        )


def test_sso_admin_resets_a_password_in_own_province(client, people):
    client.force_login(people["sso"])
    response = client.post(
        reverse("accounts:user_password", args=[people["recorder"].pk]),
        {"password1": "New-Pass-2569!", "password2": "New-Pass-2569!"},
    )
    assert response.status_code == 302
    people["recorder"].refresh_from_db()
    assert people["recorder"].check_password("New-Pass-2569!")


def test_weak_new_password_is_refused_in_thai(client, people):
    client.force_login(people["sso"])
    response = client.post(
        reverse("accounts:user_password", args=[people["recorder"].pk]),
        {"password1": "1234", "password2": "1234"},
    )
    assert response.status_code == 200
    people["recorder"].refresh_from_db()
    assert people["recorder"].check_password(people["recorder"].raw_password)


def test_managers_cannot_edit_themselves(client, people):
    client.force_login(people["sso"])
    assert client.get(reverse("accounts:user_edit", args=[people["sso"].pk])).status_code == 403


@pytest.mark.parametrize("name", ["recorder", "confirmer", "province_user"])
def test_other_roles_get_403(client, people, name):
    client.force_login(people[name])
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.post(reverse("accounts:user_create"), new_account()).status_code == 403
    assert client.get(reverse("accounts:user_edit", args=[people["recorder"].pk])).status_code == 403
    assert not User.objects.filter(username="kanda.p").exists()


def test_super_admin_manages_any_account_and_role(client, people):
    client.force_login(people["super"])
    response = client.post(
        reverse("accounts:user_create"),
        new_account(org_unit=unit("ALRO-SBT"), roles=[Role.FINANCE_FUND]),
    )
    assert response.status_code == 302
    created = User.objects.get(username="kanda.p")
    assert created.funding_sources == ["land_reform_fund"]


def test_user_list_query_count_is_fixed(client, people, make_user, django_assert_num_queries):
    for index in range(6):
        make_user(f"extra{index}", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5003")
    client.force_login(people["sso"])
    # session, user with their unit, roles, count, page, roles of the page's users
    with django_assert_num_queries(6):
        client.get(reverse("accounts:user_list"))


def test_long_unit_lists_can_be_narrowed(client, people):
    client.force_login(people["super"])
    assert 'name="province"' in client.get(reverse("accounts:user_create")).content.decode()
    client.force_login(people["sso"])  # about 27 units of one province: no need
    assert 'name="province"' not in client.get(reverse("accounts:user_create")).content.decode()
