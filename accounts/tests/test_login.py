import json
import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from accounts.keyboard import TO_QWERTY, qwerty_to_thai, thai_to_qwerty
from accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"login": username, "password": password, **extra})


def test_login_with_username_and_password(client, member):
    response = post_login(client, "member", member.raw_password, next="/reports/")
    assert response.status_code == 302
    assert response["Location"] == "/reports/"
    assert client.get(reverse("accounts:index")).status_code == 200


def test_wrong_password_keeps_the_username_and_says_so_in_thai(client, member):
    response = post_login(client, "member", "wrong")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="member"' in body
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in body
    assert "_auth_user_id" not in client.session


def test_unknown_user_gets_the_same_message_as_a_wrong_password(client, member):
    wrong_password = post_login(client, "member", "wrong").context["form"].non_field_errors()
    unknown_user = post_login(client, "nobody", "wrong").context["form"].non_field_errors()
    assert list(wrong_password) == list(unknown_user)


def test_password_typed_in_thai_mode_gets_a_keyboard_hint(client, make_user):
    make_user("somsri", password="asdf1234")
    # The same keys pressed with the keyboard in Thai (Kedmanee) mode.
    response = post_login(client, "somsri", "ฟหกดๅ/-ภ")
    body = response.content.decode()
    assert "แป้นพิมพ์อยู่ในผังภาษาไทย (เกษมณี)" in body
    assert "Alt+Shift" in body and "ปุ่ม ~ (Grave Accent" in body and "Windows+Space" in body
    assert "แสดงรหัสผ่านเมื่อพิมพ์ด้วยแป้นภาษาอังกฤษ" in body
    assert "_auth_user_id" not in client.session


def test_the_keyboard_hint_never_writes_the_english_equivalent_into_the_page(client, make_user):
    """The English-layout equivalent is nearly always the password: only the browser works it out."""
    password = "Kaset-2569!"
    make_user("somsri", password=password)
    typed_in_thai = qwerty_to_thai(password)
    response = post_login(client, "somsri", typed_in_thai)
    body = response.content.decode()
    assert "แสดงรหัสผ่านเมื่อพิมพ์ด้วยแป้นภาษาอังกฤษ" in body
    assert thai_to_qwerty(typed_in_thai) == password
    assert password not in body
    assert typed_in_thai not in body  # nor what was typed (the field is not filled back)
    # The key map the browser converts with is the one accounts.keyboard tests.
    block = re.search(r'<script id="thai-keyboard-map" type="application/json">(.*?)</script>', body, re.S)
    assert json.loads(block.group(1)) == TO_QWERTY


def test_no_keyboard_hint_for_an_english_password(client, member):
    body = post_login(client, "member", "wrong-password").content.decode()
    assert "เกษมณี" not in body
    assert "thai-keyboard-map" not in body


def test_no_keyboard_hint_when_signing_in_is_paused(client, member, settings):
    for _attempt in range(settings.LOGIN_FAILURES_PER_USER):
        post_login(client, "member", "wrong")
    body = post_login(client, "member", "ฟหกดๅ/-ภ").content.decode()
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้ง" in body
    assert "เกษมณี" not in body


def test_lock_out_after_repeated_failures_says_when_to_retry(client, member, settings):
    for _attempt in range(settings.LOGIN_FAILURES_PER_USER):
        post_login(client, "member", "wrong")
    # Even the right password is refused while locked out.
    response = post_login(client, "member", member.raw_password)
    assert response.status_code == 200
    body = response.content.decode()
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้ง" in body
    assert "น." in body  # the time to try again, Thai style
    assert "_auth_user_id" not in client.session


def test_lock_out_is_per_user(client, member, make_user, settings):
    other = make_user("other")
    for _attempt in range(settings.LOGIN_FAILURES_PER_USER):
        post_login(client, "member", "wrong")
    assert post_login(client, "other", other.raw_password).status_code == 302


def test_passwords_are_hashed_with_tuned_argon2id(settings, make_user):
    settings.PASSWORD_HASHERS = ["accounts.hashers.TunedArgon2PasswordHasher"]
    user = make_user("hashed")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert "$argon2id$" in user.password
    assert "m=19456,t=2,p=1" in user.password
    assert user.check_password(user.raw_password)


def test_admin_has_no_login_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2Faccounts%2Fuser%2F"
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_login_refuses_foreign_next(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2F"


def test_signed_in_non_staff_user_is_refused_by_the_admin(member_client):
    response = member_client.get("/admin/", follow=True)
    assert response.status_code == 403


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
    assert not User.objects.filter(username="intruder").exists()
    assert response.status_code == 200


def test_user_model_is_ours(django_user_model):
    assert django_user_model._meta.label == "accounts.User"


def test_no_sso_button_unless_configured(client):
    assert "sso-login" not in client.get(LOGIN).content.decode()


def test_sso_button_when_an_oidc_provider_is_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "dla-connect",
                    "name": "DLA Connect",
                    "client_id": "tracking",
                    "secret": "s3cret",
                    "settings": {"server_url": "https://sso.example.go.th/realms/dla"},
                }
            ]
        }
    }
    body = client.get(LOGIN).content.decode()
    assert "DLA Connect" in body
    assert "/accounts/oidc/dla-connect/login/" in body


def test_sso_never_creates_accounts(rf):
    from accounts.adapters import SocialAccountAdapter

    assert SocialAccountAdapter().is_open_for_signup(rf.get("/"), sociallogin=None) is False
