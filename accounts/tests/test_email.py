"""E-mail addresses count only once their owner has clicked the link mailed to them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import OrgUnit, User
from accounts.roles import Role

pytestmark = pytest.mark.django_db

EMAIL_PAGE = reverse("account_email")
RESET = reverse("account_reset_password")


def verified(user, email):
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    User.objects.filter(pk=user.pk).update(email=email)


def link_in(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_someone_elses_address_cannot_become_ones_primary(client, member, make_user):
    victim = make_user("victim")
    verified(victim, "victim@example.go.th")
    client.force_login(member)
    client.post(EMAIL_PAGE, {"action_add": "", "email": "victim@example.go.th"})
    client.post(EMAIL_PAGE, {"action_primary": "", "email": "victim@example.go.th"})
    member.refresh_from_db()
    assert member.email == ""
    assert not EmailAddress.objects.filter(user=member, primary=True).exists()


def test_an_unverified_address_cannot_become_primary(client, member):
    client.force_login(member)
    client.post(EMAIL_PAGE, {"action_add": "", "email": "new@example.go.th"})
    response = client.post(EMAIL_PAGE, {"action_primary": "", "email": "new@example.go.th"}, follow=True)
    member.refresh_from_db()
    assert member.email == ""
    assert EmailAddress.objects.get(user=member).primary is False
    assert "ยืนยัน" in response.content.decode()


def test_the_verification_link_makes_the_address_count(client, member, django_capture_on_commit_callbacks):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EMAIL_PAGE, {"action_add": "", "email": "Member@Example.go.th"})
    member.refresh_from_db()
    assert member.email == ""  # not yet
    [message] = mail.outbox
    assert message.to == ["member@example.go.th"]
    link = link_in(message)
    page = client.get(link)
    assert page.status_code == 200
    assert "member@example.go.th" in page.content.decode()
    client.post(link)
    member.refresh_from_db()
    assert member.email == "member@example.go.th"
    address = EmailAddress.objects.get(user=member)
    assert (address.verified, address.primary) == (True, True)


def test_changing_a_verified_address_keeps_the_old_one_until_the_new_one_is_verified(
    client, member, django_capture_on_commit_callbacks
):
    verified(member, "old@example.go.th")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EMAIL_PAGE, {"action_add": "", "email": "new@example.go.th"})
    member.refresh_from_db()
    assert member.email == "old@example.go.th"
    client.post(link_in(mail.outbox[-1]))
    member.refresh_from_db()
    assert member.email == "new@example.go.th"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "new@example.go.th"
    ]


def test_an_address_verified_by_another_account_cannot_be_verified_again(
    client, member, make_user, django_capture_on_commit_callbacks
):
    verified(make_user("owner"), "shared@example.go.th")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EMAIL_PAGE, {"action_add": "", "email": "shared@example.go.th"})
    if mail.outbox:
        client.post(link_in(mail.outbox[-1]))
    member.refresh_from_db()
    assert member.email == ""
    assert not EmailAddress.objects.filter(user=member, verified=True).exists()


def test_the_database_refuses_two_accounts_with_the_same_verified_address(make_user):
    first, second = make_user("first"), make_user("second")
    EmailAddress.objects.create(user=first, email="same@example.go.th", verified=True)
    EmailAddress.objects.create(user=second, email="same@example.go.th", verified=False)  # waiting: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAddress.objects.create(user=make_user("third"), email="SAME@example.go.th", verified=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAddress.objects.filter(user=second).update(verified=True)


def test_the_database_refuses_two_accounts_with_the_same_email_field(make_user):
    make_user("first", email="same@example.go.th")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("second", email="Same@Example.go.th")
    make_user("third", email="")
    make_user("fourth", email="")  # no address is no conflict


def test_password_reset_goes_only_to_a_verified_address(
    client, make_user, django_capture_on_commit_callbacks
):
    verified(make_user("verified"), "verified@example.go.th")
    # Typed by someone, never verified: the old e-mail field, and an address waiting for its click.
    make_user("typed", email="typed@example.go.th")
    waiting = make_user("waiting")
    EmailAddress.objects.create(user=waiting, email="waiting@example.go.th", verified=False)
    responses = {}
    for email in ["verified@example.go.th", "typed@example.go.th", "waiting@example.go.th", "nobody@x.go.th"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(RESET, {"email": email})
        responses[email] = (response.status_code, response["Location"])
    assert [message.to for message in mail.outbox] == [["verified@example.go.th"]]
    # The page says the same whoever the address belongs to.
    assert len(set(responses.values())) == 1


def test_an_address_set_by_an_administrator_waits_for_its_owner(
    client, make_user, django_capture_on_commit_callbacks
):
    sso = make_user("sso", roles=[Role.PROVINCE_SSO_ADMIN], unit="DLA-P50")
    recorder = make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001")
    verified(recorder, "recorder@example.go.th")
    client.force_login(sso)
    data = {
        "first_name": "กานดา",
        "last_name": "ประเสริฐ",
        "position": "",
        "phone": "",
        "email": "someone.else@example.go.th",
        "org_unit": OrgUnit.objects.get(code="DLA-D5001").pk,
        "roles": [Role.DISTRICT_RECORDER],
        "is_active": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_edit", args=[recorder.pk]), data)
    assert response.status_code == 302, response.content.decode()
    recorder.refresh_from_db()
    assert recorder.email == "recorder@example.go.th"  # still the verified one
    assert EmailAddress.objects.get(user=recorder, verified=False).email == "someone.else@example.go.th"
    [message] = mail.outbox
    assert message.to == ["someone.else@example.go.th"]
    # The form shows the address waiting for its click, so saving again mails nothing more.
    form = client.get(reverse("accounts:user_edit", args=[recorder.pk])).context["form"]
    assert form.initial["email"] == "someone.else@example.go.th"


def test_an_address_from_an_access_request_waits_for_its_owner(
    client, make_user, django_capture_on_commit_callbacks
):
    from accounts.models import AccessRequest

    request = AccessRequest.objects.create(
        username="wichai.s",
        password_hash="!",
        first_name="วิชัย",
        last_name="ศรีสุข",
        position="นักวิชาการ",
        phone="0812345678",
        email="wichai@example.go.th",
        org_unit=OrgUnit.objects.get(code="DLA-D5001"),
        role=Role.DISTRICT_RECORDER,
    )
    client.force_login(make_user("super", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:access_request_approve", args=[request.pk]))
    user = User.objects.get(username="wichai.s")
    assert user.email == ""
    assert EmailAddress.objects.get(user=user).verified is False
    assert [message.to for message in mail.outbox] == [["wichai@example.go.th"]]


def test_sso_matches_only_a_verified_address(make_user, rf, monkeypatch):
    from allauth.account.models import EmailAddress as Address
    from allauth.socialaccount.models import SocialLogin

    from accounts.adapters import SocialAccountAdapter

    adapter = SocialAccountAdapter(rf.get("/"))
    monkeypatch.setattr(adapter, "can_authenticate_by_email", lambda sociallogin, email: True)
    waiting = make_user("waiting", email="")
    EmailAddress.objects.create(user=waiting, email="claimed@example.go.th", verified=False)
    make_user("typed", email="typed@example.go.th")
    login = SocialLogin(
        email_addresses=[
            Address(email="claimed@example.go.th", verified=True),
            Address(email="typed@example.go.th", verified=True),
        ]
    )
    assert adapter.authenticate_by_email(login) is None
    owner = make_user("owner")
    verified(owner, "claimed2@example.go.th")
    login = SocialLogin(email_addresses=[Address(email="Claimed2@example.go.th", verified=True)])
    assert adapter.authenticate_by_email(login) == (owner, "Claimed2@example.go.th")


def test_the_email_page_is_the_sites_own_in_thai(member_client):
    body = member_client.get(EMAIL_PAGE).content.decode()
    assert 'class="site-header"' in body
    assert "<h1>อีเมล</h1>" in body


def test_the_reset_pages_are_the_sites_own_and_say_the_same_for_any_address(client):
    page = client.get(RESET).content.decode()
    assert 'class="site-header"' in page and "<h1>ลืมรหัสผ่าน</h1>" in page
    done = client.post(RESET, {"email": "nobody@example.go.th"}, follow=True).content.decode()
    assert "หากอีเมลนี้ได้รับการยืนยันไว้กับบัญชีใด" in done
