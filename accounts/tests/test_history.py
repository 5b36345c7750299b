"""An account's history: changes and roles granted or revoked, for its person and its managers."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_own_history_shows_roles_granted_by_their_thai_label(client, make_user):
    person = make_user("somsri", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001")
    person.groups.add(Group.objects.get(name=Role.DLA_ADMIN))
    client.force_login(person)
    page = client.get(reverse("accounts:user_history", args=[person.pk])).content.decode()
    assert "ได้รับสิทธิ์" in page
    assert str(Role.DLA_ADMIN.label) in page


def test_another_persons_history_is_404_unless_managing_them(client, make_user):
    person = make_user("somsri", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001")
    other = make_user("somchai", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5002")
    client.force_login(other)
    assert client.get(reverse("accounts:user_history", args=[person.pk])).status_code == 404
    client.force_login(make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50"))
    assert client.get(reverse("accounts:user_history", args=[person.pk])).status_code == 200
