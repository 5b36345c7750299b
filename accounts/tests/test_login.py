import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_with_username_and_password(client, member):
    response = client.post(
        reverse("account_login"), {"login": "member", "password": member.raw_password, "next": "/reports/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    assert client.get(reverse("accounts:index")).status_code == 200


def test_wrong_password_keeps_the_username_and_says_so_in_thai(client, member):
    response = client.post(reverse("account_login"), {"login": "member", "password": "wrong"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="member"' in body
    assert "alert-error" in body
    assert "_auth_user_id" not in client.session


def test_logout_asks_for_confirmation(member_client):
    response = member_client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert "ต้องการออกจากระบบใช่หรือไม่" in response.content.decode()
    assert "_auth_user_id" in member_client.session
    response = member_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_open_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "intruder", "password1": "x-Long-pass-1", "password2": "x-Long-pass-1"},
    )
    from accounts.models import User

    assert not User.objects.filter(username="intruder").exists()
    assert response.status_code == 200


def test_user_model_is_ours(django_user_model):
    assert django_user_model._meta.label == "accounts.User"
