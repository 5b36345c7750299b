"""allauth's password pages in the site's layout and Thai, with the password rules in Thai once."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

THAI_RULES = [
    "รหัสผ่านต้องมีความยาวอย่างน้อย 8 ตัวอักษร",
    "รหัสผ่านต้องไม่คล้ายกับข้อมูลส่วนตัวอื่นของท่าน",
    "รหัสผ่านต้องไม่ใช่รหัสผ่านที่คนทั่วไปนิยมใช้",
    "รหัสผ่านต้องไม่เป็นตัวเลขทั้งหมด",
]
ENGLISH_RULES = [
    "Your password can’t be too similar",
    "Your password must contain at least",
    "commonly used password",
    "entirely numeric",
]


def in_site_layout(body):
    return 'class="site-header"' in body and 'class="card card-narrow"' in body and '<html lang="th">' in body


def assert_thai_password_page(response, heading):
    assert response.status_code == 200
    body = response.content.decode()
    assert in_site_layout(body)
    assert re.search(rf"<h1>\s*{heading}\s*</h1>", body)
    for rule in THAI_RULES:
        assert body.count(rule) == 1, rule
    for english in ENGLISH_RULES:
        assert english not in body
    assert "Password" not in re.sub(r"<[^>]+>", "", body)  # no English label or button left
    return body


def reset_link(user):
    return reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )


def test_password_change_page_is_in_the_site_layout_and_thai(member_client):
    body = assert_thai_password_page(member_client.get(reverse("account_change_password")), "เปลี่ยนรหัสผ่าน")
    assert "รหัสผ่านปัจจุบัน" in body
    assert "ลืมรหัสผ่าน?" in body


def test_password_change_refuses_a_weak_password_in_thai(member_client, member):
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": member.raw_password, "password1": "12345678", "password2": "12345678"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "รหัสผ่านนี้" in body or "รหัสผ่าน" in body
    with translation.override("th"):
        assert translation.gettext("This password is entirely numeric.") in body
    assert "This password" not in body
    member.refresh_from_db()
    assert member.check_password(member.raw_password)


def test_password_change_with_two_different_passwords_says_so_in_thai(member_client, member):
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": member.raw_password, "password1": "Kaset-2569-ok", "password2": "Kaset-2569-no"},
    )
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in response.content.decode()


def test_password_change_works(member_client, member):
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": member.raw_password, "password1": "Kaset-2569-ok", "password2": "Kaset-2569-ok"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Kaset-2569-ok")


def test_password_set_page_is_for_an_sso_account_without_password(client, make_user):
    user = make_user("sso-only")
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    assert_thai_password_page(client.get(reverse("account_set_password")), "ตั้งรหัสผ่าน")


def test_a_user_with_a_password_is_sent_from_set_to_change(member_client):
    response = member_client.get(reverse("account_set_password"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")


def test_password_reset_from_key_page_is_in_the_site_layout_and_thai(client, member):
    response = client.get(reset_link(member), follow=True)
    assert_thai_password_page(response, "ตั้งรหัสผ่านใหม่")


def test_password_reset_from_key_sets_the_password_and_says_so_in_thai(client, member):
    form_page = client.get(reset_link(member), follow=True)
    action = form_page.redirect_chain[-1][0]
    response = client.post(action, {"password1": "Kaset-2569-ok", "password2": "Kaset-2569-ok"}, follow=True)
    body = response.content.decode()
    assert in_site_layout(body)
    assert "ตั้งรหัสผ่านใหม่เรียบร้อยแล้ว" in body
    member.refresh_from_db()
    assert member.check_password("Kaset-2569-ok")


def test_a_used_or_wrong_reset_link_says_so_in_thai(client, member):
    url = reverse(
        "account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(member), "key": "x-y"}
    )
    body = client.get(url).content.decode()
    assert in_site_layout(body)
    assert "ลิงก์รีเซ็ตรหัสผ่านนี้ใช้ไม่ได้" in body
    assert "Bad Token" not in body


def test_reauthenticate_page_is_in_the_site_layout_and_thai(member_client):
    body = member_client.get(reverse("account_reauthenticate")).content.decode()
    assert in_site_layout(body)
    assert "ยืนยันตัวตน" in body
    assert "Confirm Access" not in body and "AddrAccess" not in body


@pytest.mark.parametrize(
    ("name", "thai"),
    [
        ("account_inactive", "บัญชีถูกระงับการใช้งาน"),
        ("account_signup", "บัญชีผู้ใช้สร้างโดยผู้ดูแลระบบ"),
        ("account_email_verification_sent", "ระบบได้ส่งอีเมลที่มีลิงก์"),
        ("account_reset_password_done", "ลืมรหัสผ่าน"),
        ("socialaccount_login_cancelled", "ยกเลิกการเข้าสู่ระบบแบบ SSO"),
    ],
)
def test_other_account_pages_are_in_the_site_layout_and_thai(client, name, thai):
    body = client.get(reverse(name)).content.decode()
    assert in_site_layout(body)
    assert thai in body


def test_a_failed_single_sign_on_is_told_in_thai_in_the_site_layout(member_client):
    response = member_client.get(reverse("socialaccount_login_error"))
    body = response.content.decode()
    assert response.status_code == 401
    assert in_site_layout(body)
    assert "เข้าสู่ระบบแบบ SSO ไม่สำเร็จ" in body
    assert "Third-Party" not in body


def test_the_reset_mail_is_thai_and_spelt_right(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    member.email = "member@example.go.th"
    member.save()
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": member.email})
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "รีเซ็ตรหัสผ่าน"
    assert "มีการขอรีเซ็ตรหัสผ่านของบัญชี member" in mail.body
    assert "รีเซ็ท" not in mail.subject + mail.body
    assert "You're receiving" not in mail.body


def test_no_thai_message_says_reset_with_the_misspelling():
    """รีเซ็ต, not "รีเซ็ท" (allauth's Thai): our catalogue overrides each of its messages."""
    with translation.override("th"):
        catalogue = translation.trans_real.translation("th")._catalog
        # items() walks every catalogue (ours, allauth's, Django's); gettext gives the one that wins.
        singular = {key for key, _text in catalogue.items() if isinstance(key, str)}
        misspelt = [key for key in singular if "รีเซ็ท" in translation.gettext(key)]
    assert misspelt == []


def rules_listed_once_in_thai(body):
    return all(body.count(rule) == 1 for rule in THAI_RULES) and not any(e in body for e in ENGLISH_RULES)


def test_the_access_request_page_lists_the_password_rules_in_thai(client):
    assert rules_listed_once_in_thai(client.get(reverse("accounts:request_access")).content.decode())


def test_the_pages_where_an_administrator_sets_a_password_list_the_rules_in_thai(super_client, member):
    assert rules_listed_once_in_thai(super_client.get(reverse("accounts:user_create")).content.decode())
    page = super_client.get(reverse("accounts:user_password", args=[member.pk])).content.decode()
    assert rules_listed_once_in_thai(page)
    # Editing an account sets no password: no rules there.
    edit = super_client.get(reverse("accounts:user_edit", args=[member.pk])).content.decode()
    assert THAI_RULES[0] not in edit
