"""Agency single sign-on against a real OpenID Connect provider run by the test (oidc_provider.py).

An SSO identity signs in only the user it was linked to, found by the provider's
subject id; an identity nobody linked signs nobody in, whatever e-mail it asserts.
"""

from urllib.parse import urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from pghistory.models import MiddlewareEvents

from accounts.models import SocialAccountEvent, User
from accounts.tests.oidc_provider import Provider

pytestmark = pytest.mark.django_db

PROVIDER_ID = "agency"
NOT_LINKED = "ยังไม่ได้เชื่อมโยงกับบัญชีผู้ใช้ในระบบนี้"
UNAVAILABLE = "ขณะนี้ไม่สามารถเข้าสู่ระบบผ่าน SSO ได้"


@pytest.fixture
def provider(settings):
    running = Provider().start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": "DLA Connect",
                    "client_id": running.client_id,
                    "secret": running.client_secret,
                    "settings": {"server_url": running.issuer},
                }
            ]
        }
    }
    yield running
    running.stop()


@pytest.fixture
def boss(make_user):
    return make_user("boss", roles=["super_admin"], unit="ALRO-ICT", email="boss@alro.go.th")


def press_sso_button(client, process="login"):
    url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    return client.post(url, {"process": process})


def sso(client, provider, process="login"):
    """Press the SSO button, let the provider approve whoever it holds, come back: the callback's response."""
    start = press_sso_button(client, process)
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    approved = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert approved.status_code == 302
    back = urlsplit(approved.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def sign_in_with_password(client, user):
    response = client.post(reverse("account_login"), {"login": user.username, "password": user.raw_password})
    assert response.status_code == 302
    return client


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def link(user, uid="subject-1"):
    return SocialAccount.objects.create(user=user, provider=PROVIDER_ID, uid=uid)


def test_provider_asserting_super_admins_verified_email_signs_nobody_in(client, provider, boss):
    provider.person = {"sub": "stranger-7", "email": boss.email, "email_verified": True}
    response = sso(client, provider)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert NOT_LINKED in page.content.decode()
    boss.refresh_from_db()
    assert boss.check_password(boss.raw_password)


def test_an_unknown_identity_creates_no_account(client, provider, django_user_model):
    users = django_user_model.objects.count()
    provider.person = {"sub": "new-person", "email": "new@example.go.th", "email_verified": True}
    sso(client, provider)
    assert django_user_model.objects.count() == users
    assert signed_in_user_id(client) is None


def test_linked_subject_signs_in_its_user_even_with_a_new_email(client, provider, boss):
    link(boss, uid="boss-subject")
    provider.person = {"sub": "boss-subject", "email": "boss.moved@example.org", "email_verified": True}
    response = sso(client, provider)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(boss.pk)
    boss.refresh_from_db()
    assert boss.email == "boss@alro.go.th"
    assert boss.check_password(boss.raw_password), "the local password still works after an SSO sign-in"


def test_another_subject_with_a_linked_users_email_signs_nobody_in(client, provider, boss):
    link(boss, uid="boss-subject")
    provider.person = {"sub": "someone-else", "email": boss.email, "email_verified": True}
    sso(client, provider)
    assert signed_in_user_id(client) is None
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == ["boss-subject"]


def test_signed_in_user_links_their_identity_and_then_signs_in_with_it(client, provider, member):
    provider.person = {"sub": "member-subject", "email": "somying@example.go.th", "email_verified": True}
    sign_in_with_password(client, member)
    response = sso(client, provider, process="connect")
    assert response["Location"] == reverse("account_reauthenticate"), "linking asks for the password again"
    assert not SocialAccount.objects.exists()
    response = client.post(reverse("account_reauthenticate"), {"password": member.raw_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:index")
    assert "เชื่อมโยงบัญชี SSO เรียบร้อยแล้ว" in client.get(response["Location"]).content.decode()
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (member, PROVIDER_ID, "member-subject")
    member.refresh_from_db()
    assert member.check_password(member.raw_password), "linking leaves the password usable"
    assert member.email == "", "linking copies no e-mail address"

    client.post(reverse("account_logout"))
    assert signed_in_user_id(client) is None
    sso(client, provider)
    assert signed_in_user_id(client) == str(member.pk)
    client.post(reverse("account_logout"))
    sign_in_with_password(client, member)
    assert signed_in_user_id(client) == str(member.pk)


def test_linking_needs_the_password_not_just_a_session(client, provider, member):
    client.force_login(member)
    provider.person = {"sub": "member-subject", "email": "", "email_verified": False}
    sso(client, provider, process="connect")
    response = client.post(reverse("account_reauthenticate"), {"password": "not-the-password"})
    assert response.status_code == 200
    assert not SocialAccount.objects.exists()


def test_account_page_offers_linking_and_lists_linked_identities(client, provider, member):
    link(member, uid="member-subject")
    sign_in_with_password(client, member)
    page = client.get(reverse("accounts:index")).content.decode()
    connect_url = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    assert f'action="{connect_url}?process=connect"' in page
    assert "DLA Connect: member-subject เชื่อมโยงเมื่อ" in page
    assert reverse("socialaccount_connections") in page


def test_user_unlinks_their_identity(client, provider, member):
    account = link(member, uid="member-subject")
    sign_in_with_password(client, member)
    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert SocialAccount.objects.exists()
    client.post(response["Location"], {"password": member.raw_password})
    assert not SocialAccount.objects.exists()
    member.refresh_from_db()
    assert member.check_password(member.raw_password)


def test_an_identity_linked_to_someone_else_is_not_moved(client, provider, member, boss):
    link(boss, uid="boss-subject")
    provider.person = {"sub": "boss-subject", "email": boss.email, "email_verified": True}
    sign_in_with_password(client, member)
    sso(client, provider, process="connect")
    response = client.post(reverse("account_reauthenticate"), {"password": member.raw_password}, follow=True)
    assert "เชื่อมโยงกับบัญชีผู้ใช้อื่นอยู่แล้ว" in response.content.decode()
    assert SocialAccount.objects.get().user == boss
    assert signed_in_user_id(client) == str(member.pk)


def test_linking_without_being_signed_in_links_nothing(client, provider, boss):
    provider.person = {"sub": "stranger-7", "email": boss.email, "email_verified": True}
    response = sso(client, provider, process="connect")
    assert response.status_code == 302
    assert not SocialAccount.objects.exists()
    assert signed_in_user_id(client) is None


def test_sign_in_page_shows_the_sso_button_while_the_provider_is_down(client, provider):
    provider.stop()
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert "DLA Connect" in response.content.decode()


@pytest.mark.parametrize("failure", ["discovery_500", "discovery_not_json", "discovery_incomplete"])
def test_broken_discovery_gives_a_message_on_the_sign_in_page(client, provider, failure):
    provider.fail = failure
    response = press_sso_button(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert UNAVAILABLE in client.get(response["Location"]).content.decode()


def test_unreachable_provider_gives_a_message_on_the_sign_in_page(client, provider):
    provider.stop()
    response = press_sso_button(client)
    assert response.status_code == 302
    assert UNAVAILABLE in client.get(response["Location"]).content.decode()


def test_misconfigured_server_url_gives_a_message_on_the_sign_in_page(client, provider, settings):
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["server_url"] = "sso.example"
    response = press_sso_button(client)
    assert response.status_code == 302
    assert UNAVAILABLE in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("failure", ["token_error", "authorize_error"])
def test_provider_failing_after_the_button_gives_a_message(client, provider, boss, failure):
    link(boss, uid="boss-subject")
    provider.person = {"sub": "boss-subject", "email": boss.email, "email_verified": True}
    provider.fail = failure
    response = sso(client, provider)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert UNAVAILABLE in client.get(response["Location"]).content.decode()
    assert signed_in_user_id(client) is None


def test_provider_going_down_between_button_and_callback_gives_a_message(client, provider, boss):
    link(boss, uid="boss-subject")
    provider.person = {"sub": "boss-subject", "email": boss.email, "email_verified": True}
    start = press_sso_button(client)
    approved = requests.get(start["Location"], allow_redirects=False, timeout=5)
    provider.stop()
    back = urlsplit(approved.headers["Location"])
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 302
    assert UNAVAILABLE in client.get(response["Location"]).content.decode()
    assert signed_in_user_id(client) is None


def test_state_mismatch_gives_a_message(client, provider, boss):
    link(boss, uid="boss-subject")
    provider.person = {"sub": "boss-subject", "email": boss.email, "email_verified": True}
    start = press_sso_button(client)
    approved = requests.get(start["Location"], allow_redirects=False, timeout=5)
    code = dict(p.split("=", 1) for p in urlsplit(approved.headers["Location"]).query.split("&"))["code"]
    callback = reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
    response = client.get(f"{callback}?code={code}&state=forged")
    assert response.status_code == 302
    assert UNAVAILABLE in client.get(response["Location"]).content.decode()
    assert signed_in_user_id(client) is None


def test_cancelling_at_the_provider_says_so(client, provider):
    press_sso_button(client)
    state = client.session["socialaccount_states"]
    state_id = next(iter(state))
    callback = reverse("openid_connect_callback", kwargs={"provider_id": PROVIDER_ID})
    response = client.get(f"{callback}?error=access_denied&state={state_id}")
    assert response.status_code == 302
    assert "ยกเลิกการเข้าสู่ระบบผ่าน SSO" in client.get(response["Location"]).content.decode()


def test_administrator_links_someone_in_the_admin_and_it_is_audited(client, member):
    admin = User.objects.create_user("root", password="Secret-pass-2569", is_staff=True, is_superuser=True)
    client.force_login(admin)
    add_url = reverse("admin:accounts_socialaccountlink_add")
    response = client.post(add_url, {"user": member.pk, "provider": PROVIDER_ID, "uid": "member-subject"})
    assert response.status_code == 302
    account = SocialAccount.objects.get()
    assert (account.user, account.uid) == (member, "member-subject")
    event = MiddlewareEvents.objects.get(pgh_obj_model="accounts.SocialAccountLink", pgh_label="insert")
    assert str(getattr(event.user, "pk", event.user)) == str(admin.pk)
    assert event.url == add_url
    member.refresh_from_db()
    assert member.check_password(member.raw_password)

    client.post(reverse("admin:accounts_socialaccountlink_delete", args=[account.pk]), {"post": "yes"})
    assert list(SocialAccountEvent.objects.values_list("pgh_label", flat=True).order_by("pgh_id")) == [
        "insert",
        "delete",
    ]


def test_sso_sign_ins_do_not_fill_the_audit_trail(client, provider, member):
    link(member, uid="member-subject")
    provider.person = {"sub": "member-subject", "email": "new@example.go.th", "email_verified": True}
    sso(client, provider)
    assert signed_in_user_id(client) == str(member.pk)
    assert list(SocialAccountEvent.objects.values_list("pgh_label", flat=True)) == ["insert"]


def test_provider_down_while_linking_brings_the_person_back_to_their_account_page(client, provider, member):
    sign_in_with_password(client, member)
    provider.stop()
    response = press_sso_button(client, process="connect")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:index")
    assert UNAVAILABLE in client.get(response["Location"]).content.decode()
    assert signed_in_user_id(client) == str(member.pk)


def test_e_mail_matching_stays_off_even_if_switched_on_in_settings(client, provider, boss, settings):
    settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
    settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["email_authentication"] = True
    provider.person = {"sub": "stranger-7", "email": boss.email, "email_verified": True}
    sso(client, provider)
    assert signed_in_user_id(client) is None
    assert not SocialAccount.objects.exists()
    boss.refresh_from_db()
    assert boss.check_password(boss.raw_password)
