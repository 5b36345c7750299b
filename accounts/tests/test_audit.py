"""The audit trail is written by the database: bulk updates and deletes are caught, with who and where."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from pghistory.models import MiddlewareEvents

from accounts.models import AccessRequestEvent, OrgUnit, OrgUnitEvent, User, UserEvent, UserRoleEvent
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_bulk_update_is_recorded_with_before_and_after(make_user):
    person = make_user("somchai", first_name="สมชาย")
    User.objects.filter(pk=person.pk).update(first_name="สมชัย")
    events = UserEvent.objects.filter(pgh_obj_id=person.pk).order_by("pgh_id")
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert [e.first_name for e in events] == ["สมชาย", "สมชัย"]
    diff = (
        MiddlewareEvents.objects.filter(pgh_obj_model="accounts.User", pgh_obj_id=str(person.pk))
        .order_by("pgh_created_at", "pgh_id")
        .last()
        .pgh_diff
    )
    assert diff["first_name"] == ["สมชาย", "สมชัย"]


def test_passwords_are_never_copied_into_the_trail(make_user):
    person = make_user("somchai")
    person.set_password("Another-pass-2569")
    person.save()
    assert not hasattr(UserEvent, "password") or "password" not in [f.name for f in UserEvent._meta.fields]
    assert "password_hash" not in [f.name for f in AccessRequestEvent._meta.fields]


def test_deletes_of_units_are_recorded():
    unit = OrgUnit.objects.create(
        agency="alro",
        kind="central",
        code="ALRO-TMP",
        name_th="กลุ่มงานชั่วคราว",
        parent=OrgUnit.objects.get(code="ALRO"),
    )
    unit_pk = unit.pk
    OrgUnit.objects.filter(pk=unit_pk).delete()
    assert list(
        OrgUnitEvent.objects.filter(pgh_obj_id=unit_pk).values_list("pgh_label", flat=True).order_by("pgh_id")
    ) == [
        "insert",
        "delete",
    ]


def test_role_grants_and_revocations_are_recorded(make_user):
    person = make_user("somchai", unit="DLA-D5001")
    recorder = Group.objects.get(name=Role.DISTRICT_RECORDER)
    person.groups.add(recorder)
    person.groups.remove(recorder)
    labels = list(
        UserRoleEvent.objects.filter(user=person).order_by("pgh_id").values_list("pgh_label", flat=True)
    )
    assert labels == ["role.granted", "role.revoked"]


def test_changes_made_through_a_page_carry_the_user_and_url(client, make_user):
    sso = make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50")
    target = make_user("target", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001", first_name="เดิม")
    client.force_login(sso)
    client.post(
        reverse("accounts:user_edit", args=[target.pk]),
        {
            "first_name": "ใหม่",
            "last_name": "ทดสอบ",
            "position": "",
            "phone": "",
            "email": "",
            "org_unit": target.org_unit_id,
            "roles": [Role.DISTRICT_RECORDER],
            "is_active": "on",
        },
    )
    event = MiddlewareEvents.objects.filter(
        pgh_obj_model="accounts.User", pgh_obj_id=str(target.pk), pgh_label="update"
    ).latest("pgh_created_at")
    assert event.pgh_diff["first_name"] == ["เดิม", "ใหม่"]
    assert str(event.user) == str(sso.pk) or getattr(event.user, "pk", None) == sso.pk
    assert event.url == reverse("accounts:user_edit", args=[target.pk])


def test_super_admin_sees_the_history_from_the_admin(client, make_user):
    admin = make_user("boss", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT", is_staff=True, is_superuser=True)
    target = make_user("target", first_name="เดิม")
    User.objects.filter(pk=target.pk).update(first_name="ใหม่")
    client.force_login(admin)
    change_page = client.get(reverse("admin:accounts_user_change", args=[target.pk])).content.decode()
    assert "events-admin" in change_page
    history = client.get(
        reverse("admin:pghistory_middlewareevents_changelist"), {"obj": f"accounts.User:{target.pk}"}
    )
    assert history.status_code == 200
    assert "ใหม่" in history.content.decode()
